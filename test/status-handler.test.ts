// The status handler checks a reference before it reads anything: with no database reachable
// at all, a typo still gets its 400.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as StatusHandler from '../lambdas/api/get-status';
import { newReference, ALPHABET } from '../lambdas/domain/shared/reference';
import { ENV } from '../lambdas/environment';

process.env[ENV.caseTable] = 'cases';
process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9'; // nothing listens there
process.env.AWS_MAX_ATTEMPTS = '1';

const event = (reference: string) => ({ pathParameters: { reference }, queryStringParameters: null, headers: {}, resource: '/status/{reference}' }) as unknown as APIGatewayProxyEvent;

it('answers a one-symbol typo with a 400 before any database read', async () => {
  // required here, after the environment above is set, as Lambda would load it
  const { handler } = require('../lambdas/api/get-status') as typeof StatusHandler;
  const reference = newReference('application');
  const typo = reference.slice(0, -1) + ALPHABET[(ALPHABET.indexOf(reference.at(-1)!) + 1) % 32];
  const reply = await handler(event(typo));
  expect(reply.statusCode).toBe(400);
  expect(JSON.parse(reply.body).error.message).toMatch(/mistake/);
  // the same handler with a valid reference does try the (unreachable) database, and says so safely
  const valid = await handler(event(reference));
  expect(valid.statusCode).toBe(500);
  expect(JSON.parse(valid.body).error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
});
