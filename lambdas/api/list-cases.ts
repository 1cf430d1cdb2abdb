// GET /cases?queue=…: a caseworker queue, oldest first, with the date each case is due by.
import { caseStore } from '../adapters/aws/deps';
import { caseworker, httpHandler, json } from '../http/http';
import { queueQuery } from '../http/inputs';
import { readInput } from '../domain/shared/schema';

const store = caseStore();

export const handler = httpHandler(async (event) => {
  caseworker(event);
  const { queue, limit, next } = readInput(queueQuery, event.queryStringParameters ?? {});
  const page = await store.queue(queue, limit, next);
  return json(200, { queue, ...page });
});
