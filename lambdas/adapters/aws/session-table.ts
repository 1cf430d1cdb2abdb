// The shape of the console's session table, read by the CDK construct and by the local platform
// so the two cannot drift apart. A session is found by a hash of its cookie, never the cookie itself.
export const SESSION_TABLE = {
  partitionKey: 'id',
  /** DynamoDB deletes a session some time after this (epoch seconds); reads check the times themselves */
  timeToLiveAttribute: 'expiresAt',
} as const;
