// Names a client chooses that are also the names of Object's own methods and properties
// (`constructor`, `__proto__`, `toString`…), as query and form fields, headers, cookies, path
// parameters and their values, on every route of the route table, through the real local server
// (which builds API Gateway's event as AWS does: plain objects keyed by the client's names). Each
// gets what the route gives any other request it cannot use, a JSON error or a page, never a 5xx.
import { HTTP_ROUTES, type HttpRoute } from '../lambdas/functions';
import type { Platform } from '../local/platform';
import { signInAs, type SignedIn } from './support/console';
import { anApplication, startTestPlatform, type Api } from './support/platform';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'] as const;
type Name = (typeof NAMES)[number];

let platform: Platform;
let api: Api;
let reference: string;
let caseworker: SignedIn;

beforeAll(async () => {
  // thousands of requests from one address: the rate limits are not what is tested here
  ({ platform, api } = await startTestPlatform({ rateLimit: { requests: 1_000_000, windowSeconds: 60, pathPrefixes: ['/'] } }));
  reference = (await api.submit(anApplication())).body.reference;
  await api.stage(reference, 'awaiting-decision');
  await platform.settled();
  caseworker = await signInAs(platform.siteUrl, 'dev-caseworker');
}, 60_000);
afterAll(() => platform?.stop());

/** A real-looking value for each path parameter the route table has. */
const real = (parameter: string): string => {
  switch (parameter) {
    case 'reference':
      return reference;
    case 'service':
      return 'parking-permit';
    case 'queue':
      return 'awaiting-decision';
    case 'action':
      return 'approve';
    case 'proxy':
      return 'nothing-here';
    default:
      throw new Error(`no real-looking value for {${parameter}}: add one for the new route`);
  }
};
const parametersOf = (route: HttpRoute): string[] => [...route.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1]);
const pathOf = (route: HttpRoute, values: (parameter: string) => string = real): string =>
  route.path.replace(/\{(\w+)\+?\}/g, (_whole, parameter: string) => encodeURIComponent(values(parameter)));

/** A JSON object with `name` as its own key, `__proto__` included (an object literal would set the prototype instead). */
const jsonWith = (name: string, value: unknown): string => `{${JSON.stringify(name)}:${JSON.stringify(value)}}`;

interface Try {
  readonly what: string;
  readonly path: string;
  readonly headers?: readonly [string, string][];
  readonly cookies?: string;
  readonly body?: string;
}

