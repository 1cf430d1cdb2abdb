// The service catalogue: what a citizen can apply for, the journeys each service offers, the
// details it asks for and the service standards (in working days) it promises.
import services from '../../../catalogue/services.json';
import type { Journey } from '../shared/reference';
import type { Language } from '../shared/language';
import { ServiceNotOffered } from '../shared/errors';

/** Words in each language the citizen can read: the apply form is generated from these. */
export type Words = Readonly<Record<Language, string>>;

/**
 * One detail a service asks for. The API names it by `field`; the apply page shows its label,
 * hint and choices in the citizen's language. `label` reads inside a sentence ("Enter the
 * {label}"), so it starts in lower case.
 */
export interface DetailField {
  readonly field: string;
  readonly label: Words;
  readonly required: boolean;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly oneOf?: readonly { readonly value: string; readonly label: Words }[];
  readonly hint?: Words;
  /** what the browser may fill it with (HTML autocomplete), e.g. "postal-code" */
  readonly autocomplete?: string;
  /** a value that passes, for the examples the platform prints (`npm start`); a choice's first value otherwise */
  readonly example?: string;
}

export interface ServiceStandard {
  /** working days from the end of automated checks to a decision */
  readonly decisionWorkingDays: number;
  /** the same, for a case the automated checks flagged as complex */
  readonly complexDecisionWorkingDays: number;
  /** working days a senior caseworker has once the standard above has passed */
  readonly escalatedWorkingDays: number;
  /** working days a citizen has to send information a caseworker asked for */
  readonly informationWorkingDays: number;
  /** the share of decisions (in per cent) the service publishes as its aim to make within the standard; an alarm watches it */
  readonly withinStandardTargetPercent: number;
}

export interface Service {
  readonly code: string;
  readonly name: Record<Language, string>;
  readonly team: Record<Language, string>;
  readonly journeys: readonly Journey[];
  readonly details: readonly DetailField[];
  readonly checks: { readonly postcodeAreas: readonly string[]; readonly complexWhenKeeperIsNot: string };
  readonly serviceStandards: Partial<Record<Journey, ServiceStandard>>;
  readonly appealWindowDays: number;
  readonly validityMonths: number;
  /** how many days before a permit runs out the citizen is reminded to renew */
  readonly renewalReminderDays: number;
  /** how many days after a permit runs out it can still be renewed; after them, the citizen applies again */
  readonly renewalGraceDays: number;
  /** working days without a milestone after which a case is quiet for too long: flagged in the caseworker queue */
  readonly quietAfterWorkingDays: number;
}

const catalogue: Record<string, Service> = Object.fromEntries(
  Object.entries(services).map(([code, service]) => [code, { code, ...service } as Service]),
);

export const serviceCodes = (): string[] => Object.keys(catalogue);

export function findService(code: string): Service | undefined {
  return Object.hasOwn(catalogue, code) ? catalogue[code] : undefined;
}

/**
 * The service a case belongs to. A case whose service has left the catalogue gets this one error
 * everywhere (ServiceNotOffered): an API answers it as a 409; a journey step fails and the case
 * goes on hold.
 */
export function requireService(code: string): Service {
  const service = findService(code);
  if (!service) throw new ServiceNotOffered(code);
  return service;
}

/** A service's details filled with examples that pass: what `npm start` prints to try the API with. */
export const exampleDetails = (service: Service): Record<string, string> =>
  Object.fromEntries(service.details.flatMap((field) => {
    const value = field.example ?? field.oneOf?.[0]?.value;
    return value === undefined ? [] : [[field.field, value]];
  }));

/** Whether a service offers a journey: a service without appeals cannot be appealed, and so on. */
export const offers = (service: Service, journey: Journey): boolean => service.journeys.includes(journey);

/** The services that offer a journey, e.g. those that take new applications. */
export const serviceCodesOffering = (journey: Journey): string[] => serviceCodes().filter((code) => offers(catalogue[code], journey));

export function serviceStandard(service: Service, journey: Journey): ServiceStandard {
  const standard = service.serviceStandards[journey];
  if (!standard) throw new Error(`service ${service.code} has no service standard for ${journey}`);
  return standard;
}
