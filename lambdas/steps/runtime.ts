// What every journey step (and scheduled job) shares: the one logger, with the Lambda context
// through middy. Each handler builds the adapters its registry needs allow, once per container.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../adapters/aws/logger';

export function step<I, O>(fn: (input: I) => Promise<O>) {
  return middy(async (input: I) => fn(input)).use(injectLambdaContext(logger));
}

export { logger };
