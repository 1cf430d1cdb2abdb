// The shape of the one case table, read by the CDK construct and by the local platform so the
// two cannot drift apart.
export const CASE_TABLE = {
  partitionKey: 'reference',
  queueIndex: { name: 'queue-index', partitionKey: 'queue', sortKey: 'queuedAt' },
  /** attributes the queue index carries besides its keys: no personal data */
  queueIndexAttributes: ['journey', 'service', 'stage', 'expectedBy', 'checks', 'createdAt', 'lastMilestoneAt'],
  timeToLiveAttribute: 'expiresAt',
  /**
   * Items that are not cases but the service's own figures (lambdas/domain/performance/performance.ts) start
   * with this; no reference can (a reference is letters, digits and hyphens), and the functions
   * that only read or count figures may touch no other item.
   */
  performancePrefix: 'perf#',
  /** Items that remember which case a text was, by the SMS provider's id for it, until its receipt is in. */
  sentTextPrefix: 'sms#',
} as const;

/** The item that holds one day's figures of a service's journey. */
export const performanceDayKey = (service: string, journey: string, day: string): string => `${CASE_TABLE.performancePrefix}${service}#${journey}#${day}`;
/**
 * The items a day's tallies are counted in: 256 slices of the day, each tally in the one its hash
 * names, so no item holds more than about a 256th of a day's record of what was counted (see
 * dynamodb-performance-store.ts).
 */
export const performanceSliceKey = (service: string, journey: string, day: string, slice: string): string => `${performanceDayKey(service, journey, day)}#${slice}`;
/** The item that holds what is published for a service's journey: its estimate and queue positions. */
export const performanceSummaryKey = (service: string, journey: string): string => `${CASE_TABLE.performancePrefix}${service}#${journey}`;