/** Every way a request to `route` can carry `name`. */
function tries(route: HttpRoute, name: Name): Try[] {
  const path = pathOf(route);
  const fields = ['lang', 'reference', 'return', 'done', 'answered', 'service', 'journey', 'page', 'queue', 'limit', 'next', 'code', 'state', 'error'];
  const list: Try[] = [
    // none of these decides where the request goes, so one request carries them all
    { what: 'a query name (twice), a header name and a cookie name', path: `${path}?${encodeURIComponent(name)}=x&${encodeURIComponent(name)}=y`, headers: [[name, 'x']], cookies: `${name}=x` },
    {
      what: 'query and header values',
      path: `${path}?${fields.map((field) => `${field}=${encodeURIComponent(name)}`).join('&')}`,
      headers: [['accept-language', name], ['idempotency-key', name], ['if-none-match', name]],
    },
    { what: 'cookie values', path, cookies: `lang=${name}; __Host-caseworker-sign-in=${name}` },
    { what: 'the session cookie\'s value', path, cookies: `__Host-caseworker-session=${name}` },
  ];
  for (const parameter of parametersOf(route)) {
    list.push({ what: `{${parameter}}`, path: pathOf(route, (p) => (p === parameter ? name : real(p))) });
  }
  if (parametersOf(route).length > 1) list.push({ what: 'every path parameter', path: pathOf(route, () => name) });
  if (route.method === 'POST' && route.responds === 'json') {
    list.push({ what: 'a JSON key', path, body: jsonWith(name, name) });
    list.push({ what: 'nested JSON keys', path, body: `{"applicant":${jsonWith(name, name)},"details":${jsonWith(name, name)},"renews":${JSON.stringify(reference)}}` });
  }
  if (route.method === 'POST' && route.responds === 'html') {
    const named = encodeURIComponent(name);
    list.push({ what: 'a form field name', path, body: `${named}=x&${named}-day=1&${named}=y` });
    list.push({
      what: 'form field values',
      path,
      body: ['reference', 'reason', 'information', 'grounds', 'name', 'phone', 'language', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', 'newDate-day', 'zone', 'change', 'idempotencyKey', 'username']
        .map((field) => `${field}=${named}`)
        .join('&'),
    });
  }
  return list;
}

const STACK_TRACE = /\bat .+:\d+:\d+|Exception|\bstack\b/;

/** What is wrong with the answer, or undefined when it is one the route gives: a JSON error or a page, never a 5xx. */
async function problemWith(route: HttpRoute, attempt: Try): Promise<string | undefined> {
  const headers: [string, string][] = [...(attempt.headers ?? [])];
  if (route.signedInBy === 'token') headers.push(['authorization', 'Bearer dev-caseworker']);
  if (route.responds === 'html') headers.push(['accept', 'text/html']);
  const cookies = [attempt.cookies, route.signedInBy === 'session' && !attempt.cookies?.includes('caseworker-session') ? caseworker.cookie : undefined].filter(Boolean);
  if (cookies.length) headers.push(['cookie', cookies.join('; ')]);
  let body = attempt.body;
  if (route.method === 'POST') {
    if (route.responds === 'json') {
      body ??= '{}';
      headers.push(['content-type', 'application/json']);
    } else {
      // the console's forms carry the session's token, so the page itself reads the names (but never a confirmation: nothing is decided)
      const token = route.signedInBy === 'session' ? `csrf=${caseworker.csrf}` : '';
      body = [body, token].filter(Boolean).join('&');
      headers.push(['content-type', 'application/x-www-form-urlencoded']);
    }
  }
  const res = await fetch(platform.siteUrl + attempt.path, { method: route.method, headers, body, redirect: 'manual' });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const said = `${attempt.what}: ${res.status} ${type} ${text.slice(0, 120)}`;
  if (res.status >= 500) return said;
  if (STACK_TRACE.test(text)) return `${said} (a stack trace)`;
  if (res.status >= 300 && res.status < 400) return res.headers.get('location') ? undefined : `${said} (a redirect to nowhere)`;
  if (route.responds === 'html') return /^text\/html/.test(type) ? undefined : `${said} (not a page)`;
  if (route.responds === 'csv' && res.status === 200) return /^text\/csv/.test(type) ? undefined : `${said} (not CSV)`;
  if (!/^application\/json/.test(type)) return `${said} (not JSON)`;
  if (res.status < 400) return undefined;
  const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
  return typeof error?.code === 'string' && typeof error.message === 'string' && error.message.length > 10 ? undefined : `${said} (not a JSON error)`;
}

describe('names that are also Object\'s own', () => {
  it('answers GET /?constructor=x with the page to check a status', async () => {
    const res = await fetch(`${platform.siteUrl}/?constructor=x`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<form[^>]+action="\/track"/);
  });

  it('answers a status lookup with such names in its query and headers with the status', async () => {
    const res = await fetch(`${platform.siteUrl}/status/${reference}?__proto__=x&constructor=y&toString=z&lang=cy`, { headers: [['hasOwnProperty', '1'], ['valueOf', '2']] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ reference, language: 'cy', stage: { code: 'awaiting-decision' } });
  });

  it('refuses such a key in an application by its name', async () => {
    const res = await fetch(`${platform.siteUrl}/applications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"service":"parking-permit",${jsonWith('__proto__', { admin: true }).slice(1, -1)},"constructor":1}` });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { fields: { field: string }[] } };
    expect(error.fields.map((problem) => problem.field)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
  });

  it.each(HTTP_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s answers each with a JSON error or a page, never a 5xx', async (_name, route) => {
    // the names side by side, each's tries one after another
    const answers = await Promise.all(
      NAMES.map(async (name) => {
        const found: string[] = [];
        for (const attempt of tries(route, name)) {
          const problem = await problemWith(route, attempt);
          if (problem) found.push(`${name} as ${problem}`);
        }
        return { tried: tries(route, name).length, found };
      }),
    );
    expect(answers.flatMap((answer) => answer.found)).toEqual([]);
    expect(answers.reduce((sum, answer) => sum + answer.tried, 0)).toBeGreaterThanOrEqual(NAMES.length * 4);
  });

  it('leaves the case as it was: nothing above decided or changed it', async () => {
    expect((await api.case(reference)).body).toMatchObject({ stage: 'awaiting-decision' });
  });
});

describe('a caseworker\'s words that are also names of Object\'s own', () => {
  it('keeps the citizen\'s status working when a delay is explained as "toString", and shows the words as written', async () => {
    const delayed = (await api.submit(anApplication())).body.reference as string;
    await api.stage(delayed, 'awaiting-decision');
    // each later than the one before, within the year a delay may move a date
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    for (const [reason, newDate] of [['toString', inDays(150)], ['Waiting for {constructor} and {days}.', inDays(200)]]) {
      const recorded = await api.request('POST', `/cases/${delayed}/delay`, { token: 'dev-caseworker', body: { reason, newDate } });
      expect(recorded.status).toBe(200);
      const status = await api.status(delayed);
      expect(status.status).toBe(200);
      expect(status.body.delay).toEqual({ reason, newDate });
      const page = await fetch(`${platform.siteUrl}/track/${delayed}`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(reason);
    }
  });
});
