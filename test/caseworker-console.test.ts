// The caseworker console over HTTP, without a browser: only a signed-in caseworker gets a page,
// sign-in cannot be finished by someone else's code or sent somewhere else, the session is held
// only as a hash and ends on sign-out or when idle, every form needs its session's token, personal
// data stays on the case page, and a caseworker is told why they cannot decide an appeal against
// their own decision. test/caseworker-console-pages.test.ts drives the same pages in a browser.
import { DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { HTTP_ROUTES } from '../lambdas/functions';
import { sessionId } from '../lambdas/domain/casework/sessions';
import type { Platform } from '../local/platform';
import { anApplication, startTestPlatform, type Api } from './support/platform';
import { chooseIdentity, signInAs, startSignIn } from './support/console';

let platform: Platform;
let api: Api;
let site: string;
const DOB = '1984-02-29';
const manual = { redirect: 'manual' } as const;

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform());
  site = platform.siteUrl;
}, 60_000);
afterAll(() => platform?.stop());

const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const page = (path: string, cookie: string) => fetch(site + path, { ...manual, headers: { cookie } });
const waitingCase = async (applicant: Record<string, unknown> = {}) => {
  const reference = (await api.submit(anApplication({ applicant: { dateOfBirth: DOB, ...applicant } }))).body.reference as string;
  await api.stage(reference, 'awaiting-decision');
  // its texts and their receipts written, so a test's "nothing changed" compares like with like
  await platform.sns.settled();
  return reference;
};

