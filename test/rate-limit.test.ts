// Per-client rate limiting of public status lookups on the local platform, mirroring the WAF
// rule deployed in AWS (same numbers, from lambdas/http/rate-limits.ts).
import { startTestPlatform, type Api } from './support/platform';
import type { Platform } from '../local/platform';
import { RateLimiter } from '../lambdas/http/rate-limits';

let platform: Platform;
let api: Api;
beforeAll(async () => {
  ({ platform, api } = await startTestPlatform({ rateLimit: { requests: 5, windowSeconds: 60, pathPrefixes: ['/status/'] } }));
});
afterAll(() => platform.stop());

it('answers a client that looks up too often with 429 and when to try again, over HTTP', async () => {
  const replies = [];
  for (let i = 0; i < 7; i++) replies.push(await api.status('APP-7K3M-9Q2X-4FJT'));
  expect(replies.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 429, 429]);
  const limited = replies[5];
  expect(limited.body.error).toEqual({ code: 'rate-limited', message: expect.stringMatching(/Try again in 1 minute/) });
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  // other routes are not counted
  expect((await api.request('GET', '/cases', { token: 'dev-caseworker' })).status).toBe(200);
});

it('counts each client on its own and starts afresh in the next window', () => {
  let now = 0;
  const limiter = new RateLimiter({ requests: 2, windowSeconds: 10, pathPrefixes: ['/status/'] }, () => now);
  expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((v) => v.allowed)).toEqual([true, true, false]);
  expect(limiter.take('b').allowed).toBe(true);
  now = 10_000;
  expect(limiter.take('a').allowed).toBe(true);
});
