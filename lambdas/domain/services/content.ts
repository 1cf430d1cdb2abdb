// Citizen-facing words come from the content catalogue (catalogue/content/*.json), never from
// code. This module fills their placeholders and builds the public status view.
import en from '../../../catalogue/content/en.json';
import cy from '../../../catalogue/content/cy.json';
import { findService } from './catalogue';
import type { Language } from '../shared/language';
import { citizensDate, type PublicCaseFields, type Stage } from '../cases/case';
import type { Journey } from '../shared/reference';
import { asOf, renewableUntil, renewalOpen } from './permits';

export interface StageText {
  readonly title: string;
  readonly description: string;
  readonly nextSteps: string;
  /** for an expired permit once it can no longer be renewed: what happens next instead */
  readonly nextStepsTooLateToRenew?: string;
  readonly responsible: string;
}

export interface ContentCatalogue {
  readonly language: string;
  readonly journeys: Partial<
    Record<
      Journey,
      {
        readonly name: string;
        /** "applications", as it reads inside the honest-date sentences (in Welsh, mutated as they need) */
        readonly plural: string;
        readonly stages: Partial<Record<Stage, StageText>>;
        readonly sms: Partial<Record<string, string>>;
      }
    >
  >;
  readonly delay: Record<string, string>;
  /** how long cases like this one take, where the queue has got to, and the service-standard clock */
  readonly honestDates: {
    /** "1 working day", "2 working days"; `two` where a language says 2 its own way (Welsh: "2 ddiwrnod") */
    readonly workingDays: { readonly one: string; readonly two?: string; readonly other: string };
    readonly estimate: string;
    readonly aim: string;
    readonly pastEstimate: string;
    readonly queue: string;
    readonly paused: string;
    readonly moved: string;
    /** what a screen reader says before a warning */
    readonly warning: string;
  };
}

export const CONTENT: Record<Language, ContentCatalogue> = { en, cy };

export function fill(template: string, values: Readonly<Record<string, string | number | undefined>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    return value === undefined ? whole : String(value);
  });
}

// A date formatter costs far more to create than to use, so each is built once, on first use
// (not at load: the status handler's cold start is part of a citizen's wait).
const dateFormats: Partial<Record<Language, Intl.DateTimeFormat>> = {};
const dateFormat = (language: Language): Intl.DateTimeFormat =>
  (dateFormats[language] ??= new Intl.DateTimeFormat(language === 'cy' ? 'cy-GB' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }));

/** A date as a citizen reads it: "4 December 2026", "4 Rhagfyr 2026". */
export function readableDate(isoDate: string | undefined, language: Language): string | undefined {
  if (!isoDate) return undefined;
  const at = new Date(isoDate.length === 10 ? `${isoDate}T12:00:00Z` : isoDate);
  if (Number.isNaN(at.getTime())) return undefined;
  return dateFormat(language).format(at);
}

let timeFormat: Intl.DateTimeFormat | undefined;

/** The time of day of an instant in the UK, as both languages write it: "14:05". */
export function readableTime(iso: string): string {
  return (timeFormat ??= new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' })).format(new Date(iso));
}

export function stageText(journey: Journey, stage: Stage, language: Language): StageText {
  const text = CONTENT[language].journeys[journey]?.stages[stage];
  if (!text) throw new Error(`no ${language} text for ${journey} stage ${stage}`);
  return text;
}

export interface PublicStatus {
  readonly reference: string;
  readonly journey: Journey;
  readonly language: Language;
  readonly service: { readonly code: string; readonly name: string };
  readonly stage: { readonly code: Stage; readonly title: string; readonly description: string };
  readonly nextSteps: string;
  readonly responsible: string;
  readonly expectedBy?: string;
  readonly delay?: { readonly reason: string; readonly newDate: string };
  readonly history: readonly { readonly at: string; readonly title: string }[];
  /** when we texted the citizen about this case (messages that were sent) */
  readonly texts: readonly { readonly at: string }[];
  readonly updatedAt: string;
}


/**
 * The public status: what a citizen sees for their reference. Built field by field from the
 * public attributes, so personal data cannot slip into it. (What it says about time besides the
 * standard's date is added by domain/citizens/honest-dates.ts.)
 */
export function publicStatus(stored: PublicCaseFields, language: Language, today: string): PublicStatus {
  // a permit past its end reads as expired, whether or not the job has moved it yet
  const record = asOf(stored, today);
  const service = findService(record.service);
  const expectedBy = citizensDate(record);
  const values = {
    reference: record.reference,
    appeals: record.links?.appeals,
    service: service?.name[language] ?? record.service,
    team: service?.team[language] ?? '',
    reason: record.stage === 'information-needed' ? record.informationRequest?.reason : record.decision?.reason,
    expectedBy: readableDate(expectedBy, language),
    expiresOn: readableDate(record.expiresOn, language),
    appealBy: readableDate(record.appealBy, language),
    renewBy: readableDate(service && renewableUntil(record, service), language),
  };
  const text = stageText(record.journey, record.stage, language);
  const nextSteps = record.stage === 'expired' && text.nextStepsTooLateToRenew && !(service && renewalOpen(record, service, today)) ? text.nextStepsTooLateToRenew : text.nextSteps;
  const delay = record.delay
    ? {
        // a reason of the platform's own (its code) has words in the catalogue; a caseworker's is their words, as written
        reason: Object.hasOwn(CONTENT[language].delay, record.delay.reason) ? fill(CONTENT[language].delay[record.delay.reason], { days: record.delay.days }) : record.delay.reason,
        newDate: record.delay.newDate,
      }
    : undefined;
  return {
    reference: record.reference,
    journey: record.journey,
    language,
    service: { code: record.service, name: values.service },
    stage: { code: record.stage, title: fill(text.title, values), description: fill(text.description, values) },
    nextSteps: fill(nextSteps, values),
    responsible: fill(text.responsible, values),
    ...(expectedBy ? { expectedBy } : {}),
    ...(delay ? { delay } : {}),
    history: record.history.map((entry) => ({ at: entry.at, title: stageText(record.journey, entry.stage, language).title })),
    texts: (record.notifications ?? []).filter((sent) => sent.status === 'sent').map((sent) => ({ at: sent.at })),
    updatedAt: record.updatedAt,
  };
}
