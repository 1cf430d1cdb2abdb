// Subscribed to the milestone topic: texts the citizen in their language (domain/messages/notifications.ts).
import middy from '@middy/core';
import { SNSClient } from '@aws-sdk/client-sns';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SNSEvent } from 'aws-lambda';
import { notify, type NotifierDeps } from '../domain/messages/notifications';
import type { MilestoneEvent } from '../domain/cases/milestones';
import { caseStore, clock, metrics, performanceStore } from '../adapters/aws/deps';
import { documentClient } from '../adapters/aws/dynamodb-case-store';
import { DynamoSentTexts } from '../adapters/aws/dynamodb-sent-texts';
import { ENV, requireEnv } from '../environment';
import { SnsSmsSender } from '../adapters/aws/sns';
import { log, logger } from '../adapters/aws/logger';

const db = documentClient();
const deps: NotifierDeps = { store: caseStore(db), performance: performanceStore(db), sentTexts: new DynamoSentTexts(db, requireEnv(ENV.caseTable)), sms: new SnsSmsSender(new SNSClient({})), metrics, log, clock };

export const handler = middy(async (event: SNSEvent) => {
  for (const record of event.Records) {
    await notify(deps, JSON.parse(record.Sns.Message) as MilestoneEvent);
  }
}).use(injectLambdaContext(logger));
