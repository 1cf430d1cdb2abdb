// A case on one page for a caseworker (details, personal data, timeline, texts, audit trail,
// the request for information and its answers) and the four things they can do to it: approve,
// refuse, ask for information, explain a delay. Each asks for its reason, shows what the citizen
// will read in the citizen's language, and only then sends it through the same rules as the API.
import type { CaseRecord, Outcome } from '../../domain/cases/case';
import { findService } from '../../domain/services/catalogue';
import { readableDate, stageText } from '../../domain/services/content';
import { previewFor, type CaseworkerAction, type CitizenPreview } from '../../domain/casework/citizen-preview';
import { OUTCOME_WORDS, decide, pendingDecision, whyNotDecidable } from '../../domain/casework/decisions';
import { delayDateProblem, recordDelay, whyNotDelayable } from '../../domain/casework/delays';
import { pausedUntil } from '../../domain/citizens/identity';
import { PublicError } from '../../domain/shared/errors';
import { readInput } from '../../domain/shared/schema';
import { parseReference, type Journey } from '../../domain/shared/reference';
import type { Caseworker } from '../../domain/casework/sessions';
import { ukDate } from '../../domain/shared/working-days';
import { callbackDeps, clock, sessionStore, signInConfig, transitionDeps } from '../../adapters/aws/deps';
import { decision as decisionInput, delay as delayInput } from '../../http/inputs';
import { backLink, button, dateInput, insetText, notificationBanner, summaryList, tag, textarea, type SummaryRow } from '../../web/components';
import { FormProblems, dateValue, readDate, readReference, readText } from '../../web/forms';
import { html, type Html } from '../../web/html';
import { JOURNEY_NAMES, QUEUE_NAMES, consoleHandler, findCaseForm, type ConsoleRequest } from '../../web/console';
import type { PageResult } from '../../web/page-http';
import { WORDS, capitalise, say } from '../../web/words';
import type { Language } from '../../domain/shared/language';

const callbacks = callbackDeps();
const transitions = transitionDeps(callbacks.store);
const sessions = sessionStore();
const store = callbacks.store;

interface ActionWords {
  readonly title: string;
  readonly question: string;
  readonly hint: string;
  readonly required: boolean;
  readonly max: number;
  readonly confirm: string;
  readonly warning?: boolean;
  readonly done: string;
}

// The limits are the API's (lambdas/http/inputs.ts), checked again there when the action is sent.
const ACTIONS: Readonly<Record<CaseworkerAction, ActionWords>> = {
  approve: {
    title: 'Approve',
    question: 'Why are you approving it? (optional)',
    hint: 'Only caseworkers see this, in the audit trail.',
    required: false,
    max: 1000,
    confirm: 'Approve and tell the citizen',
    done: 'You approved this case. The citizen will get a text message.',
  },
  refuse: {
    title: 'Refuse',
    question: 'Why is it refused?',
    hint: 'The citizen reads this word for word on their status page, with how to appeal. Use plain words and say which rule it does not meet.',
    required: true,
    max: 1000,
    confirm: 'Refuse and tell the citizen',
    warning: true,
    done: 'You refused this case. The citizen will get a text message.',
  },
  'request-information': {
    title: 'Ask for information',
    question: 'What information do you need?',
    hint: 'The citizen reads this word for word on their status page and answers it there. Say exactly what to send.',
    required: true,
    max: 1000,
    confirm: 'Send the request',
    done: 'You asked the citizen for information. The case comes back to the queue when they answer or their time runs out.',
  },
  delay: {
    title: 'Explain a delay',
    question: 'Why is the case delayed?',
    hint: 'The citizen reads this word for word on their status page.',
    required: true,
    max: 500,
    confirm: 'Tell the citizen',
    done: 'You explained the delay. The citizen will get a text message.',
  },
};
const ACTION_NAMES = Object.keys(ACTIONS) as CaseworkerAction[];

/** What each action leaves in the audit trail: the success banner is shown only for what the caseworker just did. */
const AUDITED_AS: Readonly<Record<CaseworkerAction, string>> = {
  approve: 'decided:approve',
  refuse: 'decided:refuse',
  'request-information': 'decided:request-information',
  delay: 'delay-explained',
};
const DONE_WITHIN_MS = 10 * 60_000;

