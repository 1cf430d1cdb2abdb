// The shape of the one case table, read by the CDK construct and by the local platform so the
// two cannot drift apart.
export const CASE_TABLE = {
  partitionKey: 'reference',
  queueIndex: { name: 'queue-index', partitionKey: 'queue', sortKey: 'queuedAt' },
  /** attributes the queue index carries besides its keys: no personal data */
  queueIndexAttributes: ['journey', 'service', 'stage', 'expectedBy', 'checks', 'createdAt', 'lastMilestoneAt'],
  timeToLiveAttribute: 'expiresAt',
} as const;