describe('without a session', () => {
  const consolePages = HTTP_ROUTES.filter((route) => route.responds === 'html' && route.access === 'caseworker');
  const concrete = (path: string) => path.replace('{reference}', 'APP-0000-0000-0000').replace('{queue}', 'on-hold').replace('{action}', 'approve');

  it('has at least the queues and the case pages behind the session', () => {
    expect(consolePages.map((route) => `${route.method} ${route.path}`)).toEqual(expect.arrayContaining(['GET /caseworker', 'GET /caseworker/cases/{reference}', 'POST /caseworker/cases/{reference}/{action}']));
  });

  it.each(consolePages.filter((route) => route.method === 'GET').map((route) => route.path))('GET %s goes to sign in, and comes back after', async (path) => {
    const res = await fetch(`${site}${concrete(path)}?page=2`, manual);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/caseworker/sign-in?return=${encodeURIComponent(`${concrete(path)}?page=2`)}`);
  });

  it('refuses a posted decision with a page that says nothing changed, and changes nothing', async () => {
    const reference = await waitingCase();
    const before = (await api.case(reference)).body;
    const res = await fetch(`${site}/caseworker/cases/${reference}/approve`, form({ confirm: '1', reason: 'Fine.' }));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('the case has not changed');
    expect((await api.case(reference)).body.version).toBe(before.version);
  });

  it('is refused by the JSON caseworker API still asking for its token', async () => {
    expect((await fetch(`${site}/cases?queue=awaiting-decision`)).status).toBe(401);
  });
});

describe('signing in', () => {
  it('gives a session cookie only this site can read or send: __Host-, HttpOnly, Secure, SameSite=Lax, for the browser session', async () => {
    const start = await fetch(`${site}/caseworker/sign-in`, manual);
    const pending = start.headers.getSetCookie().join('\n');
    expect(pending).toMatch(/^__Host-caseworker-sign-in=[^;]+; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // the provider is asked for a code, with a PKCE challenge, a state and a nonce
    const to = new URL(start.headers.get('location')!);
    expect(Object.fromEntries(to.searchParams)).toEqual(
      expect.objectContaining({ response_type: 'code', code_challenge_method: 'S256', code_challenge: expect.stringMatching(/^[\w-]{43}$/), state: expect.any(String), nonce: expect.any(String), redirect_uri: `${site}/caseworker/callback` }),
    );
    const signedIn = await signInAs(site, 'dev-caseworker');
    expect(signedIn.token).toMatch(/^[\w-]{43}$/);
  });

  it('sets the session cookie with its attributes', async () => {
    const { pending, fields } = await startSignIn(site);
    const callback = await fetch(await chooseIdentity(site, fields, 'dev-senior'), { ...manual, headers: { cookie: pending } });
    expect(callback.headers.getSetCookie()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^__Host-caseworker-session=[\w-]{43}; Path=\/; Secure; HttpOnly; SameSite=Lax$/), '__Host-caseworker-sign-in=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0']),
    );
    // no token in the address it lands on
    expect(callback.headers.get('location')).toBe('/caseworker');
  });

  it('refuses a code brought back to a browser that did not start the sign-in (another state)', async () => {
    const mine = await startSignIn(site);
    const theirs = await startSignIn(site);
    const callback = await fetch(await chooseIdentity(site, theirs.fields, 'dev-senior'), { ...manual, headers: { cookie: mine.pending } });
    expect(callback.status).toBe(400);
    expect(callback.headers.getSetCookie().join()).not.toContain('__Host-caseworker-session=');
    expect(await callback.text()).toContain('Your sign-in has expired');
  });

  it('uses a code once: the same callback again signs nobody in', async () => {
    const { pending, fields } = await startSignIn(site);
    const back = await chooseIdentity(site, fields, 'dev-caseworker');
    expect((await fetch(back, { ...manual, headers: { cookie: pending } })).status).toBe(303);
    const again = await fetch(back, { ...manual, headers: { cookie: pending } });
    expect(again.status).toBe(400);
    expect(again.headers.getSetCookie().join()).not.toContain('__Host-caseworker-session=');
  });

  it.each(['https://evil.example/caseworker', '//evil.example/caseworker', '/\\evil.example', '/track/APP-0000-0000-0000', '/caseworker/../dev-sign-in/authorize', '/caseworker/sign-out', '/caseworker/callback?code=x', '/caseworker?x=\r\nSet-Cookie: a=b'])('lands on the console, never at %j', async (elsewhere) => {
    const { pending, fields } = await startSignIn(site, elsewhere);
    const callback = await fetch(await chooseIdentity(site, fields, 'dev-caseworker'), { ...manual, headers: { cookie: pending } });
    expect(callback.headers.get('location')).toBe('/caseworker');
  });

  it('keeps only a hash of the session in the table, never the cookie', async () => {
    const { token } = await signInAs(site, 'dev-caseworker');
    const db = new DynamoDBClient({ endpoint: platform.dynamoEndpoint });
    const items = JSON.stringify((await db.send(new ScanCommand({ TableName: 'journey-sessions' }))).Items);
    db.destroy();
    expect(items).toContain(sessionId(token));
    expect(items).not.toContain(token);
  });
});

describe('a session', () => {
  it('ends when idle for longer than the timeout: the next page asks to sign in again', async () => {
    const { cookie, token } = await signInAs(site, 'dev-caseworker');
    expect((await page('/caseworker', cookie)).status).toBe(200);
    const db = new DynamoDBClient({ endpoint: platform.dynamoEndpoint });
    await db.send(
      new UpdateItemCommand({ TableName: 'journey-sessions', Key: { id: { S: sessionId(token) } }, UpdateExpression: 'SET idleUntil = :past', ExpressionAttributeValues: { ':past': { S: new Date(Date.now() - 1000).toISOString() } } }),
    );
    db.destroy();
    const res = await page('/caseworker', cookie);
    expect([res.status, res.headers.get('location')]).toEqual([303, '/caseworker/sign-in?return=%2Fcaseworker']);
  });

  it('ends on sign-out, here and at the sign-in service, and its cookie no longer works', async () => {
    const { cookie, csrf } = await signInAs(site, 'dev-caseworker');
    const out = await fetch(`${site}/caseworker/sign-out`, { ...manual, ...form({ csrf }), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()).toContain('__Host-caseworker-session=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0');
    const provider = new URL(out.headers.get('location')!);
    expect(provider.pathname).toBe('/dev-sign-in/logout');
    const back = await fetch(provider, manual);
    expect(back.headers.get('location')).toBe(`${site}/caseworker/signed-out`);
    expect(await (await fetch(back.headers.get('location')!)).text()).toContain('You have signed out');
    expect((await page('/caseworker', cookie)).status).toBe(303);
  });

  it('is not ended, nor its cookie cleared, by a link to the signed-out page', async () => {
    const { cookie } = await signInAs(site, 'dev-caseworker');
    const res = await page('/caseworker/signed-out', cookie);
    expect([res.status, res.headers.get('location'), res.headers.getSetCookie()]).toEqual([303, '/caseworker', []]);
    expect((await page('/caseworker', cookie)).status).toBe(200);
  });

  it('is not ended by a sign-out posted without its form token', async () => {
    const { cookie } = await signInAs(site, 'dev-caseworker');
    const out = await fetch(`${site}/caseworker/sign-out`, { ...manual, ...form({ csrf: 'not-the-token' }), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(out.status).toBe(403);
    expect((await page('/caseworker', cookie)).status).toBe(200);
  });
});

describe('forms', () => {
  it.each([
    ['no form token', {}],
    ['a wrong form token', { csrf: 'x'.repeat(43) }],
  ])('with %s are refused and change nothing', async (_what, token) => {
    const reference = await waitingCase();
    const { cookie } = await signInAs(site, 'dev-caseworker');
    const before = (await api.case(reference)).body;
    const res = await fetch(`${site}/caseworker/cases/${reference}/refuse`, { ...manual, ...form({ ...token, reason: 'Outside the zones.', confirm: '1' }), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('nothing has been changed');
    const after = (await api.case(reference)).body;
    expect([after.version, after.stage, after.audit]).toEqual([before.version, before.stage, before.audit]);
  });

  it('with another session\'s token are refused', async () => {
    const reference = await waitingCase();
    const mine = await signInAs(site, 'dev-caseworker');
    const theirs = await signInAs(site, 'dev-senior');
    const res = await fetch(`${site}/caseworker/cases/${reference}/approve`, { ...manual, ...form({ csrf: theirs.csrf, confirm: '1' }), headers: { cookie: mine.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(403);
    expect((await api.case(reference)).body.stage).toBe('awaiting-decision');
  });
});

describe('personal data', () => {
  it('is on the case page only: the queue shows references, not names', async () => {
    const reference = await waitingCase({ name: 'Gwenllian Thistlethwaite', phone: '+447700900876' });
    const { cookie } = await signInAs(site, 'dev-caseworker');
    const queue = await (await page('/caseworker/queues/awaiting-decision', cookie)).text();
    expect(queue).toContain(reference);
    expect(queue).not.toMatch(/Thistlethwaite|900876/);
    const casePage = await (await page(`/caseworker/cases/${reference}`, cookie)).text();
    expect(casePage).toContain('Gwenllian Thistlethwaite');
    expect(casePage).toContain('+447700900876');
  });
});

describe('an appeal', () => {
  it('against your own decision says why you cannot decide it, and offers it to someone else', async () => {
    const refused = await waitingCase();
    const me = await signInAs(site, 'dev-caseworker');
    const confirm = await fetch(`${site}/caseworker/cases/${refused}/refuse`, { ...manual, ...form({ csrf: me.csrf, reason: 'Your address is outside the permit zones.', confirm: '1' }), headers: { cookie: me.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(confirm.headers.get('location')).toBe(`/caseworker/cases/${refused}?done=refuse`);
    await api.stage(refused, 'refused');
    const appeal = (await api.request('POST', '/appeals', { body: { appeals: refused, dateOfBirth: DOB, grounds: 'I moved into zone A last month.' } })).body.reference as string;
    await api.stage(appeal, 'awaiting-decision');
    const mine = await (await page(`/caseworker/cases/${appeal}`, me.cookie)).text();
    expect(mine).toContain(`You made the decision that is being appealed (${refused}). Someone else must deal with the appeal.`);
    expect(mine).not.toContain(`href="/caseworker/cases/${appeal}/approve"`);
    const someoneElse = await signInAs(site, 'dev-senior');
    expect(await (await page(`/caseworker/cases/${appeal}`, someoneElse.cookie)).text()).toContain(`href="/caseworker/cases/${appeal}/approve"`);
    // and the page that would decide it refuses too
    const direct = await page(`/caseworker/cases/${appeal}/approve`, me.cookie);
    expect(direct.status).toBe(403);
  });

  it('cannot be delayed, nor asked about, by whoever made the decision appealed against, in the console or the API', async () => {
    const refused = await waitingCase();
    expect((await api.decide(refused, 'refuse', 'Outside the zones.', 'dev-caseworker')).status).toBe(200);
    await api.stage(refused, 'refused');
    const appeal = (await api.request('POST', '/appeals', { body: { appeals: refused, dateOfBirth: DOB, grounds: 'I moved into zone A.' } })).body.reference as string;
    await api.stage(appeal, 'awaiting-decision');
    await platform.sns.settled();
    const before = (await api.case(appeal)).body;
    const newDate = `${new Date().getUTCFullYear() + 1}-01-15`;
    const byApi = await api.request('POST', `/cases/${appeal}/delay`, { token: 'dev-caseworker', body: { reason: 'I am busy.', newDate } });
    expect(byApi.status).toBe(403);
    expect(byApi.body.error.message).toBe(`You made the decision that is being appealed (${refused}). Someone else must deal with the appeal.`);
    expect((await api.decide(appeal, 'request-information', 'Send more.', 'dev-caseworker')).status).toBe(403);
    const me = await signInAs(site, 'dev-caseworker');
    const [year, month, day] = newDate.split('-');
    const inConsole = await fetch(`${site}/caseworker/cases/${appeal}/delay`, { ...manual, ...form({ csrf: me.csrf, reason: 'I am busy.', 'newDate-day': day, 'newDate-month': month, 'newDate-year': year, confirm: '1' }), headers: { cookie: me.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(inConsole.status).toBe(403);
    expect(await (await page(`/caseworker/cases/${appeal}`, me.cookie)).text()).not.toContain(`href="/caseworker/cases/${appeal}/delay"`);
    const after = (await api.case(appeal)).body;
    expect(after.version).toBe(before.version);
    expect(after.delay).toBeUndefined();
    // someone else may
    expect((await api.request('POST', `/cases/${appeal}/delay`, { token: 'dev-senior', body: { reason: 'Waiting for the council map.', newDate } })).status).toBe(200);
  });
});

describe('the case page', () => {
  const post = (path: string, signedIn: { cookie: string; csrf: string }, fields: Record<string, string>) =>
    fetch(site + path, { ...manual, ...form({ csrf: signedIn.csrf, ...fields }), headers: { cookie: signedIn.cookie, 'content-type': 'application/x-www-form-urlencoded' } });

  it('shows the success banner only for what this caseworker has just done, whatever the address says', async () => {
    const reference = await waitingCase();
    const me = await signInAs(site, 'dev-caseworker');
    expect(await (await page(`/caseworker/cases/${reference}?done=approve`, me.cookie)).text()).not.toContain('You approved this case');
    const sent = await post(`/caseworker/cases/${reference}/approve`, me, { confirm: '1' });
    expect(sent.headers.get('location')).toBe(`/caseworker/cases/${reference}?done=approve`);
    expect(await (await page(sent.headers.get('location')!, me.cookie)).text()).toContain('You approved this case');
    const someoneElse = await signInAs(site, 'dev-senior');
    expect(await (await page(`/caseworker/cases/${reference}?done=approve`, someoneElse.cookie)).text()).not.toContain('You approved this case');
  });

  it('keeps the case due by its service standard in the queue when a delay is explained, and tells the citizen the new date', async () => {
    const reference = await waitingCase();
    const before = (await api.case(reference)).body.expectedBy as string;
    const me = await signInAs(site, 'dev-caseworker');
    const newDate = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const [year, month, day] = newDate.split('-');
    const sent = await post(`/caseworker/cases/${reference}/delay`, me, { reason: 'We are waiting for the DVLA.', 'newDate-day': day, 'newDate-month': month, 'newDate-year': year, confirm: '1' });
    expect(sent.status).toBe(303);
    expect((await api.case(reference)).body.expectedBy).toBe(before);
    expect((await api.status(reference)).body.expectedBy).toBe(newDate);
    const queue = await (await page('/caseworker/queues/awaiting-decision', me.cookie)).text();
    const row = queue.slice(queue.indexOf(reference), queue.indexOf('</tr>', queue.indexOf(reference)));
    expect(row).toContain(new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${before}T12:00:00Z`)));
  });

  it('says everything wrong with a delay at once: no reason, and a date that has passed', async () => {
    const reference = await waitingCase();
    const me = await signInAs(site, 'dev-caseworker');
    const res = await post(`/caseworker/cases/${reference}/delay`, me, { reason: '', 'newDate-day': '1', 'newDate-month': '1', 'newDate-year': '2020' });
    expect(res.status).toBe(400);
    const shown = await res.text();
    const summary = shown.slice(shown.indexOf('govuk-error-summary__list'), shown.indexOf('</ul>', shown.indexOf('govuk-error-summary__list')));
    expect([...summary.matchAll(/href="#([\w-]+)"/g)].map((m) => m[1])).toEqual(['reason', 'newDate-day']);
    expect(summary).toContain('Give a new date after today and within a year.');
  });

  it('offers no delay while the case waits for the citizen\'s information, whose date is theirs', async () => {
    const reference = await waitingCase();
    await api.decide(reference, 'request-information', 'Send a photo of your V5C.');
    await api.stage(reference, 'information-needed');
    const me = await signInAs(site, 'dev-caseworker');
    expect(await (await page(`/caseworker/cases/${reference}`, me.cookie)).text()).not.toContain(`/caseworker/cases/${reference}/delay`);
    expect((await page(`/caseworker/cases/${reference}/delay`, me.cookie)).status).toBe(409);
    const viaApi = await api.request('POST', `/cases/${reference}/delay`, { token: 'dev-caseworker', body: { reason: 'Busy.', newDate: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10) } });
    expect([viaApi.status, viaApi.body.error.message]).toEqual([409, expect.stringContaining('waiting for information from the citizen')]);
  });

  it('shows an appeal\'s grounds, in the citizen\'s words', async () => {
    const refused = await waitingCase();
    await api.decide(refused, 'refuse', 'Outside the zones.');
    await api.stage(refused, 'refused');
    const appeal = (await api.request('POST', '/appeals', { body: { appeals: refused, dateOfBirth: DOB, grounds: 'I moved into zone A on 1 November.\nHere is my council tax bill.' } })).body.reference as string;
    await api.stage(appeal, 'awaiting-decision');
    const senior = await signInAs(site, 'dev-senior');
    const shown = await (await page(`/caseworker/cases/${appeal}`, senior.cookie)).text();
    expect(shown).toContain('Grounds for appeal');
    expect(shown).toContain('Refused because');
    expect(shown).toContain('Outside the zones.');
    expect(shown).toContain('I moved into zone A on 1 November.\nHere is my council tax bill.');
  });
});