const MILESTONE_WORDS: Readonly<Record<string, string>> = {
  received: 'Received',
  'checks-complete': 'Details checked',
  'awaiting-decision': 'With a caseworker',
  'information-needed': 'Information needed',
  delayed: 'A delay',
  approved: 'Approved',
  refused: 'Refused',
  'on-hold': 'On hold',
  'renewal-due': 'Renewal due',
  expired: 'Permit expired',
  'still-working': 'Still being worked on',
  'actions-paused': 'Wrong dates of birth: changes online paused',
  'contact-changed': 'Mobile number changed by a renewal',
};
const TEXT_STATUS_WORDS: Readonly<Record<string, string>> = { sending: 'Sending', sent: 'Sent', failed: 'Not sent: failed', 'opted-out': 'Not sent: the number opted out' };
/** What the SMS provider's receipt said. */
const DELIVERY_WORDS: Readonly<Record<'delivered' | 'not-delivered', string>> = { delivered: 'delivered to the phone', 'not-delivered': 'not delivered: the phone could not be reached' };

/** A code like "vehicle-not-registered-to-applicant" as words. */
const words = (code: string): string => capitalise(code.replace(/-/g, ' '));

const AUDIT_ACTIONS: Readonly<Record<string, string>> = {
  submitted: 'Sent in',
  'decided:approve': 'Approved',
  'decided:refuse': 'Refused',
  'decided:request-information': 'Asked for information',
  'decision-not-applied': 'Decision not applied',
  'delay-explained': 'Explained a delay',
  escalated: 'Moved to senior review',
  'answered-information': 'Sent the information asked for',
  'information-received': 'Information received',
  'information-not-received': 'No information received in time',
  'information-too-late': 'Information sent too late',
  'put-on-hold': 'Put on hold',
  'paused-after-wrong-dates-of-birth': 'Changes online paused: wrong dates of birth',
};

let dateTimeFormat: Intl.DateTimeFormat | undefined;
const dateTime = (iso: string | undefined): string =>
  iso ? (dateTimeFormat ??= new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })).format(new Date(iso)) : '–';
const date = (iso: string | undefined): string => readableDate(iso, 'en') ?? '–';
const stageTitle = (record: CaseRecord, stage = record.stage): string => stageText(record.journey, stage, 'en').title;
/** The reference as a heading: whole on one line where it fits, else broken only after a hyphen, each group whole (at 320 CSS px it does not fit). */
const headingReference = (reference: string): Html => {
  const groups = reference.split('-');
  return html`${groups.map((group, i) => (i < groups.length - 1 ? html`<span class="app-nowrap">${group}-</span><wbr>` : html`<span class="app-nowrap">${group}</span>`))}`;
};
const caseLink = (reference: string | undefined) => (reference ? html`<a class="govuk-link app-nowrap" href="/caseworker/cases/${reference}">${reference}</a>` : html``);

/** What the caseworker may do on the case now, and why not where they may not decide. */
function availability(record: CaseRecord, who: Caseworker): { decide: boolean; why?: PublicError; delay: boolean } {
  const why = whyNotDecidable(record, who);
  return { decide: !why, why, delay: !whyNotDelayable(record, who) };
}

const allowed = (record: CaseRecord, who: Caseworker, action: CaseworkerAction): PublicError | undefined =>
  action === 'delay' ? whyNotDelayable(record, who) : whyNotDecidable(record, who);

