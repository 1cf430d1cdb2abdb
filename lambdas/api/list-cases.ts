// GET /cases?queue=…: a caseworker queue, oldest first, with the date each case is due by.
import { caseStore, clock } from '../adapters/aws/deps';
import { listedIn } from '../domain/casework/work-queue';
import { ukDate } from '../domain/shared/working-days';
import { caseworker, httpHandler, json } from '../http/http';
import { queueQuery } from '../http/inputs';
import { readInput } from '../domain/shared/schema';

const store = caseStore();

export const handler = httpHandler(async (event) => {
  caseworker(event);
  const { queue, limit, next } = readInput(queueQuery, event.queryStringParameters ?? {});
  const page = await store.queue(queue, limit, next);
  const now = clock();
  // as the console lists it: a renewal-due permit only once reminded and until it runs out
  const at = { now: now.toISOString(), today: ukDate(now) };
  return json(200, { queue, ...page, cases: page.cases.filter((entry) => listedIn(queue, entry, at)) });
});
