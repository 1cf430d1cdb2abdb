// Per-client rate limits on the local platform, mirroring the WAF rules deployed in AWS (the same
// numbers and paths, from lambdas/http/rate-limits.ts; test/cdk-firewall.test.ts checks the WAF
// side): every public route that takes a reference or a date of birth is limited, whatever route
// is added, and checking a date of birth much more tightly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestPlatform, anApplication, type Api } from './support/platform';
import type { Platform } from '../local/platform';
import { HTTP_ROUTES, type HttpRoute } from '../lambdas/functions';
import { DATE_OF_BIRTH_LIMIT, PUBLIC_LOOKUP_LIMIT, RATE_LIMITS, RateLimiter, counts } from '../lambdas/http/rate-limits';

const REFERENCE = 'APP-7K3M-9Q2X-4FJT';

describe('status lookups, over HTTP', () => {
  let platform: Platform;
  let api: Api;
  beforeAll(async () => {
    ({ platform, api } = await startTestPlatform({ rateLimit: { requests: 5, windowSeconds: 60, pathPrefixes: ['/status/'] } }));
  });
  afterAll(() => platform.stop());

  it('answers a client that looks up too often with 429 and when to try again', async () => {
    const replies = [];
    for (let i = 0; i < 7; i++) replies.push(await api.status(REFERENCE));
    expect(replies.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 429, 429]);
    const limited = replies[5];
    expect(limited.body.error).toEqual({ code: 'rate-limited', message: expect.stringMatching(/Try again in 1 minute\.$/) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // other routes are not counted
    expect((await api.request('GET', '/cases', { token: 'dev-caseworker' })).status).toBe(200);
  });
});

describe('guessing a date of birth, over HTTP', () => {
  let platform: Platform;
  let api: Api;
  beforeAll(async () => {
    // the deployed numbers: 20 in 5 minutes
    ({ platform, api } = await startTestPlatform({ rateLimit: DATE_OF_BIRTH_LIMIT }));
  });
  afterAll(() => platform.stop());

  it('stops 305 wrong dates of birth for one renewal from one client after the limit, with 429s, not 404s', async () => {
    const dateOfBirth = '1990-04-01';
    const submitted = await api.submit(anApplication({ applicant: { dateOfBirth } }));
    expect(submitted.status).toBe(202);
    const { reference } = submitted.body;
    const statuses: number[] = [];
    for (let i = 0; i < 305; i++) {
      const guess = `19${String(50 + (i % 50)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`;
      const reply = await api.request('POST', '/renewals', { body: { renews: reference, dateOfBirth: guess } });
      statuses.push(reply.status);
      if (reply.status === 429) {
        expect(reply.body.error).toEqual({ code: 'rate-limited', message: expect.stringMatching(/^Too many tries with a date of birth from your connection\. Try again in [1-5] minutes?\.$/) });
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(Number(reply.headers.get('retry-after'))).toBeLessThanOrEqual(DATE_OF_BIRTH_LIMIT.windowSeconds);
      }
    }
    expect(statuses.slice(0, DATE_OF_BIRTH_LIMIT.requests)).toEqual(Array(DATE_OF_BIRTH_LIMIT.requests).fill(404));
    expect(statuses.slice(DATE_OF_BIRTH_LIMIT.requests)).toEqual(Array(305 - DATE_OF_BIRTH_LIMIT.requests).fill(429));

    // the right date of birth, the other routes that check one (the pages too) wait as well: the limit is per client
    expect((await api.request('POST', '/renewals', { body: { renews: reference, dateOfBirth } })).status).toBe(429);
    expect((await api.request('POST', '/appeals', { body: { appeals: reference, dateOfBirth, grounds: 'I moved house last month.' } })).status).toBe(429);
    expect((await api.request('POST', `/status/${reference}/information`, { body: { dateOfBirth, information: 'Photo sent.' } })).status).toBe(429);
    const form = await api.request('POST', `/track/${reference}/renew`, { raw: 'dateOfBirth-day=1&dateOfBirth-month=4&dateOfBirth-year=1990', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(429);
    // looking up the status is not checking a date of birth
    expect((await api.status(reference)).status).toBe(200);
  });
});

describe('the limits', () => {
  const LAMBDAS = path.join(__dirname, '..', 'lambdas');
  const source = (file: string) => readFileSync(path.join(LAMBDAS, `${file}.ts`), 'utf8');
  /** the handler's own source and that of the modules it imports (one level), where a date of birth is read */
  const handlerAndImports = (entry: string) => {
    const own = source(entry);
    const imported = [...own.matchAll(/^import[^'"]*['"](\.[^'"]+)['"]/gm)].map((match) => path.join(path.dirname(entry), match[1]));
    return [own, ...imported.map(source)].join('\n');
  };
  /** a request a citizen could send to the route */
  const requestTo = (route: HttpRoute) => ({ method: route.method, path: route.path.replaceAll('{reference}', REFERENCE).replace('{proxy+}', 'some/where').replace(/\{\w+\}/g, 'x') });
  const limitedBy = (route: HttpRoute) => RATE_LIMITS.filter((limit) => counts(limit, requestTo(route))).map((limit) => limit.name);

  const publicRoutes = HTTP_ROUTES.filter((route) => route.access === 'public');
  // Found from the code, not from what the route table says about a route: a new route that
  // names a case or reads a date of birth is in these lists whether or not its entry says `takes`.
  const withReference = publicRoutes.filter((route) => route.path.includes('{reference}'));
  const readingDateOfBirth = publicRoutes.filter((route) => route.method === 'POST' && /dateOfBirth/.test(handlerAndImports(route.fn.entry)));
  const checkingDateOfBirth = publicRoutes.filter((route) => route.method === 'POST' && /\b(requireOwner|proveOwner)\(/.test(source(route.fn.entry)));

  it('finds the routes that take a reference or a date of birth in the code', () => {
    const named = (routes: HttpRoute[]) => routes.map((route) => `${route.method} ${route.path}`);
    expect(named(withReference)).toEqual(expect.arrayContaining(['GET /status/{reference}', 'GET /track/{reference}', 'GET /confirmation/{reference}']));
    expect(named(readingDateOfBirth)).toEqual(expect.arrayContaining(['POST /applications', 'POST /apply/{service}/submit', 'POST /renewals']));
    expect(named(checkingDateOfBirth).sort()).toEqual(
      ['POST /appeals', 'POST /renewals', 'POST /status/{reference}/information', 'POST /track/{reference}/answer', 'POST /track/{reference}/appeal', 'POST /track/{reference}/renew'].sort(),
    );
  });

  it('limits every public route that takes a reference or a date of birth, and those that check a date of birth tightly too', () => {
    for (const route of [...withReference, ...readingDateOfBirth]) {
      expect({ route: `${route.method} ${route.path}`, limits: limitedBy(route) }).toEqual({ route: `${route.method} ${route.path}`, limits: expect.arrayContaining([PUBLIC_LOOKUP_LIMIT.name]) });
    }
    for (const route of checkingDateOfBirth) {
      expect({ route: `${route.method} ${route.path}`, limits: limitedBy(route) }).toEqual({ route: `${route.method} ${route.path}`, limits: [PUBLIC_LOOKUP_LIMIT.name, DATE_OF_BIRTH_LIMIT.name] });
    }
    // ... and as the status lookup, /track?reference=
    expect(limitedBy(HTTP_ROUTES.find((route) => route.path === '/track')!)).toEqual([PUBLIC_LOOKUP_LIMIT.name]);
  });

  it('leaves the rest alone: the caseworkers, the other pages, the assets, and reading the forms that ask for a date of birth', () => {
    const unlimited = HTTP_ROUTES.filter((route) => route.access === 'caseworker' || ['/', '/apply', '/accessibility', '/privacy', '/contact', '/caseworker/sign-in', '/caseworker/callback'].includes(route.path));
    expect(unlimited.length).toBeGreaterThan(10);
    for (const route of unlimited) expect({ route: `${route.method} ${route.path}`, limits: limitedBy(route) }).toEqual({ route: `${route.method} ${route.path}`, limits: [] });
    expect(RATE_LIMITS.filter((limit) => counts(limit, { method: 'GET', path: '/assets/styles-0123456789.css' }))).toEqual([]);
    // an applicant's own date of birth is checked against nothing: not a guess
    expect(counts(DATE_OF_BIRTH_LIMIT, { method: 'POST', path: '/applications' })).toBe(false);
    for (const action of ['renew', 'appeal', 'answer']) expect(counts(DATE_OF_BIRTH_LIMIT, { method: 'GET', path: `/track/${REFERENCE}/${action}` })).toBe(false);
  });

  it('checks a date of birth much less often than it looks up, within what WAF can count', () => {
    for (const limit of RATE_LIMITS) {
      expect([60, 120, 300, 600]).toContain(limit.windowSeconds);
      expect(limit.requests).toBeGreaterThanOrEqual(10);
    }
    expect(DATE_OF_BIRTH_LIMIT.requests / DATE_OF_BIRTH_LIMIT.windowSeconds).toBeLessThan(PUBLIC_LOOKUP_LIMIT.requests / PUBLIC_LOOKUP_LIMIT.windowSeconds / 10);
  });
});

describe('the limiter', () => {
  it('counts each client on its own and starts afresh in the next window', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 2, windowSeconds: 10, pathPrefixes: ['/status/'] }, () => now);
    const lookup = { method: 'GET', path: `/status/${REFERENCE}` };
    expect([limiter.take('a', lookup), limiter.take('a', lookup), limiter.take('a', lookup)].map((v) => v.allowed)).toEqual([true, true, false]);
    expect(limiter.take('b', lookup).allowed).toBe(true);
    expect(limiter.take('a', { method: 'GET', path: '/cases' }).allowed).toBe(true);
    now = 10_000;
    expect(limiter.take('a', lookup).allowed).toBe(true);
  });

  it('counts a request against every limit that covers it, as WAF does, and stops at the first it is over', () => {
    const limiter = new RateLimiter(RATE_LIMITS, () => 0);
    const guess = { method: 'POST', path: '/renewals' };
    const verdicts = Array.from({ length: 25 }, () => limiter.take('a', guess));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(DATE_OF_BIRTH_LIMIT.requests);
    expect(verdicts.at(-1)).toEqual({ allowed: false, retryAfterSeconds: DATE_OF_BIRTH_LIMIT.windowSeconds, limit: DATE_OF_BIRTH_LIMIT });
    // every one of the 25 counted as a lookup too: 275 lookups left
    const lookups = Array.from({ length: 276 }, () => limiter.take('a', { method: 'GET', path: `/track/${REFERENCE}` }));
    expect(lookups.filter((v) => v.allowed)).toHaveLength(PUBLIC_LOOKUP_LIMIT.requests - 25);
  });

  it('reads a path as API Gateway routes it: percent-encoded letters are no way round', () => {
    const limiter = new RateLimiter(DATE_OF_BIRTH_LIMIT, () => 0);
    for (let i = 0; i < DATE_OF_BIRTH_LIMIT.requests; i++) limiter.take('a', { method: 'POST', path: '/renewals' });
    expect(limiter.take('a', { method: 'POST', path: '/%72enewals' }).allowed).toBe(false);
  });
});
