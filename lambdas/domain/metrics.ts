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
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
