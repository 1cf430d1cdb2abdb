// The caseworker console in a real browser (Debian's chromium), with JavaScript on and off: sign
// in through the development sign-in (authorisation code and PKCE, as with Cognito), the queues
// and their filters, a case and the four things a caseworker does to it (each previewed in the
// citizen's words before it is sent), two caseworkers deciding one case at the same moment, the
// senior review queue, signing out, and forms without their token. Every page state is checked
// with axe-core against WCAG 2.2 AA; the queue and the case reflow at 320 CSS px; one case is
// opened and approved by keyboard alone with the focus visible at each stop. The applicant's
// name, date of birth and phone number are only ever on the case's own pages.
import type { Page } from 'playwright-core';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import type { Platform } from '../local/platform';
import { arrive, checkAccessibility, checkReflow, expectError, h1, openSession, pathOf, press, scriptsRan, tabTo, text, typeText, useBrowser, type Session } from './support/browser';
import { anApplication, eventually, startTestPlatform, type Api } from './support/platform';

// Page code passed to page.evaluate: the project's TypeScript has no DOM types.
declare const document: any;

/** `__Host-`: Secure, the whole site, this host only. */
const SESSION_COOKIE = '__Host-caseworker-session';
const SIGN_IN_COOKIE = '__Host-caseworker-sign-in';
type Who = 'dev-caseworker' | 'dev-senior';

let platform: Platform;
let api: Api;
const browser = useBrowser();

/** The applicant whose case the journey escalates to senior review at once (see interceptStep). */
let escalateApplicant: string | undefined;

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform({
    // The tests poll the public status often; the limit itself is tested in rate-limit.test.ts.
    rateLimit: { ...PUBLIC_LOOKUP_LIMIT, requests: 100_000 },
    // One case's service standard for a decision is made a second long, so its wait runs out and
    // the journey moves it to senior review; every other case keeps the real standard.
    interceptStep: async (entry, payload, run) => {
      const result = await run();
      const reference = (payload as { reference?: string }).reference;
      if (entry === 'steps/check-details' && escalateApplicant && reference && (await api.case(reference)).body.applicant?.name === escalateApplicant) {
        return { ...(result as object), decisionSeconds: 1 };
      }
      return result;
    },
  }));
}, 60_000);
afterAll(() => platform?.stop());


/** The console is used at localhost: its cookies are Secure, and the sign-in returns there. */
const site = (path = '/') => platform.siteUrl + path;

// --- The applicants ------------------------------------------------------------------------------

interface Person {
  readonly name: string;
  readonly dateOfBirth: string;
  /** as the case page shows it */
  readonly born: string;
  readonly phone: string;
}
const NAMES = ['Morwenna Pritchard', 'Idris Llewellyn', 'Carys Vaughan', 'Gethin Rowlands', 'Eirlys Bowen', 'Tudur Prosser', 'Heledd Meredith', 'Osian Griffiths', 'Nia Gwynfor', 'Rhodri Pugh', 'Seren Madoc', 'Bryn Cadwaladr', 'Lowri Tegid', 'Emrys Vychan', 'Ffion Arwel', 'Dyfan Maelor'];
let applicants = 0;
function nextPerson(): Person {
  const n = applicants++;
  const day = 10 + (n % 18);
  return {
    name: NAMES[n % NAMES.length] + (n >= NAMES.length ? ` ${NAMES[(n * 7) % NAMES.length].split(' ')[1]}` : ''),
    dateOfBirth: `1983-07-${day}`,
    born: `${day} July 1983`,
    phone: `+4477009004${String(10 + n).padStart(2, '0')}`,
  };
}

/** A case sent in through the JSON API, waiting in the queue for a decision. */
async function caseAwaitingDecision(person: Person = nextPerson(), stage = 'awaiting-decision'): Promise<{ reference: string; person: Person }> {
  const reply = await api.submit(anApplication({ applicant: { name: person.name, dateOfBirth: person.dateOfBirth, phone: person.phone } }));
  expect(reply.status).toBe(202);
  const reference: string = reply.body.reference;
  await api.stage(reference, stage);
  return { reference, person };
}

