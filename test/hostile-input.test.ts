// Hostile input across every route: each gets a 4xx JSON error a person can read, none a 5xx,
// and nothing stored changes.
import { startTestPlatform, anApplication, storedItems, type Api } from './support/platform';
import type { Platform } from '../local/platform';
import { ROUTES } from '../lambdas/functions';

let platform: Platform;
let api: Api;
let ref: string;
const DOB = '1990-04-01';

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform({ rateLimit: { requests: 100_000, windowSeconds: 60, pathPrefixes: ['/status/'] } }));
  ref = (await api.submit(anApplication({ applicant: { dateOfBirth: DOB } }))).body.reference;
  await api.stage(ref, 'awaiting-decision');
});
afterAll(() => platform.stop());

const JSON_TYPE = { 'content-type': 'application/json' };
const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
const valid = anApplication();

interface Hostile {
  readonly method: string;
  readonly path: string | (() => string);
  readonly raw?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly token?: string;
  /** where the exact answer matters: the status, and the fields the error must name */
  readonly refuses?: { readonly status: number; readonly fields: readonly string[] };
}

// The same hidden right-to-left override in every kind of text: one free-text rule refuses it.
const RLO = 'Checked \u202eeno ti llet ot gnihton';

const CASES: [string, Hostile][] = [
  // submissions
  ['malformed JSON', { method: 'POST', path: '/applications', raw: '{"service":', headers: JSON_TYPE }],
  ['truncated JSON', { method: 'POST', path: '/applications', raw: JSON.stringify(valid).slice(0, 60), headers: JSON_TYPE }],
  ['plain text', { method: 'POST', path: '/applications', raw: 'service=parking-permit', headers: { 'content-type': 'text/plain' } }],
  ['XML', { method: 'POST', path: '/applications', raw: '<application><service>parking-permit</service></application>', headers: { 'content-type': 'application/xml' } }],
  ['an empty body', { method: 'POST', path: '/applications', raw: '', headers: JSON_TYPE }],
  ['JSON null', { method: 'POST', path: '/applications', raw: 'null', headers: JSON_TYPE }],
  ['a JSON number', { method: 'POST', path: '/applications', raw: '1e309', headers: JSON_TYPE }],
  ['a JSON string', { method: 'POST', path: '/applications', raw: '"parking-permit"', headers: JSON_TYPE }],
  ['a JSON array', { method: 'POST', path: '/applications', raw: JSON.stringify([valid]), headers: JSON_TYPE }],
  ['a huge body', { method: 'POST', path: '/applications', raw: JSON.stringify({ ...valid, padding: 'x'.repeat(200_000) }), headers: JSON_TYPE }],
  ['deeply nested objects', { method: 'POST', path: '/applications', raw: nested(5000, '{"a":', '}').replace(/}$/, '1}'), headers: JSON_TYPE }],
  ['deeply nested arrays', { method: 'POST', path: '/applications', raw: nested(20_000, '[', ']'), headers: JSON_TYPE }],
  ['a phone number as a number', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, phone: 447700900123 } } }],
  ['a date of birth out of range', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, dateOfBirth: '99999-01-01' } } }],
  ['a name that is a number', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, name: 1e308 } } }],
  ['a name with a bell character', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, name: 'Alex\u0007Example' } } }],
  ['a name with a NUL byte', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, name: 'Alex\u0000' } } }],
  ['a name with a right-to-left override', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, name: 'Alex \u202eelpmaxE' } }, refuses: { status: 400, fields: ['applicant.name'] } }],
  ['fields the form does not ask for', { method: 'POST', path: '/applications', body: { ...valid, stage: 'approved', admin: true }, refuses: { status: 400, fields: ['stage', 'admin'] } }],
  ['a detail the service does not ask for', { method: 'POST', path: '/applications', body: { ...valid, details: { ...valid.details, discount: '100%' } }, refuses: { status: 400, fields: ['details.discount'] } }],
  ['a name of emoji only', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, name: '🚗🚗🚗' } } }],
  ['a 10,000-character name', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, name: 'ŵ'.repeat(10_000) } } }],
  ['SQL injection in the service', { method: 'POST', path: '/applications', body: { ...valid, service: "parking-permit' OR '1'='1' --" } }],
  ['NoSQL injection in the service', { method: 'POST', path: '/applications', body: { ...valid, service: { $ne: null } } }],
  ['path traversal in the service', { method: 'POST', path: '/applications', body: { ...valid, service: '../../etc/passwd' } }],
  ['a __proto__ key instead of the form', { method: 'POST', path: '/applications', raw: '{"__proto__":{"service":"parking-permit","admin":true}}', headers: JSON_TYPE }],
  ['a constructor key in the details', { method: 'POST', path: '/applications', raw: JSON.stringify({ ...valid, details: { ...valid.details, constructor: { prototype: { admin: true } } } }), headers: JSON_TYPE }],
  ['header injection in the language', { method: 'POST', path: '/applications', body: { ...valid, applicant: { ...valid.applicant, language: 'en\r\nSet-Cookie: admin=1' } } }],
  ['an Idempotency-Key with spaces', { method: 'POST', path: '/applications', body: valid, headers: { 'idempotency-key': 'key with spaces' } }],
  // status lookups
  ['path traversal in a reference', { method: 'GET', path: '/status/..%2F..%2Fetc%2Fpasswd' }],
  ['a NUL byte in a reference', { method: 'GET', path: '/status/APP-7K3M%00-9Q2X-4FJT' }],
  ['a 5,000-character reference', { method: 'GET', path: `/status/${'APP'.repeat(1700)}` }],
  ['SQL injection as a reference', { method: 'GET', path: `/status/${encodeURIComponent("APP' OR '1'='1")}` }],
  ['emoji as a reference', { method: 'GET', path: `/status/${encodeURIComponent('APP-🚗🚗🚗🚗-9Q2X-4FJT')}` }],
  ['right-to-left text as a reference', { method: 'GET', path: `/status/${encodeURIComponent('APP-\u202eTJF4-X2Q9-M3K7')}` }],
  ['broken percent-encoding in a reference', { method: 'GET', path: '/status/%E0%A4%A' }],
  ['a one-symbol typo with a script in ?lang', { method: 'GET', path: () => `/status/${typo(ref)}?lang=<script>alert(1)</script>` }],
  // answers to requests for information
  ['a wrong date-of-birth format', { method: 'POST', path: () => `/status/${ref}/information`, body: { dateOfBirth: '01/04/1990', information: 'x' } }],
  ['information as an object', { method: 'POST', path: () => `/status/${ref}/information`, body: { dateOfBirth: DOB, information: { $where: 'sleep(1000)' } } }],
  ['the wrong date of birth', { method: 'POST', path: () => `/status/${ref}/information`, body: { dateOfBirth: '1999-09-09', information: 'Here it is.' } }],
  ['an answer when none was asked for', { method: 'POST', path: () => `/status/${ref}/information`, body: { dateOfBirth: DOB, information: 'Unasked.' } }],
  ['a right-to-left override in an answer', { method: 'POST', path: () => `/status/${ref}/information`, body: { dateOfBirth: DOB, information: RLO }, refuses: { status: 400, fields: ['information'] } }],
  ['a stage sent with an answer', { method: 'POST', path: () => `/status/${ref}/information`, body: { dateOfBirth: DOB, information: 'Here it is.', stage: 'approved' }, refuses: { status: 400, fields: ['stage'] } }],
  // renewals and appeals
  ['NoSQL injection as the case to renew', { method: 'POST', path: '/renewals', body: { renews: { $gt: '' }, dateOfBirth: DOB } }],
  ['renewing a case that is not approved', { method: 'POST', path: '/renewals', body: { get renews() { return ref; }, dateOfBirth: DOB } }],
  ['SQL injection as the case to appeal', { method: 'POST', path: '/appeals', body: { appeals: "'; DROP TABLE cases; --", dateOfBirth: DOB, grounds: 'x'.repeat(20) } }],
  ['appealing a case that was not refused', { method: 'POST', path: '/appeals', body: { get appeals() { return ref; }, dateOfBirth: DOB, grounds: 'It was wrong of you.' } }],
  ['a right-to-left override in appeal grounds', { method: 'POST', path: '/appeals', body: { get appeals() { return ref; }, dateOfBirth: DOB, grounds: RLO }, refuses: { status: 400, fields: ['grounds'] } }],
  ['a renewal that changes the applicant\'s name', { method: 'POST', path: '/renewals', body: { get renews() { return ref; }, dateOfBirth: DOB, applicant: { name: 'Someone Else' } }, refuses: { status: 400, fields: ['applicant.name'] } }],
  // caseworker routes
  ['no token', { method: 'POST', path: () => `/cases/${ref}/decision`, body: { outcome: 'approve' } }],
  ['a token with two values', { method: 'GET', path: '/cases', headers: { authorization: 'Bearer dev-caseworker, dev-senior' } }],
  ['header injection in an outcome', { method: 'POST', path: () => `/cases/${ref}/decision`, token: 'dev-caseworker', body: { outcome: 'approve\r\nX-Injected: 1' } }],
  ['control characters in a reason', { method: 'POST', path: () => `/cases/${ref}/decision`, token: 'dev-caseworker', body: { outcome: 'refuse', reason: 'no\u0000\u001b[31m' } }],
  ['a right-to-left override in a decision reason', { method: 'POST', path: () => `/cases/${ref}/decision`, token: 'dev-caseworker', body: { outcome: 'refuse', reason: RLO }, refuses: { status: 400, fields: ['reason'] } }],
  ['a decision made in someone else\'s name', { method: 'POST', path: () => `/cases/${ref}/decision`, token: 'dev-caseworker', body: { outcome: 'approve', by: 'dev-senior' }, refuses: { status: 400, fields: ['by'] } }],
  ['a decision as an array', { method: 'POST', path: () => `/cases/${ref}/decision`, token: 'dev-caseworker', raw: '[{"outcome":"approve"}]', headers: JSON_TYPE }],
  ['an impossible delay date', { method: 'POST', path: () => `/cases/${ref}/delay`, token: 'dev-caseworker', body: { reason: 'Waiting.', newDate: '2027-13-45' } }],
  ['a 10,000-character delay reason', { method: 'POST', path: () => `/cases/${ref}/delay`, token: 'dev-caseworker', body: { reason: 'w'.repeat(10_000), newDate: '2027-01-15' } }],
  ['a right-to-left override in a delay reason', { method: 'POST', path: () => `/cases/${ref}/delay`, token: 'dev-caseworker', body: { reason: RLO, newDate: '2027-01-15' }, refuses: { status: 400, fields: ['reason'] } }],
  ['NoSQL injection in a queue name', { method: 'GET', path: '/cases?queue[$ne]=x', token: 'dev-caseworker', refuses: { status: 400, fields: ['queue??ne?'] } }],
  ['a one-symbol typo in a case a caseworker opens', { method: 'GET', path: () => `/cases/${typo(ref)}`, token: 'dev-caseworker', refuses: { status: 400, fields: ['reference'] } }],
  ['a limit out of range', { method: 'GET', path: '/cases?queue=awaiting-decision&limit=1e309', token: 'dev-caseworker' }],
  ['a negative limit', { method: 'GET', path: '/cases?queue=awaiting-decision&limit=-1', token: 'dev-caseworker' }],
  ['a forged page cursor', { method: 'GET', path: `/cases?queue=awaiting-decision&next=${Buffer.from('{"reference":{"S":"x"}}').toString('base64url')}`, token: 'dev-caseworker' }],
  ['an unknown route', { method: 'GET', path: '/admin' }],
  ['an unsupported method', { method: 'DELETE', path: () => `/cases/${ref}`, token: 'dev-caseworker' }],
];

