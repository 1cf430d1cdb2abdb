// Every request body the API accepts besides an application (lambdas/domain/services/application-form.ts),
// and the caseworker queue's query: one schema each, in one file, so the API's input contract
// reads in one place and the pieces several inputs share (a case reference, a date of birth, the
// limits on free text) are written once and cannot drift.
import { OUTCOMES, QUEUES } from '../domain/cases/case';
import { caseReference, language, phone, yourDateOfBirth } from '../domain/services/application-form';
import { addDays } from '../domain/shared/working-days';
import { anyObject, check, clip, freeText, isoDate, object, oneOf, optional, text, today, wholeNumber, withDefault } from '../domain/shared/schema';

// ---- POST /renewals: what may change is checked against the renewed case's service once it is read

export const renewal = object({
  renews: caseReference,
  dateOfBirth: yourDateOfBirth,
  details: optional(anyObject({ missing: 'Send the details you want to change as an object, like {"vehicleRegistration": "XY70 ZZZ"}.' })),
  applicant: optional(object({ phone: optional(phone), language: optional(language) }, { missing: 'Send the contact details you want to change as an object with phone and language.' })),
});

// ---- POST /appeals

export const appeal = object({
  appeals: caseReference,
  dateOfBirth: yourDateOfBirth,
  grounds: freeText({ what: 'your grounds for appeal', ask: 'Say why you think the decision was wrong', min: 10, max: 2000 }),
});

// ---- POST /status/{reference}/information

export const information = object({
  dateOfBirth: yourDateOfBirth,
  information: freeText({ what: 'the information we asked for', ask: 'Write the information we asked for', max: 5000 }),
});

// ---- POST /cases/{reference}/decision

export const decision = check(
  object({
    outcome: oneOf(OUTCOMES, { message: () => `Choose an outcome: ${OUTCOMES.join(', ')}.` }),
    reason: optional(freeText({ what: 'the reason', max: 1000 })),
  }),
  ({ outcome, reason }) => {
    if (outcome === 'approve' || reason) return undefined;
    const what = outcome === 'refuse' ? 'why the application is refused' : 'what information you need';
    return { field: 'reason', message: `Say ${what}, in plain words: the citizen will read it.` };
  },
);

// ---- POST /cases/{reference}/delay

export const delay = object({
  reason: freeText({ what: 'the reason for the delay', ask: 'Say why the case is delayed, in plain words the citizen will read', max: 500 }),
  newDate: check(isoDate({ what: 'the new date', example: '2027-01-15' }), (date, context) =>
    date <= today(context) || date > addDays(today(context), 366) ? 'Give a new date after today and within a year.' : undefined,
  ),
});

// ---- GET /cases?queue=…&limit=…&next=…

export const queueQuery = object({
  queue: withDefault(oneOf(QUEUES, { message: (given) => `There is no queue called "${clip(String(given))}". Choose one of: ${QUEUES.join(', ')}.` }), 'awaiting-decision'),
  limit: withDefault(wholeNumber({ what: 'the limit', min: 1, max: 100 }), 25),
  next: optional(text({ what: 'the page cursor (the "next" of the page before)', max: 2000 })),
});
