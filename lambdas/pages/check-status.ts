// The citizen's status pages: GET / asks for a reference; GET /track reads it (forgiving of case
// and spaces) and moves to the case's own address; GET /track/{reference} shows where the case
// is, what happens next, who has it, when to expect a decision, any delay or request for
// information, what the citizen can do and what has happened so far; GET /confirmation/{reference}
// is the page after applying. Public attributes only, read as the JSON status reads them.
import { readJourneySummary, readPublicCase } from '../adapters/aws/public-case';
import { statusWithDates } from '../domain/citizens/honest-dates';
import { DECIDED_STAGES, type PublicCaseFields } from '../domain/cases/case';
import { citizenActions } from '../domain/citizens/citizen-actions';
import { findService } from '../domain/services/catalogue';
import { CONTENT, readableDate } from '../domain/services/content';
import type { Language } from '../domain/shared/language';
import { ukDate } from '../domain/shared/working-days';
import { caseNotFound } from '../domain/shared/errors';
import { button, notificationBanner, panel, summaryList, textInput, type FormError } from '../web/components';
import { readReference } from '../web/forms';
import { html, type Html } from '../web/html';
import { pageHandler, type PageRequest, type PageResult } from '../web/page-http';
import { WORDS, say } from '../web/words';

function lookupForm(language: Language, entered?: string, error?: FormError): PageResult {
  const words = WORDS[language];
  return {
    status: error ? 400 : 200,
    page: {
      title: words.check.title,
      path: '/',
      errors: error ? [error] : [],
      main: html`<h1 class="govuk-heading-l">${words.check.title}</h1><p class="govuk-body-l">${words.check.lead}</p><form method="get" action="/track" novalidate>${textInput({
        id: 'reference',
        label: words.reference.label,
        hint: words.reference.hint,
        value: entered,
        error: error?.message,
        errorPrefix: words.errorPrefix,
        spellcheck: false,
        autocomplete: 'off',
        width: '20',
      })}${button(words.check.button)}</form><h2 class="govuk-heading-m">${words.check.applyHeading}</h2><p class="govuk-body"><a class="govuk-link" href="/apply">${words.check.applyLink}</a></p>`,
    },
  };
}

const buttonLink = (href: string, text: string, secondary = false): Html =>
  html`<a href="${href}" role="button" draggable="false" class="govuk-button${secondary ? ' govuk-button--secondary' : ''}" data-module="govuk-button">${text}</a>`;

function notFound(language: Language, reference: string): PageResult {
  const words = WORDS[language].notFound;
  return {
    status: 404,
    page: {
      title: words.title,
      path: `/track/${reference}`,
      main: html`<h1 class="govuk-heading-l">${words.title}</h1><p class="govuk-body">${say(words.body, { reference })}</p><p class="govuk-body">${words.whatToDo}</p><p class="govuk-body"><a class="govuk-link" href="/">${words.again}</a></p><p class="govuk-body"><a class="govuk-link" href="/contact">${WORDS[language].footerLinks.contact}</a></p>`,
    },
  };
}