describe('requests for information', () => {
  it('show each answer under the request it answers, and the open one unanswered', async () => {
    const reference = await waitingCase();
    await api.decide(reference, 'request-information', 'Send your V5C number.');
    await api.stage(reference, 'information-needed');
    expect((await api.request('POST', `/status/${reference}/information`, { body: { dateOfBirth: DOB, information: 'My V5C number is 123456.' } })).status).toBeLessThan(300);
    await api.stage(reference, 'awaiting-decision');
    await api.decide(reference, 'request-information', 'Also send proof of your address.');
    await api.stage(reference, 'information-needed');
    const me = await signInAs(site, 'dev-caseworker');
    const shown = (await (await page(`/caseworker/cases/${reference}`, me.cookie)).text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const first = shown.indexOf('Send your V5C number.');
    const answer = shown.indexOf('My V5C number is 123456.');
    const second = shown.indexOf('Also send proof of your address.');
    expect(first).toBeGreaterThan(-1);
    expect([first < answer, answer < second]).toEqual([true, true]);
    expect(shown.slice(second)).toMatch(/^Also send proof of your address\. No answer yet\./);
  });
});

describe('finding a case', () => {
  it('says what is wrong with a reference typed in, and goes to a case by one typed loosely', async () => {
    const reference = await waitingCase();
    const me = await signInAs(site, 'dev-caseworker');
    const find = (typed: string) => fetch(`${site}/caseworker/find`, { ...manual, ...form({ csrf: me.csrf, reference: typed }), headers: { cookie: me.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    const wrong = await find('XYZ-1234');
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/must start with APP, REN or APL/);
    const loose = await find(reference.toLowerCase().replace(/-/g, ' '));
    expect(loose.headers.get('location')).toBe(`/caseworker/cases/${reference}`);
  });
});

describe('a delay', () => {
  it('must move the citizen\'s date later', async () => {
    const reference = await waitingCase();
    const due = (await api.case(reference)).body.expectedBy as string;
    const me = await signInAs(site, 'dev-caseworker');
    const [year, month, day] = due.split('-');
    const res = await fetch(`${site}/caseworker/cases/${reference}/delay`, { ...manual, ...form({ csrf: me.csrf, reason: 'Waiting for the DVLA.', 'newDate-day': day, 'newDate-month': month, 'newDate-year': year }), headers: { cookie: me.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('a delay moves it later');
    const viaApi = await api.request('POST', `/cases/${reference}/delay`, { token: 'dev-caseworker', body: { reason: 'Waiting for the DVLA.', newDate: due } });
    expect([viaApi.status, viaApi.body.error.fields]).toEqual([400, [{ field: 'newDate', message: expect.stringContaining('a delay moves it later') }]]);
  });
});
