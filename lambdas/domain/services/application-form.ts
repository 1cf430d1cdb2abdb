// What a citizen's application is: the service (which must offer the journey), the applicant,
// and the details that service's catalogue entry asks for, each checked by one schema that also
// gives the TypeScript type. Every problem is reported against the field it belongs to, in words
// that say how to put it right. The other request bodies are in lambdas/http/inputs.ts and share
// the pieces exported here.
import type { Applicant } from '../cases/case';
import { findService, offers, serviceCodes, serviceCodesOffering, type DetailField, type Service } from './catalogue';
import { LANGUAGES, type Language } from '../shared/language';
import { parseReference, type Journey } from '../shared/reference';
import { anyObject, check, clip, custom, dependsOn, isoDate, map, object, oneOf, optional, readInput, text, today, withDefault, type Schema } from '../shared/schema';

export interface Submission {
  readonly service: Service;
  readonly applicant: Applicant & { readonly language: Language };
  readonly details: Record<string, string>;
}

// ---- pieces other inputs share

/** A reference the citizen typed, normalised; a typo is caught by its check symbol here. */
export const caseReference = custom<string>((value) => {
  const parsed = parseReference(typeof value === 'string' ? value : '');
  return parsed.ok ? { value: parsed.reference } : { problem: parsed.message };
});

/** The date of birth that proves a case is the citizen's (compared, never shown). */
export const yourDateOfBirth = isoDate({ what: 'your date of birth' });

export const E164 = /^\+[1-9]\d{7,14}$/;
export const phone = custom<string>((value) => {
  if (typeof value !== 'string' || value.trim() === '') return { problem: 'Enter a mobile phone number so we can text you updates, like +447700900123.' };
  const compact = value.replace(/[\s\-().]/g, '');
  if (!E164.test(compact)) return { problem: 'Enter the phone number in international format, starting with + and the country code, like +447700900123.' };
  return { value: compact };
});

export const language = oneOf(LANGUAGES, { message: () => 'Choose a language we can write to you in: en (English) or cy (Welsh).' });

// ---- POST /applications (and the application a renewal makes from the case it renews)

const applicant = object(
  {
    name: check(text({ what: 'your full name', max: 100 }), (name) => (/\p{L}/u.test(name) ? undefined : 'Enter your full name using letters.')),
    dateOfBirth: check(isoDate({ what: 'the date of birth' }), (date, context) => {
      if (date >= today(context)) return 'The date of birth must be in the past.';
      if (Number(today(context).slice(0, 4)) - Number(date.slice(0, 4)) > 130) return 'Check the year of birth: it is more than 130 years ago.';
      return undefined;
    }),
    phone,
    language: withDefault(language, 'en'),
  },
  { missing: 'Tell us about the applicant: name, dateOfBirth, phone and language.' },
);

function serviceFor(journey: Journey): Schema<Service> {
  return custom<Service>((value) => {
    const choices = serviceCodesOffering(journey).join(', ');
    if (typeof value !== 'string' || value.trim() === '') return { problem: `Say which service you are applying for, for example "${serviceCodes()[0]}".` };
    const service = findService(value.trim());
    if (!service) return { problem: `There is no service called "${clip(value)}". Choose one of: ${choices}.` };
    if (!offers(service, journey)) return { problem: `The ${service.name.en} service does not take new ${journey}s. Choose one of: ${choices}.` };
    return { value: service };
  });
}

function detailField(spec: DetailField): Schema<string | undefined> {
  // The API speaks English; the pages say the same in the citizen's language.
  let field = text({ what: `the ${spec.label.en}`, max: spec.maxLength ?? 200, pattern: spec.pattern ? new RegExp(spec.pattern) : undefined, hint: spec.hint?.en });
  const choices = spec.oneOf?.map((choice) => choice.value);
  if (choices) field = check(field, (value) => (choices.includes(value) ? undefined : `The ${spec.label.en} must be one of: ${choices.join(', ')}.`));
  return spec.required ? field : optional(field);
}

const DETAILS_MISSING = 'Give the details of what you are applying for.';
// Built once per service, from the catalogue, on first use.
const detailSchemas = new Map<string, Schema<Record<string, string>>>();
function detailsOf(service: Service): Schema<Record<string, string>> {
  let schema = detailSchemas.get(service.code);
  if (!schema) {
    const shape = Object.fromEntries(service.details.map((spec) => [spec.field, detailField(spec)]));
    schema = object(shape, { missing: DETAILS_MISSING }) as Schema<Record<string, string>>;
    detailSchemas.set(service.code, schema);
  }
  return schema;
}
// Without a service, the details can only be checked for being there.
const someDetails = map(anyObject({ missing: DETAILS_MISSING }), (): Record<string, string> => ({}));

const applicationFor = (journey: Journey) =>
  object({
    service: serviceFor(journey),
    applicant,
    // read after the service, whose catalogue entry says which details it asks for
    details: dependsOn('service', (service) => (service ? detailsOf(service as Service) : someDetails)),
  });

export const application = { application: applicationFor('application'), renewal: applicationFor('renewal'), appeal: applicationFor('appeal') } as const;

/**
 * Checks an application: the service, which must offer the journey, the applicant, and the
 * details that service asks for. Renewals check the application they make from the case they
 * renew the same way.
 */
export function validateSubmission(body: Record<string, unknown>, todayIs: string, journey: Journey = 'application'): Submission {
  return readInput(application[journey], body, { today: todayIs });
}