async function statusPage(record: PublicCaseFields, language: Language, request: PageRequest): Promise<PageResult> {
  const words = WORDS[language];
  const summary = await readJourneySummary(record);
  const status = statusWithDates(record, language, { summary, now: new Date() });
  // Just answered: the journey takes the answer a moment later, so the stage may not have moved yet.
  // (only where an answer can be: an address copied from someone else's visit says nothing of a decided case)
  const answered = request.query.answered === '1' && (record.stage === 'information-needed' || record.stage === 'awaiting-decision' || record.stage === 'escalated');
  const today = ukDate(new Date());
  const actions = citizenActions(record, today).filter((action) => !(answered && action === 'answer'));
  const team = findService(record.service)?.team[language] ?? '';
  // What happens next, with what has happened since: an appeal or renewal made, or the time to appeal gone.
  const follow = record.links?.appealedBy ?? record.links?.renewedBy;
  const nextSteps = follow
    ? html`<p class="govuk-body">${record.links?.appealedBy ? words.status.yourAppeal : words.status.yourRenewal} <a class="govuk-link app-nowrap" href="/track/${follow}">${follow}</a></p>`
    : record.stage === 'refused' && record.appealBy && today > record.appealBy
      ? html`<p class="govuk-body">${say(words.status.appealEnded, { date: readableDate(record.appealBy, language), team })}</p>`
      : html`<p class="govuk-body">${status.nextSteps}</p>`;
  const date = (iso: string | undefined) => readableDate(iso, language) ?? '';
  const final = DECIDED_STAGES.includes(record.stage);
  // the milestones and the texts we sent, newest first
  const timeline = [
    ...status.history.map((entry) => ({ at: entry.at, title: entry.title })),
    ...status.texts.map((text) => ({ at: text.at, title: words.status.texted })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const path = `/track/${record.reference}`;
  return {
    status: 200,
    page: {
      title: status.stage.title,
      path,
      main: html`${answered ? notificationBanner({ title: words.status.summary, heading: words.status.answered, success: true }) : html``}
<span class="govuk-caption-l">${say(words.status.caption, { service: status.service.name, journey: words.journeys[record.journey] })}</span>
<h1 class="govuk-heading-l">${status.stage.title}</h1>
<p class="govuk-body-l">${status.stage.description}</p>
${
  status.delay
    ? html`<div class="govuk-inset-text"><h2 class="govuk-heading-s">${words.status.delayTitle}</h2><p class="govuk-body">${status.delay.reason}</p><p class="govuk-body">${say(words.status.delayNewDate, { date: date(status.delay.newDate) })}</p></div>`
    : html``
}
${summaryList([
  { key: words.status.reference, value: html`<span class="app-nowrap">${record.reference}</span>` },
  { key: words.status.responsible, value: status.responsible },
  // while we wait for the citizen, the date is theirs to reply by
  ...(status.expectedBy && !final ? [{ key: record.stage === 'information-needed' ? words.status.replyBy : words.status.expectedBy, value: date(status.expectedBy) }] : []),
])}
${status.serviceStandard ? html`<div class="govuk-inset-text">${status.serviceStandard.text}</div>` : html``}
<h2 class="govuk-heading-m">${words.status.whatNext}</h2>
${nextSteps}
${status.estimate ? html`<p class="govuk-body">${status.estimate.text}</p>` : html``}
${
  status.estimate?.takingLonger
    ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">${CONTENT[language].honestDates.warning}</span>${status.estimate.takingLonger} <a class="govuk-link" href="/contact">${words.footerLinks.contact}</a></strong></div>`
    : html``
}
${status.queuePosition ? html`<p class="govuk-body">${status.queuePosition.text}</p>` : html``}
${
  actions.length > 0
    ? html`<h2 class="govuk-heading-m">${words.status.actionsHeading}</h2><div class="govuk-button-group">${actions.map((action) => buttonLink(`${path}/${action}`, words.status[action]))}</div>`
    : html``
}
<h2 class="govuk-heading-m">${words.status.timeline}</h2>
<ol class="app-timeline" reversed>${timeline.map((entry) => html`<li class="app-timeline__item"><p class="app-timeline__title">${entry.title}</p><p class="app-timeline__date"><time datetime="${entry.at}">${date(entry.at)}</time></p></li>`)}</ol>
<p class="govuk-body"><a class="govuk-link" href="/">${words.status.another}</a></p>`,
    },
  };
}

/** The accessibility statement, the privacy notice and how to contact the team: words from the catalogue. */
function statement(page: 'accessibility' | 'privacy' | 'contact', language: Language): PageResult {
  const words = WORDS[language];
  const title = words[page].title;
  const paragraphs = page === 'contact' ? [words.contact.body, words.contact.email, words.contact.phone, words.contact.welsh] : words[page].paragraphs;
  return {
    status: 200,
    page: { title, path: `/${page}`, main: html`<h1 class="govuk-heading-l">${title}</h1>${paragraphs.map((text) => html`<p class="govuk-body">${text}</p>`)}${page === 'contact' ? html`` : html`<p class="govuk-body"><a class="govuk-link" href="/contact">${words.footerLinks.contact}</a></p>`}` },
  };
}

function confirmation(record: PublicCaseFields, language: Language): PageResult {
  const words = WORDS[language].confirmation;
  const [prefix, ...groups] = record.reference.split('-');
  const expected = readableDate(record.expectedBy, language);
  return {
    status: 200,
    page: {
      title: words.title[record.journey],
      path: `/confirmation/${record.reference}`,
      main: html`${panel(
        words.title[record.journey],
        html`${words.referenceIntro}<br><strong class="app-reference">${[prefix, ...groups].map((group, i) => html`${i > 0 ? ' ' : ''}<span class="app-reference__group">${group}</span>`)}</strong>`,
      )}<p class="govuk-body">${words.keep}</p><h2 class="govuk-heading-m">${words.next}</h2><p class="govuk-body">${expected ? say(words.expectedBy, { date: expected }) : words.noDate}</p><p class="govuk-body"><a class="govuk-link" href="/track/${record.reference}">${words.track}</a></p>`,
    },
  };
}

export const handler = pageHandler(async (request) => {
  const { language } = request;
  const resource = request.event.resource;
  if (resource === '/') return lookupForm(language);
  if (resource === '/{proxy+}') throw caseNotFound('');
  if (resource === '/accessibility' || resource === '/privacy' || resource === '/contact') return statement(resource.slice(1) as 'accessibility' | 'privacy' | 'contact', language);
  if (resource === '/track') {
    if (request.query.reference === undefined) return { redirect: '/' };
    const read = readReference(request.query.reference, language);
    return read.ok ? { redirect: `/track/${read.value}` } : lookupForm(language, request.query.reference, { field: 'reference', message: read.message });
  }
  const read = readReference(request.params.reference, language);
  if (!read.ok) return lookupForm(language, request.params.reference, { field: 'reference', message: read.message });
  const record = await readPublicCase(read.value);
  if (!record) return notFound(language, read.value);
  return resource === '/confirmation/{reference}' ? confirmation(record, language) : statusPage(record, language, request);
});
