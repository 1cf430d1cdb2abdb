// Subscribed to SNS's SMS delivery-status logs: records on each case whether its texts reached the
// phone, and counts it in the published figures (domain/messages/receipts.ts).
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { recordReceipt, type ReceiptDeps } from '../domain/messages/receipts';
import { caseStore, clock, metrics, performanceStore } from '../adapters/aws/deps';
import { documentClient } from '../adapters/aws/dynamodb-case-store';
import { DynamoSentTexts } from '../adapters/aws/dynamodb-sent-texts';
import { receiptsOf, type LogsEvent } from '../adapters/aws/sms-receipts';
import { log, logger } from '../adapters/aws/logger';
import { ENV, requireEnv } from '../environment';

const db = documentClient();
const deps: ReceiptDeps = { store: caseStore(db), performance: performanceStore(db), sentTexts: new DynamoSentTexts(db, requireEnv(ENV.caseTable)), metrics, log, clock };

export const handler = middy(async (event: LogsEvent) => {
  const outcomes = { recorded: 0, already: 0, unknown: 0 };
  for (const receipt of receiptsOf(event)) outcomes[await recordReceipt(deps, receipt)]++;
  logger.info('delivery receipts', outcomes);
  return outcomes;
}).use(injectLambdaContext(logger));