function table(caption: string, head: readonly string[], rows: readonly (readonly (Html | string)[])[], empty: string): Html {
  if (rows.length === 0) return html`<h2 class="govuk-heading-m">${caption}</h2><p class="govuk-body">${empty}</p>`;
  // too wide for a phone, it scrolls inside its own box, not the page (as the queue does)
  const id = `${caption.toLowerCase().replace(/[^a-z]+/g, '-')}-caption`;
  return html`<div class="app-table-scroll" role="region" aria-labelledby="${id}" tabindex="0"><table class="govuk-table"><caption id="${id}" class="govuk-table__caption govuk-table__caption--m">${caption}</caption><thead class="govuk-table__head"><tr class="govuk-table__row">${head.map((cell) => html`<th scope="col" class="govuk-table__header">${cell}</th>`)}</tr></thead><tbody class="govuk-table__body">${rows.map(
    (row) => html`<tr class="govuk-table__row">${row.map((cell) => html`<td class="govuk-table__cell">${cell}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

/** The success banner for `done`, only when the caseworker's own latest entry in the audit trail is that action, just now. */
function doneJustNow(record: CaseRecord, who: Caseworker, done: string | undefined, now: Date): CaseworkerAction | undefined {
  const action = ACTION_NAMES.find((name) => name === done);
  const mine = record.audit.findLast((entry) => entry.actor === who.id);
  return action && mine?.action === AUDITED_AS[action] && now.getTime() - Date.parse(mine.at) < DONE_WITHIN_MS ? action : undefined;
}

function casePage(request: ConsoleRequest, record: CaseRecord, banner?: { readonly done?: string; readonly problem?: PublicError }, status = 200, appealed?: CaseRecord): PageResult {
  const service = findService(record.service);
  const applying = pendingDecision(record);
  const can = availability(record, request.caseworker);
  const path = `/caseworker/cases/${record.reference}`;
  const asked = new Set((service?.details ?? []).map((field) => field.field));
  const { grounds, ...details } = record.details;
  const detailRows: SummaryRow[] = [
    ...(service?.details ?? [])
      .filter((field) => details[field.field] !== undefined)
      .map((field) => ({ key: capitalise(field.label.en), value: field.oneOf?.find((choice) => choice.value === details[field.field])?.label.en ?? details[field.field] })),
    // anything sent that the catalogue no longer asks for is still shown
    ...Object.entries(details)
      .filter(([field]) => !asked.has(field))
      .map(([field, value]) => ({ key: field, value })),
  ];
  const links = record.links ?? {};
  const paused = pausedUntil(record, clock());
  const caseRows: SummaryRow[] = [
    { key: 'Stage', value: stageTitle(record) },
    ...(record.queue ? [{ key: 'Queue', value: html`<a class="govuk-link" href="/caseworker/queues/${record.queue}">${QUEUE_NAMES[record.queue]}</a> since ${dateTime(record.queuedAt)}` }] : []),
    { key: 'Received', value: dateTime(record.createdAt) },
    ...(record.expectedBy ? [{ key: record.stage === 'information-needed' ? 'Citizen to answer by' : 'Due by', value: date(record.expectedBy) }] : []),
    // the service standard's own date, stopped while we wait for the citizen (what the performance figures hold the case to)
    ...(record.standard
      ? [{
          key: 'Service standard',
          value: html`${record.standard.workingDays} working days: due by ${date(record.standard.dueOn)}${record.standard.pausedAt ? html` (${tag('Paused', 'grey')} since ${dateTime(record.standard.pausedAt)}, while the citizen answers)` : html``}${record.standard.pausedWorkingDays > 0 ? html`, moved on by ${record.standard.pausedWorkingDays} working day${record.standard.pausedWorkingDays === 1 ? '' : 's'} we waited for the citizen` : html``}`,
        }]
      : []),
    ...(record.decisionFacts
      ? [{ key: 'Time to decision', value: html`${record.decisionFacts.workingDays} working day${record.decisionFacts.workingDays === 1 ? '' : 's'}, ${record.decisionFacts.withinStandard ? 'within' : 'outside'} the service standard` }]
      : []),
    ...(record.delay
      ? [{ key: 'Delay explained', value: html`${record.delay.reason === 'service-standard-passed' ? 'The service standard passed.' : html`“${record.delay.reason}”`} The citizen is told ${date(record.delay.newDate)}.` }]
      : []),
    ...(record.checks ? [{ key: 'Automated checks', value: record.checks.complex ? html`${tag('Complex', 'blue')} ${record.checks.flags.map(words).join('; ')}` : 'Nothing flagged' }] : []),
    ...(record.decision
      ? [{ key: 'Decision', value: html`${capitalise(OUTCOME_WORDS[record.decision.outcome])} by ${record.decision.by} on ${dateTime(record.decision.at)}${record.decision.reason ? html`: “${record.decision.reason}”` : html``}` }]
      : []),
    ...(record.expiresOn ? [{ key: 'Permit runs out', value: date(record.expiresOn) }] : []),
    ...(record.appealBy ? [{ key: 'Appeal by', value: date(record.appealBy) }] : []),
    ...(links.renews ? [{ key: 'Renews', value: caseLink(links.renews) }] : []),
    ...(links.appeals ? [{ key: 'Appeals against', value: html`${caseLink(links.appeals)}${record.originalDecisionBy ? ` (decided by ${record.originalDecisionBy})` : ''}` }] : []),
    // what the appeal is against, so the appeals officer need not open the first case to read it
    ...(appealed?.decision?.reason ? [{ key: 'Refused because', value: html`“${appealed.decision.reason}”` }] : []),
    // why a citizen who calls cannot renew, appeal or answer online just now
    ...(paused ? [{ key: 'Changes online', value: `Paused until ${dateTime(paused)} after ${record.dateOfBirthTries?.wrong ?? 'several'} wrong dates of birth. The citizen has been texted.` }] : []),
    ...(links.renewedBy ? [{ key: 'Renewed by', value: caseLink(links.renewedBy) }] : []),
    ...(links.appealedBy ? [{ key: 'Appealed by', value: caseLink(links.appealedBy) }] : []),
  ];
  const actionLinks = [
    ...(can.decide ? (['approve', 'refuse', 'request-information'] as const) : []),
    ...(can.delay && !applying ? (['delay'] as const) : []),
  ];
  // why the caseworker cannot act: a decision someone else must make, one being recorded, a case on hold
  const whyNot = applying
    ? insetText(html`<p class="govuk-body">${applying.actor === request.caseworker.id ? 'Your' : `${applying.actor}’s`} decision (${OUTCOME_WORDS[applying.action.slice('decided:'.length) as Outcome]}) was sent at ${dateTime(applying.at)}. The journey is recording it now: reload this page in a moment to see the case move on.</p>`)
    : can.why && can.why.code === 'forbidden'
      ? insetText(html`<p class="govuk-body">${can.why.message}</p>`)
      : record.stage === 'on-hold'
        ? insetText(html`<p class="govuk-body">This case is on hold: a step of its journey kept failing (the audit trail says when). It cannot be decided until the operations team restarts its journey. The citizen has been told we are looking into it.</p>`)
        : html``;
  const requests = informationRequests(record);
  return {
    status,
    page: {
      title: `${record.reference}${banner?.problem ? ': not changed' : ''}`,
      path,
      frame: request.frame(record.queue),
      main: html`${backLink(`/caseworker/queues/${record.queue ?? (record.stage === 'escalated' ? 'senior-review' : 'awaiting-decision')}`, 'Back to the queue')}${
        banner?.done ? notificationBanner({ title: 'Done', heading: banner.done, success: true }) : html``
      }${
        banner?.problem
          ? html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">Nothing was changed</h2><div class="govuk-error-summary__body"><p class="govuk-body">${banner.problem.message}</p><p class="govuk-body">This page now shows the case as it is.</p></div></div></div>`
          : html``
      }<span class="govuk-caption-l">${JOURNEY_NAMES[record.journey as Journey]}: ${service?.name.en ?? record.service}</span><h1 class="govuk-heading-l">${headingReference(record.reference)} ${tag(stageTitle(record), record.stage === 'refused' ? 'red' : record.stage === 'approved' ? 'green' : undefined)}</h1>${whyNot}${
        actionLinks.length
          ? html`<div class="govuk-button-group">${actionLinks.map((action) => html`<a href="${path}/${action}" draggable="false" class="govuk-button${action === 'approve' ? '' : ' govuk-button--secondary'}" data-module="govuk-button">${ACTIONS[action].title}</a>`)}</div>`
          : html``
      }<div class="govuk-grid-row"><div class="govuk-grid-column-one-half"><h2 class="govuk-heading-m">The case</h2>${summaryList(caseRows)}${
        grounds !== undefined ? html`<h2 class="govuk-heading-m">Grounds for appeal</h2><div class="govuk-inset-text app-answer" lang="${record.language}">${grounds}</div>` : html``
      }${detailRows.length ? html`<h2 class="govuk-heading-m">${record.journey === 'renewal' ? 'What the renewal says' : 'What they sent'}</h2>${summaryList(detailRows)}` : html``}</div><div class="govuk-grid-column-one-half"><h2 class="govuk-heading-m">The citizen</h2>${summaryList([
        { key: 'Name', value: record.applicant?.name ?? '–' },
        { key: 'Date of birth', value: date(record.applicant?.dateOfBirth) },
        { key: 'Mobile', value: record.applicant?.phone ?? '–' },
        { key: 'Language', value: record.language === 'cy' ? 'Welsh (Cymraeg)' : 'English' },
      ])}${
        requests.length || record.informationResponses?.length
          ? html`<h2 class="govuk-heading-m">${requests.length > 1 ? 'Requests for information' : 'Request for information'}</h2>${requests.map(
              (asked, i) =>
                html`<p class="govuk-body">${asked.by} asked on ${dateTime(asked.at)}:</p><div class="govuk-inset-text app-answer">${asked.reason}</div>${
                  asked.answers.length
                    ? asked.answers.map((answer) => html`<p class="govuk-body">The citizen answered on ${dateTime(answer.at)}:</p><div class="govuk-inset-text app-answer" lang="${record.language}">${answer.text}</div>`)
                    : html`<p class="govuk-body">${i === requests.length - 1 && record.stage === 'information-needed' ? 'No answer yet.' : 'No answer came.'}</p>`
                }`,
            )}`
          : html``
      }</div></div>${table(
        'Timeline',
        ['When', 'Stage'],
        record.history.map((entry) => [dateTime(entry.at), stageTitle(record, entry.stage)]),
        'Nothing has happened yet.',
      )}${table(
        'Texts to the citizen',
        ['When', 'About', 'Status', 'Parts'],
        (record.notifications ?? []).map((sent) => [dateTime(sent.at), MILESTONE_WORDS[sent.milestone] ?? sent.milestone, `${TEXT_STATUS_WORDS[sent.status] ?? sent.status}${sent.delivery ? `, ${DELIVERY_WORDS[sent.delivery.status]}` : ''}`, sent.segments === undefined ? '–' : String(sent.segments)]),
        'No texts have been sent about this case.',
      )}${table(
        'Audit trail',
        ['When', 'Who', 'What', 'Reason'],
        record.audit.map((entry) => [dateTime(entry.at), entry.actor, AUDIT_ACTIONS[entry.action] ?? entry.action, entry.reason ?? '']),
        'Nothing recorded yet.',
      )}`,
    },
  };
}

/**
 * Each request for information with the answers that came to it: the audit trail keeps every
 * request, the case only the latest; an answer belongs to the request before it.
 */
function informationRequests(record: CaseRecord) {
  const requests = record.audit
    .filter((entry) => entry.action === 'decided:request-information')
    .map((entry) => ({ at: entry.at, by: entry.actor, reason: entry.reason ?? '', answers: [] as { at: string; text: string }[] }));
  for (const answer of record.informationResponses ?? []) requests.findLast((asked) => asked.at <= answer.at)?.answers.push(answer);
  return requests;
}

interface ActionForm {
  readonly reason: string;
  readonly newDate?: string;
}

/** Reads the action's form kindly, then checks it with the API's own schema for the action. */
function readActionForm(record: CaseRecord, action: CaseworkerAction, form: Readonly<Record<string, string>>, today: string): { input?: ActionForm; problems: FormProblems } {
  const words = ACTIONS[action];
  const problems = new FormProblems();
  const reason = problems.take('reason', readText(form.reason, { label: 'the reason', required: words.required, max: words.max, multiline: true }, 'en')) ?? '';
  let newDate: string | undefined;
  if (action === 'delay') {
    const read = readDate(dateValue(form, 'newDate'), 'the new date', 'en');
    if (read.ok) newDate = read.value;
    else problems.addDate('newDate', read);
  }
  // the API's own checks next, on whatever was read (a date out of range is said with a missing
  // reason, not after it); a field already at fault keeps its first message
  if (action !== 'delay' || newDate !== undefined) {
    try {
      if (action === 'delay') readInput(delayInput, { reason, newDate }, { today });
      else if (!problems.any) readInput(decisionInput, { outcome: action, ...(reason ? { reason } : {}) });
    } catch (error) {
      if (!(error instanceof PublicError)) throw error;
      for (const field of error.fields) problems.add(field.field, field.message, field.field === 'newDate' ? 'newDate-day' : field.field);
      if (error.fields.length === 0) problems.add('reason', error.message);
    }
    const tooEarly = newDate === undefined ? undefined : delayDateProblem(record, newDate);
    if (tooEarly) problems.add('newDate', tooEarly, 'newDate-day');
  }
  return problems.any ? { problems } : { input: { reason, newDate }, problems };
}

function actionForm(request: ConsoleRequest, record: CaseRecord, action: CaseworkerAction, problems?: FormProblems): PageResult {
  const words = ACTIONS[action];
  const { form } = request;
  const path = `/caseworker/cases/${record.reference}/${action}`;
  return {
    status: problems?.any ? 400 : 200,
    page: {
      title: `${words.title}: ${record.reference}`,
      path,
      frame: request.frame(record.queue),
      errors: problems?.list,
      before: backLink(`/caseworker/cases/${record.reference}`, 'Back to the case'),
      main: html`<span class="govuk-caption-l">${record.reference}</span><h1 class="govuk-heading-l">${words.title}</h1><form method="post" action="${path}" novalidate>${request.csrfField}${textarea({
        id: 'reason',
        label: words.question,
        hint: record.language === 'cy' && action !== 'approve' ? `${words.hint} The citizen reads Welsh: write it in Welsh if you can.` : words.hint,
        value: form.reason,
        error: problems?.byField.reason,
        errorPrefix: 'Error:',
        rows: 5,
        maxLength: words.max,
      })}${
        action === 'delay'
          ? dateInput({
              id: 'newDate',
              label: 'When do you now expect to decide?',
              hint: 'After today and within a year, for example 15 1 2027',
              value: dateValue(form, 'newDate'),
              parts: WORDS.en.dateParts,
              error: problems?.byField.newDate,
              partsInError: problems?.dateParts.newDate,
              errorPrefix: 'Error:',
            })
          : html``
      }${button('Check what the citizen will read')}</form>`,
    },
  };
}

/** The citizen's status page and text after the action, as they will read them. */
function citizenView(preview: CitizenPreview, language: Language): Html {
  const citizen = WORDS[language];
  const { status } = preview;
  return html`<h2 class="govuk-heading-m">Their status page</h2><div class="app-citizen-preview" lang="${language}"><span class="govuk-caption-m">${status.service.name}</span><h3 class="govuk-heading-m">${status.stage.title}</h3><p class="govuk-body">${status.stage.description}</p>${
    status.delay ? html`<h4 class="govuk-heading-s">${citizen.status.delayTitle}</h4><p class="govuk-body">${status.delay.reason}</p><p class="govuk-body">${say(citizen.status.delayNewDate, { date: readableDate(status.delay.newDate, language) })}</p>` : html``
  }${
    status.expectedBy && (preview.milestone === 'information-needed' || preview.milestone === 'delayed')
      ? html`<p class="govuk-body"><strong>${preview.milestone === 'information-needed' ? citizen.status.replyBy : citizen.status.expectedBy}:</strong> ${readableDate(status.expectedBy, language)}</p>`
      : html``
  }<h4 class="govuk-heading-s">${citizen.status.whatNext}</h4><p class="govuk-body">${status.nextSteps}</p></div><h2 class="govuk-heading-m">Their text message</h2>${
    preview.sms
      ? html`<div class="app-sms-preview" lang="${language}"><p class="govuk-body">${preview.sms.text}</p></div><p class="govuk-body-s">${preview.sms.segments === 1 ? 'One text message.' : `${preview.sms.segments} text messages long.`}</p>`
      : html`<p class="govuk-body">Citizens are not texted about this.</p>`
  }`;
}

function previewPage(request: ConsoleRequest, record: CaseRecord, action: CaseworkerAction, input: ActionForm, now: Date): PageResult {
  const words = ACTIONS[action];
  const path = `/caseworker/cases/${record.reference}/${action}`;
  const preview = previewFor(record, action, input, request.caseworker.id, now);
  const carried = html`${request.csrfField}<input type="hidden" name="reason" value="${input.reason}">${
    input.newDate ? (['day', 'month', 'year'] as const).map((part) => html`<input type="hidden" name="newDate-${part}" value="${dateValue(request.form, 'newDate')[part]}">`) : html``
  }`;
  // a caseworker who reads no Welsh can still check what a Welsh speaker will be told
  const inEnglish =
    record.language === 'cy'
      ? html`<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Read it in English</span></summary><div class="govuk-details__text">${citizenView(previewFor({ ...record, language: 'en' }, action, input, request.caseworker.id, now), 'en')}</div></details>`
      : html``;
  return {
    status: 200,
    page: {
      title: `Check before you send: ${words.title.toLowerCase()} ${record.reference}`,
      path,
      frame: request.frame(record.queue),
      main: html`<span class="govuk-caption-l">${record.reference}</span><h1 class="govuk-heading-l">Check what the citizen will read</h1><p class="govuk-body">This is their status page and the text message they will get once you send this, in ${record.language === 'cy' ? 'Welsh' : 'English'}, the language they chose.</p>${citizenView(preview, record.language)}${inEnglish}<form method="post" action="${path}" novalidate>${carried}<div class="govuk-button-group"><button type="submit" name="confirm" value="1" class="govuk-button${words.warning ? ' govuk-button--warning' : ''}" data-module="govuk-button" data-prevent-double-click="true">${words.confirm}</button><button type="submit" name="change" value="1" class="govuk-button govuk-button--secondary" data-module="govuk-button">Change what you wrote</button></div></form><p class="govuk-body"><a class="govuk-link" href="/caseworker/cases/${record.reference}">Cancel and go back to the case</a></p>`,
    },
  };
}

export const handler = consoleHandler({ sessions, clock, signIn: signInConfig() }, async (request) => {
  if (request.path.replace(/\/$/, '') === '/caseworker/find') return find(request);
  const parsed = parseReference(request.params.reference ?? '');
  const record = parsed.ok ? await store.get(parsed.reference) : undefined;
  if (!record?.journey) {
    return { status: 404, page: { title: 'No case has this reference', path: request.path, frame: request.frame(), main: html`<h1 class="govuk-heading-l">No case has this reference</h1><p class="govuk-body">Check the reference and try again.</p><p class="govuk-body"><a class="govuk-link" href="/caseworker">Go to your queues</a></p>` } };
  }
  const action = request.params.action as CaseworkerAction | undefined;
  if (action === undefined) {
    const done = doneJustNow(record, request.caseworker, request.query.done, clock());
    const appealed = record.links?.appeals ? await store.get(record.links.appeals) : undefined;
    return casePage(request, record, done ? { done: ACTIONS[done].done } : undefined, 200, appealed);
  }
  if (!ACTION_NAMES.includes(action)) return casePage(request, record, { problem: new PublicError('not-found', 'There is no such action. Use the buttons on the case.') }, 404);
  const refused = allowed(record, request.caseworker, action);
  if (refused) return casePage(request, record, { problem: refused }, refused.status);
  if (request.method === 'GET' || request.form.change) return actionForm(request, record, action);

  const now = clock();
  const { input, problems } = readActionForm(record, action, request.form, ukDate(now));
  if (!input) return actionForm(request, record, action, problems);
  if (!request.form.confirm) return previewPage(request, record, action, input, now);
  try {
    if (action === 'delay') await recordDelay(transitions, record.reference, request.caseworker, { reason: input.reason, newDate: input.newDate! }, now);
    else await decide(callbacks, record.reference, request.caseworker, { outcome: action, reason: input.reason });
  } catch (error) {
    // someone else decided first, or the case moved on: say so, and show it as it is now
    if (!(error instanceof PublicError) || error.status >= 500) throw error;
    return casePage(request, await store.require(record.reference), { problem: error }, error.status);
  }
  return { redirect: `/caseworker/cases/${record.reference}?done=${action}` };
});

function find(request: ConsoleRequest): PageResult {
  const read = readReference(request.form.reference, 'en');
  if (read.ok) return { redirect: `/caseworker/cases/${read.value}` };
  return {
    status: 400,
    page: {
      title: 'Find a case',
      path: request.path,
      frame: request.frame(),
      errors: [{ field: 'reference', message: read.message }],
      main: html`<h1 class="govuk-heading-l">Find a case</h1>${findCaseForm(request.session, { label: 'Reference', value: request.form.reference, error: read.message })}`,
    },
  };
}
