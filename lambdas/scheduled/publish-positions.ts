// Scheduled (EventBridge Scheduler in AWS, a timer locally): where each service's queues have got
// to ("we are now deciding applications received on or before …"), read from the queue index,
// and every journey's estimate worked out again so its 90 days move on.
import { publishPositions } from '../domain/performance/performance-tally';
import { caseStore, clock, metrics, performanceStore } from '../adapters/aws/deps';
import { documentClient } from '../adapters/aws/dynamodb-case-store';
import { log } from '../adapters/aws/logger';
import { logger, step } from '../steps/runtime';

const db = documentClient();
const deps = { store: caseStore(db), performance: performanceStore(db), metrics, log, clock };

export const handler = step(async () => {
  const result = await publishPositions(deps);
  logger.info('queue positions published', result);
  return result;
});