const auditOf = async (reference: string): Promise<{ action: string; actor: string; reason?: string }[]> => (await api.case(reference, 'dev-senior')).body.audit;
const decisionsIn = <T extends { action: string }>(audit: readonly T[]): T[] => audit.filter((entry) => entry.action.startsWith('decided:'));

// --- The page ------------------------------------------------------------------------------------

const caseLink = (page: Page, reference: string) => page.locator(`main a[href="/caseworker/cases/${reference}"]`);
/** The case's row in the queue. */
const rowOf = (page: Page, reference: string) => page.locator('main tbody tr', { has: page.locator(`a[href="/caseworker/cases/${reference}"]`) });
/** The case's action buttons (links that look like buttons). */
const actions = (page: Page) => page.locator('main .govuk-button-group a.govuk-button').allInnerTexts();
const preview = (page: Page) => text(page, '.app-citizen-preview');
const sms = (page: Page) => text(page, '.app-sms-preview');
/** A date as the console shows it, "4 December 2026". */
const readable = (iso: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(new Date(`${iso.slice(0, 10)}T12:00:00Z`));

/** The development sign-in: where a page asked for without a session goes, and back to it after. */
async function signIn(page: Page, who: Who, path = '/caseworker', look?: (label: string) => Promise<void>): Promise<void> {
  await arrive(page, () => page.goto(site(path)));
  expect(pathOf(page)).toBe('/dev-sign-in/authorize');
  expect(await page.getByLabel(new RegExp(`^${who}:`)).count()).toBe(1);
  if (look) await look('the development sign-in page');
  await page.getByLabel(new RegExp(`^${who}:`)).check();
  const arrived = await arrive(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  expect(arrived.status()).toBe(200);
  expect(page.url()).toBe(site(path));
  expect(await text(page, '.app-account__name')).toContain(`Signed in as ${who}`);
}

/** An action from the case page: its button, its form, and "Check what the citizen will read". */
async function fillAction(page: Page, action: string, reason: string, look?: (label: string) => Promise<void>): Promise<number> {
  await arrive(page, () => page.getByRole('link', { name: action, exact: true }).click());
  expect(await h1(page)).toBe(action);
  if (look) await look(`the "${action}" form`);
  await page.locator('#reason').fill(reason);
  return (await arrive(page, () => page.getByRole('button', { name: 'Check what the citizen will read' }).click())).status();
}


/** Confirms on the preview and lands on the case with the success banner. */
async function confirm(page: Page, button: string, done: RegExp, reference: string): Promise<void> {
  const arrived = await arrive(page, () => page.getByRole('button', { name: button }).click());
  expect(arrived.status()).toBe(200);
  expect(pathOf(page)).toBe(`/caseworker/cases/${reference}`);
  const banner = page.locator('.govuk-notification-banner--success');
  expect(await banner.count()).toBe(1);
  expect(await banner.innerText()).toMatch(done);
}

/** What a session's cookie header would be, from the browser's own cookies. */
async function cookieHeader(session: Session): Promise<string> {
  const cookie = (await session.context.cookies(site())).find((c) => c.name === SESSION_COOKIE);
  expect(cookie).toBeDefined();
  return `${SESSION_COOKIE}=${cookie!.value}`;
}

/** A console form posted outside the browser, as a forger's page or script would. */
const post = (path: string, cookie: string, form: Record<string, string>) =>
  fetch(platform.url + path, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

function looker(page: Page, javaScript: boolean) {
  return (label: string) => checkAccessibility(page, `${label} (JavaScript ${javaScript ? 'on' : 'off'})`);
}

// --- Sign in, and the main flow, with JavaScript on and off --------------------------------------

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the console %s', (_mode, javaScript) => {
  let session: Session;
  let page: Page;
  let look: (label: string) => Promise<void>;
  beforeEach(async () => {
    session = await openSession(browser(), { javaScript });
    page = session.page;
    look = looker(page, javaScript);
  });
  afterEach(() => session?.close());

  it('signs in through the development sign-in and keeps the session in an HttpOnly, Secure, SameSite=Lax cookie that no address or page ever shows', async () => {
    await signIn(page, 'dev-caseworker', '/caseworker', look);
    expect(await scriptsRan(page)).toBe(javaScript);
    expect(await h1(page)).toBe('Awaiting decision');
    expect(await page.locator('nav[aria-label=Queues] [aria-current=page]').innerText()).toBe('Awaiting decision');
    await look('the "Awaiting decision" queue');

    const cookies = await session.context.cookies();
    const sessionCookie = cookies.find((c) => c.name === SESSION_COOKIE);
    expect(sessionCookie).toMatchObject({ domain: 'localhost', path: '/', httpOnly: true, secure: true, sameSite: 'Lax', expires: -1 });
    expect(sessionCookie!.value.length).toBeGreaterThanOrEqual(32);
    // the sign-in under way (state, nonce, PKCE verifier) is gone once it is done
    expect(cookies.find((c) => c.name === SIGN_IN_COOKIE)).toBeUndefined();
    // the page's scripts cannot read it
    if (javaScript) expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);

    // the sign-in came back with a code (and went on with a redirect that drops it)
    const callback = session.requests.map((url) => new URL(url)).find((url) => url.pathname === '/caseworker/callback');
    const code = callback?.searchParams.get('code');
    expect(code).toBeTruthy();
    expect(session.requests.find((url) => url.includes('/dev-sign-in/authorize?'))).toMatch(/code_challenge_method=S256/);
    expect(page.url()).toBe(site('/caseworker'));
    expect(new URL(page.url()).search).toBe('');
    const documents = await session.documents();
    expect(documents.map((doc) => new URL(doc.url).pathname)).toEqual(['/dev-sign-in/authorize', '/caseworker']);
    for (const doc of documents) {
      expect(doc.html).not.toContain(sessionCookie!.value);
      expect(doc.html).not.toContain(code!);
    }
  }, 30_000);

  it('opens a case from the queue, shows the applicant only on the case, and approves it after showing what the citizen will read', async () => {
    const { reference, person } = await caseAwaitingDecision();
    await signIn(page, 'dev-caseworker');

    // the queue: the case, when it is due, and nobody's name
    const row = rowOf(page, reference);
    expect(await row.count()).toBe(1);
    const expectedBy: string = (await api.case(reference)).body.expectedBy;
    expect(await row.locator('td').nth(3).innerText()).toBe(readable(expectedBy));
    expect(await page.content()).not.toContain(person.name);
    await look('the queue with cases');
    await checkReflow(page, 'the queue');

    await arrive(page, () => caseLink(page, reference).click());
    expect(pathOf(page)).toBe(`/caseworker/cases/${reference}`);
    const citizen = await page.locator('main .govuk-summary-list').nth(2).innerText();
    for (const shown of [person.name, person.born, person.phone]) expect(citizen).toContain(shown);
    expect(await actions(page)).toEqual(['Approve', 'Refuse', 'Ask for information', 'Explain a delay']);
    await look('the case page');
    await checkReflow(page, 'the case page');

    // approving needs no reason (none is given without JavaScript), and one given stays with caseworkers
    const reason = javaScript ? 'Checked against the DVLA record.' : '';
    const status = await fillAction(page, 'Approve', reason, look);
    expect(status).toBe(200);
    expect(await h1(page)).toBe('Check what the citizen will read');
    expect(await preview(page)).toContain('Approved');
    expect(await sms(page)).toContain(reference);
    if (reason) expect(await text(page, 'main')).not.toContain(reason);
    await look('the approval preview');

    await confirm(page, 'Approve and tell the citizen', /You approved this case/, reference);
    await look('the case with the success banner');
    expect((await api.stage(reference, 'approved')).stage.code).toBe('approved');
    const [decided] = decisionsIn(await auditOf(reference));
    expect(decided).toMatchObject({ action: 'decided:approve', actor: 'dev-caseworker' });
    expect(decided.reason ?? '').toBe(reason);

    // only the case's own pages showed the applicant, and none the session's cookie
    const documents = await session.documents();
    const cookie = (await session.context.cookies()).find((c) => c.name === SESSION_COOKIE)!.value;
    expect(documents.filter((doc) => doc.html.includes(cookie))).toEqual([]);
    const withPerson = documents.filter((doc) => doc.html.includes(person.name) || doc.html.includes(person.phone)).map((doc) => new URL(doc.url).pathname);
    expect(new Set(withPerson)).toEqual(new Set([`/caseworker/cases/${reference}`]));
    expect(session.requests.filter((url) => url.includes(encodeURIComponent(person.name)) || url.includes(person.name.replace(' ', '+')))).toEqual([]);
  }, 45_000);
});

