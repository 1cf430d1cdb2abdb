// The names of the platform's own CloudWatch metrics, shared by the functions that emit them
// and the alarms and dashboard that watch them. Every function emits them under one dimension,
// so an alarm sees a metric whichever function counted it.
export const METRICS_NAMESPACE = 'JourneyTracker';
export const METRICS_DIMENSION = { service: 'journey-tracker' } as const;
/**
 * In AWS, every metric also has the stage's name (dev, prod) as this dimension, so each stage's
 * alarms count only its own cases when both share an account.
 */
export const STAGE_DIMENSION = 'stage';

export const METRIC = {
  casesOnHold: 'CasesOnHold',
  casesEscalated: 'CasesEscalated',
  /** a milestone that could not be published: nobody was texted and the feed missed it */
  milestonesNotPublished: 'MilestonesNotPublished',
  /** a working day counted past the end of the bank-holiday calendar (catalogue/bank-holidays.json) */
  bankHolidaysMissing: 'BankHolidaysMissing',
  smsSent: 'SmsSent',
  smsFailed: 'SmsFailed',
  smsOptedOut: 'SmsOptedOut',
  smsSegments: 'SmsSegments',
  /** a performance figure (a tally, an estimate) that could not be written: the published figures are short of it */
  figuresNotCounted: 'FiguresNotCounted',
  /** per decision, with the service's journey as dimensions: the working days it took, pauses for the citizen left out */
  workingDaysToDecision: 'WorkingDaysToDecision',
  /** per decision, with the service's journey as dimensions: 1 within the service standard, 0 not; the average is the share */
  decidedWithinStandard: 'DecidedWithinStandard',
  /** a "still being worked on" text announced for a case quiet for too long */
  quietCasesTold: 'QuietCasesTold',
  /** a wrong date of birth sent for a case (domain/citizens/identity.ts): many across cases is someone guessing */
  wrongDatesOfBirth: 'WrongDatesOfBirth',
  /** a case whose protected actions wrong dates of birth paused (its citizen is texted) */
  casesPausedForDatesOfBirth: 'CasesPausedForDatesOfBirth',
} as const;

/** The dimensions of the per-decision metrics: which service (by its catalogue code) and journey. */
export const performanceDimensions = (service: string, journey: string): { serviceCode: string; journey: string } => ({ serviceCode: service, journey });

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