function typo(reference: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return reference.slice(0, -1) + alphabet[(alphabet.indexOf(reference.at(-1)!) + 1) % 32];
}

const pathOf = (hostile: Hostile) => (typeof hostile.path === 'function' ? hostile.path() : hostile.path);
const routeOf = (hostile: Hostile) =>
  ROUTES.find((route) => route.method === hostile.method && new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(pathOf(hostile).split('?')[0]));


describe('hostile input', () => {
  let before: unknown;
  let itemsBefore: number;
  beforeAll(async () => {
    await platform.settled(); // the "received" text has been sent, recorded and counted, and the scheduled runs at start are done
    before = (await api.case(ref)).body;
    itemsBefore = await storedItems(platform);
  });

  it('has hostile cases for every route in the route table', () => {
    const untried = ROUTES.filter((route) => !CASES.some(([, hostile]) => routeOf(hostile) === route)).map((route) => `${route.method} ${route.path}`);
    expect(untried).toEqual([]);
  });

  it.each(CASES)('answers %s with a 4xx JSON error', async (_name, hostile) => {
    const reply = await api.request(hostile.method, pathOf(hostile), { raw: hostile.raw, body: hostile.body, headers: hostile.headers, token: hostile.token });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    if (hostile.refuses) {
      expect(reply.status).toBe(hostile.refuses.status);
      expect(reply.body.error.fields.map((problem: { field: string }) => problem.field)).toEqual(hostile.refuses.fields);
    }
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body.error).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/\w{3,}/) });
    expect(JSON.stringify(reply.body)).not.toMatch(/\bat .+:\d+:\d+|Exception|stack/);
  });

  it('stores nothing new, leaves the stored case as it was and the server answering', async () => {
    expect(await storedItems(platform)).toBe(itemsBefore);
    expect((await api.case(ref)).body).toEqual(before);
    expect((await api.status(ref)).status).toBe(200);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