// --- The rest, each once -------------------------------------------------------------------------

describe('the console', () => {
  // One signed-in browser for each of the two caseworkers, shared by the tests below (signing in
  // is tested above); a test that ends its session or needs another opens its own.
  interface Signed {
    readonly session: Session;
    readonly page: Page;
    readonly look: (label: string) => Promise<void>;
  }
  const shared = new Map<Who, Signed>();
  const own: Session[] = [];
  async function signedIn(who: Who, path = '/caseworker', options: { own?: boolean } = {}): Promise<Signed> {
    const existing = options.own ? undefined : shared.get(who);
    if (existing) {
      await arrive(existing.page, () => existing.page.goto(site(path)));
      expect(pathOf(existing.page)).toBe(path.split('?')[0]);
      return existing;
    }
    const session = await openSession(browser(), { javaScript: true });
    await signIn(session.page, who, path);
    const signed = { session, page: session.page, look: looker(session.page, true) };
    if (options.own) own.push(session);
    else shared.set(who, signed);
    return signed;
  }
  afterEach(async () => {
    await Promise.all(own.splice(0).map((session) => session.close()));
  });
  afterAll(async () => {
    await Promise.all([...shared.values()].map(({ session }) => session.close()));
  });

  it('lists cases with their due dates in the queues, opens every queue, and filters by service and journey', async () => {
    const cases = [];
    for (let i = 0; i < 3; i++) cases.push(await caseAwaitingDecision());
    const references = cases.map((c) => c.reference);
    const { page, look } = await signedIn('dev-caseworker');

    const shown = async () => page.locator('main table a[href^="/caseworker/cases/"]').allInnerTexts();
    expect(await shown()).toEqual(expect.arrayContaining(references));
    for (const reference of references) {
      const due = await rowOf(page, reference).locator('td').nth(3).innerText();
      expect(due).toBe(readable((await api.case(reference)).body.expectedBy));
    }
    const content = await page.content();
    for (const { person } of cases) expect(content).not.toContain(person.name);

    // each queue, from the navigation
    const EMPTY: Record<string, RegExp> = {
      // (the only case this file escalates is escalated in a later test)
      'Senior review': /No cases are waiting for a senior caseworker/,
      'On hold': /No cases are on hold/,
      'Renewal due': /No permits are due for renewal/,
    };
    for (const [name, path] of [['Senior review', 'senior-review'], ['On hold', 'on-hold'], ['Renewal due', 'renewal-due'], ['Awaiting decision', 'awaiting-decision']] as const) {
      const reply = await arrive(page, () => page.locator('nav[aria-label=Queues]').getByRole('link', { name }).click());
      expect(reply.status()).toBe(200);
      expect(pathOf(page)).toBe(`/caseworker/queues/${path}`);
      expect(await h1(page)).toBe(name);
      expect(await page.locator('nav[aria-label=Queues] [aria-current=page]').innerText()).toBe(name);
      if (EMPTY[name]) expect(await text(page, 'main')).toMatch(EMPTY[name]);
      // (the queue with cases is checked in the main flow above)
      if (name !== 'Awaiting decision') await look(`the "${name}" queue${name === 'On hold' || name === 'Renewal due' ? ', empty' : ''}`);
    }
    expect(await shown()).toEqual(expect.arrayContaining(references));

    // no renewals among them
    await page.locator('#journey').selectOption('renewal');
    await arrive(page, () => page.getByRole('button', { name: 'Filter' }).click());
    expect(new URL(page.url()).searchParams.get('journey')).toBe('renewal');
    expect(await page.locator('#journey').inputValue()).toBe('renewal');
    expect(await shown()).toEqual([]);
    expect(await text(page, 'main')).toContain('No cases in this queue match the filters.');
    await look('the queue filtered to renewals, none');

    // the applications, by service and journey
    await page.locator('#service').selectOption('parking-permit');
    await page.locator('#journey').selectOption('application');
    await arrive(page, () => page.getByRole('button', { name: 'Filter' }).click());
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ service: 'parking-permit', journey: 'application' });
    expect(await shown()).toEqual(expect.arrayContaining(references));
    expect(await text(page, 'main [role=status]')).toMatch(/^Matching the filters: \d+ cases?/);
  }, 45_000);

  it('refuses a case only with a reason, and shows the citizen that reason before sending it', async () => {
    const { reference } = await caseAwaitingDecision();
    const { session, page, look } = await signedIn('dev-caseworker', `/caseworker/cases/${reference}`);

    const empty = await fillAction(page, 'Refuse', '', look);
    await expectError(page, session, empty, 'reason', /reason/i);
    await look('the "Refuse" form with an error');
    expect((await api.case(reference)).body.stage).toBe('awaiting-decision');

    const reason = 'The address is outside the permit zone: 1 High Street is in zone C.';
    await page.locator('#reason').fill(reason);
    await arrive(page, () => page.getByRole('button', { name: 'Check what the citizen will read' }).click());
    expect(await h1(page)).toBe('Check what the citizen will read');
    expect(await preview(page)).toContain('Refused');
    expect(await preview(page)).toContain(reason);
    await look('the refusal preview');

    await confirm(page, 'Refuse and tell the citizen', /You refused this case/, reference);
    expect((await api.stage(reference, 'refused')).stage.description).toContain(reason);
  }, 30_000);

  it('asks the citizen for information, previewing their words, and the case then waits for them', async () => {
    const { reference } = await caseAwaitingDecision();
    const { page, look } = await signedIn('dev-caseworker', `/caseworker/cases/${reference}`);
    const request = "Send a photo of the vehicle's V5C logbook, both sides.";
    expect(await fillAction(page, 'Ask for information', request, look)).toBe(200);
    expect(await preview(page)).toContain(request);
    expect(await sms(page)).toContain(reference);
    await look('the request for information preview');

    await confirm(page, 'Send the request', /You asked the citizen for information/, reference);
    await api.stage(reference, 'information-needed');
    expect((await api.case(reference)).body.informationRequest).toMatchObject({ reason: request, by: 'dev-caseworker' });
  }, 30_000);

  it('explains a delay with a new date in three boxes, refusing a date that does not exist, and the citizen sees the delay', async () => {
    const { reference } = await caseAwaitingDecision();
    const { session, page, look } = await signedIn('dev-caseworker', `/caseworker/cases/${reference}`);
    const reason = 'We are waiting for the DVLA to confirm who keeps the vehicle.';
    const soon = new Date(Date.now() + 40 * 86_400_000);
    const newDate = soon.toISOString().slice(0, 10);

    await arrive(page, () => page.getByRole('link', { name: 'Explain a delay', exact: true }).click());
    expect(await h1(page)).toBe('Explain a delay');
    await look('the "Explain a delay" form');
    await page.locator('#reason').fill(reason);
    await page.locator('#newDate-day').fill('31');
    await page.locator('#newDate-month').fill('2');
    await page.locator('#newDate-year').fill(String(soon.getUTCFullYear()));
    const wrong = await arrive(page, () => page.getByRole('button', { name: 'Check what the citizen will read' }).click());
    await expectError(page, session, wrong.status(), 'newDate', /date/i);
    expect(await page.locator('#reason').inputValue()).toBe(reason);
    await look('the "Explain a delay" form with an error');

    await page.locator('#newDate-day').fill(String(soon.getUTCDate()));
    await page.locator('#newDate-month').fill(String(soon.getUTCMonth() + 1));
    await arrive(page, () => page.getByRole('button', { name: 'Check what the citizen will read' }).click());
    expect(await h1(page)).toBe('Check what the citizen will read');
    expect(await preview(page)).toContain(reason);
    expect(await preview(page)).toContain(readable(newDate));
    await look('the delay preview');

    await confirm(page, 'Tell the citizen', /You explained the delay/, reference);
    const status = await eventually(async () => (await api.status(reference)).body, (body) => Boolean(body.delay), 5_000, 'the delay on the status');
    expect(status.delay).toEqual({ reason, newDate });
    expect(status.expectedBy).toBe(newDate);
  }, 30_000);

  it('records one decision when two caseworkers confirm at the same moment, and tells the other that nothing was changed', async () => {
    const { reference } = await caseAwaitingDecision();
    const [first, second] = await Promise.all([
      signedIn('dev-caseworker', `/caseworker/cases/${reference}/approve`),
      signedIn('dev-senior', `/caseworker/cases/${reference}/refuse`),
    ]);
    await first.page.locator('#reason').fill('All in order.');
    await second.page.locator('#reason').fill('The vehicle is not registered at the address.');
    await Promise.all([first, second].map(({ page }) => arrive(page, () => page.getByRole('button', { name: 'Check what the citizen will read' }).click())));
    for (const { page } of [first, second]) expect(await h1(page)).toBe('Check what the citizen will read');

    const confirmButtons = [first.page.getByRole('button', { name: 'Approve and tell the citizen' }), second.page.getByRole('button', { name: 'Refuse and tell the citizen' })];
    await Promise.all(confirmButtons.map((button) => button.waitFor()));
    const replies = await Promise.all([first, second].map(({ page }, i) => arrive(page, () => confirmButtons[i].click())));

    const statuses = replies.map((reply) => reply.status()).sort();
    expect(statuses).toEqual([200, 409]);
    const winner = replies[0].status() === 200 ? first : second;
    const loser = winner === first ? second : first;
    const [won, wonBy, stage] = winner === first ? ['approve', 'dev-caseworker', 'approved'] : ['refuse', 'dev-senior', 'refused'];

    expect(await winner.page.locator('.govuk-notification-banner--success').count()).toBe(1);
    const { page, look } = loser;
    expect(pathOf(page)).toBe(`/caseworker/cases/${reference}/${winner === first ? 'refuse' : 'approve'}`);
    expect(await page.title()).toMatch(/not changed/);
    expect(await text(page, '.govuk-error-summary')).toMatch(/Nothing was changed/);
    expect(await text(page, '.govuk-error-summary')).toMatch(new RegExp(`${wonBy} decided this case a moment ago \\(${stage}\\)|already been decided: ${stage} by ${wonBy}`));
    // the case as it is now: the other decision in its audit trail, nothing left to decide
    expect(await page.locator('main table', { has: page.locator('caption', { hasText: 'Audit trail' }) }).innerText()).toMatch(new RegExp(`${wonBy}\\s+${won === 'approve' ? 'Approved' : 'Refused'}`));
    expect(await actions(page)).not.toContain('Approve');
    expect(await actions(page)).not.toContain('Refuse');
    await look('the case a moment after someone else decided it');

    await api.stage(reference, stage);
    const audit = await auditOf(reference);
    expect(decisionsIn(audit)).toEqual([expect.objectContaining({ action: `decided:${won}`, actor: wonBy })]);
    expect(audit.filter((entry) => entry.action === 'decision-not-applied').length).toBeLessThanOrEqual(1);
  }, 45_000);

  it('keeps a case in senior review from a caseworker who is not senior, and offers it to a senior caseworker', async () => {
    const person = nextPerson();
    escalateApplicant = person.name;
    let reference: string;
    try {
      ({ reference } = await caseAwaitingDecision(person, 'escalated'));
    } finally {
      escalateApplicant = undefined;
    }
    const { session, page, look } = await signedIn('dev-caseworker', '/caseworker/queues/senior-review');
    expect(await caseLink(page, reference).count()).toBe(1);
    await look('the "Senior review" queue with a case');

    await arrive(page, () => caseLink(page, reference).click());
    // nothing at all: deciding, asking and explaining a delay follow the one rule of who may act
    expect(await actions(page)).toEqual([]);
    expect(await text(page, 'main .govuk-inset-text')).toMatch(/A senior caseworker must deal with it/);
    await look('a case in senior review, for a caseworker');

    // nor by its address
    const refused = await arrive(page, () => page.goto(site(`/caseworker/cases/${reference}/approve`)));
    expect(refused.status()).toBe(403);
    expect(await text(page, '.govuk-error-summary')).toMatch(/Nothing was changed[\s\S]*senior caseworker must deal with it/);
    expect(await page.locator('#reason').count()).toBe(0);
    await look('approving a senior review case, refused');
    const cookie = await cookieHeader(session);
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    expect((await post(`/caseworker/cases/${reference}/approve`, cookie, { csrf, reason: 'ok', confirm: '1' })).status).toBe(403);
    // nor a delay, in the console or the API
    const delay = { csrf, reason: 'Waiting for the DVLA.', 'newDate-day': '1', 'newDate-month': '1', 'newDate-year': String(new Date().getUTCFullYear() + 1), confirm: '1' };
    expect((await post(`/caseworker/cases/${reference}/delay`, cookie, delay)).status).toBe(403);
    const byApi = await api.request('POST', `/cases/${reference}/delay`, { token: 'dev-caseworker', body: { reason: 'Waiting for the DVLA.', newDate: `${new Date().getUTCFullYear() + 1}-01-01` } });
    expect(byApi.status).toBe(403);
    expect(byApi.body.error.message).toMatch(/A senior caseworker must deal with it/);
    expect((await api.case(reference)).body).toMatchObject({ stage: 'escalated' });
    expect((await api.case(reference)).body.delay?.reason).toBe('service-standard-passed');

    const senior = await signedIn('dev-senior', `/caseworker/cases/${reference}`);
    expect(await actions(senior.page)).toEqual(['Approve', 'Refuse', 'Ask for information', 'Explain a delay']);
  }, 45_000);

  it('signs out: the session ends, the console asks to sign in again, and the old cookie no longer works', async () => {
    const { reference } = await caseAwaitingDecision();
    const { session, page, look } = await signedIn('dev-caseworker', `/caseworker/cases/${reference}`, { own: true });
    const saved = (await session.context.cookies()).filter((c) => c.name === SESSION_COOKIE);
    expect(saved).toHaveLength(1);
    const cookie = await cookieHeader(session);
    const csrf = await page.locator('input[name=csrf]').first().inputValue();

    /** Whether the saved cookie, in a browser of its own, opens the console. */
    const oldCookieOpens = async (): Promise<boolean> => {
      const other = await openSession(browser(), { javaScript: false });
      try {
        await other.context.addCookies(saved);
        await arrive(other.page, () => other.page.goto(site('/caseworker')));
        return pathOf(other.page) === '/caseworker';
      } finally {
        await other.close();
      }
    };
    // it does, before signing out
    expect(await oldCookieOpens()).toBe(true);

    const out = await arrive(page, () => page.getByRole('button', { name: 'Sign out' }).click());
    expect(out.status()).toBe(200);
    expect(pathOf(page)).toBe('/caseworker/signed-out');
    expect(await h1(page)).toBe('You have signed out');
    expect(await page.locator('.app-account').count()).toBe(0);
    expect((await session.context.cookies()).find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    await look('the signed-out page');

    await arrive(page, () => page.goto(site('/caseworker')));
    expect(pathOf(page)).toBe('/dev-sign-in/authorize');
    expect(await oldCookieOpens()).toBe(false);
    // a form sent with the old cookie and its token changes nothing
    const late = await post(`/caseworker/cases/${reference}/approve`, cookie, { csrf, reason: 'ok', confirm: '1' });
    expect(late.status).toBe(401);
    expect(await late.text()).toContain('You have been signed out');
    expect((await api.case(reference)).body.stage).toBe('awaiting-decision');
    expect(decisionsIn(await auditOf(reference))).toEqual([]);
  }, 30_000);

  it("refuses a form without the session's token with 403 and changes nothing", async () => {
    const { reference } = await caseAwaitingDecision();
    const { session, page, look } = await signedIn('dev-caseworker', `/caseworker/cases/${reference}`);
    expect(await fillAction(page, 'Approve', 'All in order.')).toBe(200);
    const csrf = await page.locator('main input[name=csrf]').inputValue();
    const auditBefore = await auditOf(reference);

    // the preview's own form, its token swapped for another
    await page.locator('main input[name=csrf]').evaluate((input: any) => (input.value = 'not-the-token-of-this-session'));
    const forged = await arrive(page, () => page.getByRole('button', { name: 'Approve and tell the citizen' }).click());
    expect(forged.status()).toBe(403);
    expect(await h1(page)).toBe('This form could not be accepted');
    expect(await text(page, 'main')).toContain('nothing has been changed');
    await look('a form refused for its token');

    // and sent without one, or with the token of another session
    const cookie = await cookieHeader(session);
    const form = { reason: 'All in order.', confirm: '1' };
    const other = await signedIn('dev-senior');
    const othersToken = await other.page.locator('input[name=csrf]').first().inputValue();
    expect(othersToken).not.toBe(csrf);
    for (const sent of [form, { ...form, csrf: '' }, { ...form, csrf: othersToken }]) {
      const reply = await post(`/caseworker/cases/${reference}/approve`, cookie, sent);
      expect(reply.status).toBe(403);
      expect(await reply.text()).toContain('This form could not be accepted');
    }
    // signing out is a form too
    expect((await post('/caseworker/sign-out', cookie, {})).status).toBe(403);

    const after = (await api.case(reference)).body;
    expect(after.stage).toBe('awaiting-decision');
    expect(after.audit).toEqual(auditBefore);
    // the session still works, and the same form with its token is taken: the refusals were for the token
    const taken = await post(`/caseworker/cases/${reference}/approve`, cookie, { ...form, csrf });
    expect(taken.status).toBe(303);
    expect(taken.headers.get('location')).toBe(`/caseworker/cases/${reference}?done=approve`);
    await api.stage(reference, 'approved');
  }, 30_000);

  it('opens a case from the queue and approves it by keyboard alone, the focus visible at every stop', async () => {
    const { reference } = await caseAwaitingDecision();
    const { page } = await signedIn('dev-caseworker');

    await tabTo(page, '.govuk-skip-link');
    await tabTo(page, `main a[href="/caseworker/cases/${reference}"]`, { maxStops: 80 });
    await arrive(page, () => press(page, 'Enter'));
    expect(pathOf(page)).toBe(`/caseworker/cases/${reference}`);

    await tabTo(page, `main a[href="/caseworker/cases/${reference}/approve"]`);
    // a link that looks like a button: Enter follows it, with or without the page's script
    await arrive(page, () => press(page, 'Enter'));
    expect(await h1(page)).toBe('Approve');
    await tabTo(page, '#reason');
    await typeText(page, 'Checked by keyboard.');
    await tabTo(page, 'main button[type=submit]');
    await arrive(page, () => press(page, 'Enter'));
    expect(await h1(page)).toBe('Check what the citizen will read');

    await tabTo(page, 'main button[name=confirm]');
    await arrive(page, () => press(page, 'Space'));
    expect(await page.locator('.govuk-notification-banner--success').count()).toBe(1);
    await api.stage(reference, 'approved');
    expect(decisionsIn(await auditOf(reference))).toEqual([expect.objectContaining({ action: 'decided:approve', actor: 'dev-caseworker', reason: 'Checked by keyboard.' })]);
  }, 30_000);
});
