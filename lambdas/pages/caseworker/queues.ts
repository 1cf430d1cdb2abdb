// GET /caseworker and /caseworker/queues/{queue}: a caseworker queue, what is overdue first, then
// by the date each case is due, with what has been quiet too long flagged; filtered by service and
// journey, 25 cases a page. References only: no personal data until a case is opened.
import { QUEUES, type Queue } from '../../domain/cases/case';
import { findService, serviceCodes } from '../../domain/services/catalogue';
import { readableDate } from '../../domain/services/content';
import { JOURNEY_PREFIXES, type Journey } from '../../domain/shared/reference';
import { arrangeQueue, readQueue, type QueueRow } from '../../domain/casework/work-queue';
import { ukDate } from '../../domain/shared/working-days';
import { caseStore, clock, sessionStore, signInConfig } from '../../adapters/aws/deps';
import { button, pagination, select, tag } from '../../web/components';
import { html, type Html } from '../../web/html';
import { JOURNEY_NAMES, QUEUE_NAMES, consoleHandler, findCaseForm } from '../../web/console';

const store = caseStore();
const sessions = sessionStore();

const JOURNEYS = Object.keys(JOURNEY_PREFIXES) as Journey[];

const EMPTY: Readonly<Record<Queue, string>> = {
  'awaiting-decision': 'No cases are waiting for a decision.',
  'senior-review': 'No cases are waiting for a senior caseworker.',
  'on-hold': 'No cases are on hold.',
  'renewal-due': 'No permits are due for renewal.',
};

const ABOUT: Readonly<Record<Queue, string>> = {
  'awaiting-decision': 'Cases waiting for a decision, overdue first, then by the date the service standard says they must be decided by.',
  'senior-review': 'Cases that passed their service standard. Only a senior caseworker can decide them.',
  'on-hold': 'Cases whose journey stopped on a fault. The citizen has been told we are looking into it.',
  'renewal-due': 'Permits running out soon. The citizen has been reminded to renew; nothing is needed from you unless they ask.',
};

const shortDate = (iso: string | undefined) => readableDate(iso, 'en') ?? '–';

function flags(row: QueueRow): Html {
  const shown = [
    row.overdue ? tag('Overdue', 'red') : undefined,
    row.quietForWorkingDays !== undefined ? tag(`Quiet ${row.quietForWorkingDays} working days`, 'yellow') : undefined,
    row.complex ? tag('Complex', 'blue') : undefined,
  ].filter((flag): flag is Html => flag !== undefined);
  return shown.length ? html`<span class="app-tags">${shown}</span>` : html`<span class="govuk-visually-hidden">None</span>`;
}

function table(queue: Queue, rows: readonly QueueRow[]): Html {
  // six columns cannot fit a phone: the table scrolls inside its own box (focusable, so it scrolls
  // from the keyboard too), never the page (WCAG 1.4.10 excepts data tables, not the page round them)
  return html`<div class="app-table-scroll" role="region" aria-labelledby="queue-caption" tabindex="0"><table class="govuk-table app-queue"><caption id="queue-caption" class="govuk-table__caption govuk-visually-hidden">${QUEUE_NAMES[queue]}: cases on this page</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Journey</th><th scope="col" class="govuk-table__header">Service</th><th scope="col" class="govuk-table__header">In this queue since</th><th scope="col" class="govuk-table__header">${queue === 'renewal-due' ? 'Permit runs out' : 'Due by'}</th><th scope="col" class="govuk-table__header">Flags</th></tr></thead><tbody class="govuk-table__body">${rows.map(
    (row) =>
      html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"><a class="govuk-link app-nowrap" href="/caseworker/cases/${row.reference}">${row.reference}</a></th><td class="govuk-table__cell">${JOURNEY_NAMES[row.journey as Journey] ?? row.journey}</td><td class="govuk-table__cell">${findService(row.service)?.name.en ?? row.service}</td><td class="govuk-table__cell app-nowrap">${shortDate(row.queuedAt)}</td><td class="govuk-table__cell app-nowrap">${shortDate(row.dueOn)}</td><td class="govuk-table__cell">${flags(row)}</td></tr>`,
  )}</tbody></table></div>`;
}

export const handler = consoleHandler({ sessions, clock, signIn: signInConfig() }, async (request) => {
  const queue = (request.params.queue ?? 'awaiting-decision') as Queue;
  if (!QUEUES.includes(queue)) {
    return { status: 404, page: { title: 'There is no such queue', path: request.path, frame: request.frame(), main: html`<h1 class="govuk-heading-l">There is no such queue</h1><p class="govuk-body">Choose a queue from the list at the top of the page.</p>` } };
  }
  const now = clock();
  const service = serviceCodes().includes(request.query.service ?? '') ? request.query.service : undefined;
  const journey = JOURNEYS.includes(request.query.journey as Journey) ? request.query.journey : undefined;
  const { entries, complete } = await readQueue(store, queue);
  const shown = arrangeQueue(queue, entries, { today: ukDate(now), now: now.toISOString(), filters: { service, journey }, page: Number.parseInt(request.query.page ?? '1', 10) || 1, complete });
  const path = `/caseworker/queues/${queue}`;
  const href = (page: number) => `${path}?${new URLSearchParams({ ...(service ? { service } : {}), ...(journey ? { journey } : {}), page: String(page) })}`;
  const summary = [`${shown.total} ${shown.total === 1 ? 'case' : 'cases'}`, shown.overdue ? `${shown.overdue} overdue` : '', shown.quiet ? `${shown.quiet} quiet for too long` : ''].filter(Boolean).join(', ');

  const filters = html`<form method="get" action="${path}" class="app-filters" novalidate>${select({
    id: 'service',
    label: 'Service',
    value: service,
    choices: [{ value: '', text: 'All services' }, ...serviceCodes().map((code) => ({ value: code, text: findService(code)!.name.en }))],
  })}${select({ id: 'journey', label: 'Journey', value: journey, choices: [{ value: '', text: 'All journeys' }, ...JOURNEYS.map((j) => ({ value: j, text: `${JOURNEY_NAMES[j]}s` }))] })}${button('Filter', { secondary: true })}</form>`;
  const find = findCaseForm(request.session, { label: 'Find a case by reference', inline: true });

  const title = QUEUE_NAMES[queue];
  return {
    status: 200,
    page: {
      title: shown.pages > 1 ? `${title} (page ${shown.page} of ${shown.pages})` : title,
      path,
      frame: request.frame(queue),
      main: html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${ABOUT[queue]}</p><div class="app-queue-tools">${filters}${find}</div><p class="govuk-body govuk-!-font-weight-bold" role="status">${service || journey ? 'Matching the filters: ' : ''}${summary}</p>${
        shown.complete ? html`` : html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> This queue is longer than the console reads at once: only its oldest cases are shown.</strong></div>`
      }${shown.rows.length ? table(queue, shown.rows) : html`<p class="govuk-body">${service || journey ? 'No cases in this queue match the filters.' : EMPTY[queue]}</p>`}${pagination({ page: shown.page, pages: shown.pages, href })}`,
    },
  };
});
