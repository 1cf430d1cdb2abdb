// GET /cases?queue=…: a caseworker queue, oldest first, with the date each case is due by.
import { caseStore } from '../adapters/aws/deps';
import { QUEUES, type Queue } from '../domain/case';
import { PublicError } from '../domain/errors';
import { caseworker, httpHandler, json } from '../http/http';

const store = caseStore();

export const handler = httpHandler(async (event) => {
  caseworker(event);
  const query = event.queryStringParameters ?? {};
  const unknown = Object.keys(query).filter((name) => !['queue', 'limit', 'next'].includes(name));
  if (unknown.length > 0) {
    throw new PublicError('invalid-request', `Unknown parameter ${unknown[0].slice(0, 40)}: use queue, limit and next.`, [{ field: unknown[0].slice(0, 40), message: 'Use queue, limit and next.' }]);
  }
  const queue = query.queue ?? 'awaiting-decision';
  if (!QUEUES.includes(queue as Queue)) {
    throw new PublicError('invalid-request', `There is no queue called "${queue.slice(0, 40)}". Choose one of: ${QUEUES.join(', ')}.`, [
      { field: 'queue', message: `Choose one of: ${QUEUES.join(', ')}.` },
    ]);
  }
  const limit = query.limit === undefined ? 25 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new PublicError('invalid-request', 'The limit must be a whole number from 1 to 100.', [{ field: 'limit', message: 'Use a whole number from 1 to 100.' }]);
  }
  const page = await store.queue(queue as Queue, limit, query.next);
  return json(200, { queue, ...page });
});
