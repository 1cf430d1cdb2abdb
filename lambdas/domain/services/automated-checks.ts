// Automated checks run before a caseworker sees a case: they confirm the details fit the
// service's rules and flag a case as complex when a person has to look more closely.
import type { Service } from './catalogue';

export interface CheckResult {
  readonly complex: boolean;
  readonly flags: readonly string[];
}

export function runAutomatedChecks(service: Service, details: Readonly<Record<string, string>>): CheckResult {
  const flags: string[] = [];
  const area = (details.postcode ?? '').toUpperCase().match(/^[A-Z]{1,2}/)?.[0];
  if (!area || !service.checks.postcodeAreas.includes(area)) flags.push('postcode-outside-area');
  if ((details.vehicleKeeper ?? service.checks.complexWhenKeeperIsNot) !== service.checks.complexWhenKeeperIsNot) {
    flags.push('vehicle-not-registered-to-applicant');
  }
  return { complex: flags.length > 0, flags };
}
