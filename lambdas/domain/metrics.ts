// The names of the platform's own CloudWatch metrics, shared by the functions that emit them
// and the alarms and dashboard that watch them.
export const METRICS_NAMESPACE = 'JourneyTracker';

export const METRIC_SERVICES = { journeys: 'journeys', notifier: 'notifier' } as const;

export const METRIC = {
  casesOnHold: 'CasesOnHold',
  casesEscalated: 'CasesEscalated',
  smsSent: 'SmsSent',
  smsFailed: 'SmsFailed',
  smsOptedOut: 'SmsOptedOut',
  smsSegments: 'SmsSegments',
} as const;
