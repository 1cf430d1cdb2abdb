// The citizen pages in a real browser (Debian's chromium), with JavaScript on and off: apply,
// look a case up, switch to Welsh, answer a request for information, renew, appeal. Every page
// state is checked with axe-core against WCAG 2.2 AA; the apply pages and the status page must
// reflow at 320 CSS px; one flow is done by keyboard alone with the focus visible at each stop;
// no page but the apply form and its check-answers page shows the applicant's name, phone number
// or date of birth, and no address the browser asks for ever carries them.
import type { Page } from 'playwright-core';
import { newReference } from '../lambdas/domain/shared/reference';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import type { Platform } from '../local/platform';
import { arrive, checkAccessibility, checkReflow, checkVisibleFocus, expectError, focusIsOn, h1, openSession, pathOf, press, scriptsRan, tabTo, text, typeText, useBrowser, type ReceivedDocument, type Session } from './support/browser';
import { anApplication, eventually, startTestPlatform, storedItems, type Api } from './support/platform';

// Page code passed to page.evaluate: the project's TypeScript has no DOM types.
declare const document: any;

/** The applicant. Their details must only ever be on the pages where they typed them. */
const PERSON = {
  name: 'Morwenna Pritchard',
  day: '14',
  month: '7',
  year: '1983',
  dateOfBirth: '1983-07-14',
  phone: '07700 900457',
  international: '+447700900457',
};
/** Each thing that would give the applicant away, as it could appear in a page or an address. */
const GIVEAWAYS: readonly [what: string, pattern: RegExp][] = [
  ['name', /morwenna|pritchard/i],
  ['phone number', /900\s*457/],
  ['date of birth', /1983|14\s*\/\s*0?7|14 July|14 Gorffennaf/i],
];
const giveawaysIn = (text: string): string[] => GIVEAWAYS.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);

let platform: Platform;
let api: Api;
const browser = useBrowser();

/** While set, the journey steps of this case wait: a test sees the pages before the journey moves on. */
let held: { reference: string; released: Promise<void> } | undefined;
function holdJourney(reference: string): () => void {
  let release!: () => void;
  held = { reference, released: new Promise<void>((resolve) => (release = resolve)) };
  return () => {
    held = undefined;
    release();
  };
}

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform({
    // Many lookups come from one address here; the limit itself is tested in rate-limit.test.ts.
    rateLimit: { ...PUBLIC_LOOKUP_LIMIT, requests: 100_000 },
    interceptStep: async (_entry, payload, run) => {
      const hold = held;
      if (hold && JSON.stringify(payload).includes(hold.reference)) await hold.released;
      return run();
    },
  }));
}, 60_000);
afterAll(() => platform?.stop());

/** The site's address as the browser uses it: localhost, where Secure cookies are kept over http. */
const site = (path = '/') => platform.url.replace('127.0.0.1', 'localhost') + path;

/** A case submitted through the JSON API for the person, waiting for a caseworker with its first text sent. */
async function caseAwaitingDecision(): Promise<string> {
  const reply = await api.submit(anApplication({ applicant: { name: PERSON.name, dateOfBirth: PERSON.dateOfBirth, phone: PERSON.international } }));
  expect(reply.status).toBe(202);
  const reference: string = reply.body.reference;
  await api.stage(reference, 'awaiting-decision');
  await eventually(async () => (await api.status(reference)).body, (status) => status.texts?.length > 0, 15_000, `a text about ${reference}`);
  return reference;
}

async function decided(reference: string, outcome: 'approve' | 'refuse' | 'request-information', reason: string, stage: string): Promise<void> {
  const reply = await api.decide(reference, outcome, reason);
  expect(reply.status).toBe(200);
  await api.stage(reference, stage);
}




/** Every document received must be free of the person's details, except on the pages named. */
async function expectNoPersonalData(session: Session, options: { allowedOn?: RegExp } = {}): Promise<ReceivedDocument[]> {
  const documents = await session.documents();
  expect(documents.length).toBeGreaterThan(0);
  const leaks = documents
    .filter((doc) => !options.allowedOn?.test(new URL(doc.url).pathname))
    .flatMap((doc) => giveawaysIn(doc.html).map((what) => `${doc.method} ${doc.url} (${doc.status}) shows the applicant's ${what}`));
  expect(leaks).toEqual([]);
  const decode = (url: string) => {
    try {
      return decodeURIComponent(url.replace(/\+/g, ' '));
    } catch {
      return url;
    }
  };
  const inAddresses = session.requests.flatMap((url) => giveawaysIn(decode(url)).map((what) => `${url} carries the applicant's ${what}`));
  expect(inAddresses).toEqual([]);
  return documents;
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the citizen pages %s', (_mode, javaScript) => {
  let session: Session;
  let page: Page;
  beforeEach(async () => {
    session = await openSession(browser(), { javaScript });
    page = session.page;
  });
  afterEach(() => session?.close());

  const look = (label: string) => checkAccessibility(page, `${label} (JavaScript ${javaScript ? 'on' : 'off'})`);

  it('applies for a parking permit: a mistake, the answers checked, sent, and the confirmation', async () => {
    await arrive(page, () => page.goto(site('/')));
    expect(await scriptsRan(page)).toBe(javaScript);
    await look('the start page');
    await checkReflow(page, 'the start page');

    await arrive(page, () => page.getByRole('link', { name: 'Apply for a permit' }).click());
    expect(pathOf(page)).toBe('/apply');
    await look('choose a service');
    await checkReflow(page, 'choose a service');

    await arrive(page, () => page.getByRole('link', { name: 'Resident parking permit' }).click());
    expect(pathOf(page)).toBe('/apply/parking-permit');
    expect(await h1(page)).toBe('Apply for a resident parking permit');
    await look('the application form');
    await checkReflow(page, 'the application form');
    // every control on the way to "Continue" shows when it has the focus
    await tabTo(page, 'main form button[type=submit]');

    await page.getByLabel('Full name').fill(PERSON.name);
    await page.locator('#dateOfBirth-day').fill(PERSON.day);
    await page.locator('#dateOfBirth-month').fill(PERSON.month);
    await page.locator('#dateOfBirth-year').fill(PERSON.year);
    await page.getByLabel('Mobile phone number').fill(PERSON.phone);
    await page.getByLabel('English', { exact: true }).check();
    await page.getByLabel('Vehicle registration').fill('ab12 cde');
    await page.getByLabel('First line of your address').fill('1 High Street');
    await page.getByLabel('Postcode').fill('CF10'); // the mistake: half a postcode
    await page.getByLabel('Zone B').check();
    await page.getByLabel('Me', { exact: true }).check();
    const wrong = await arrive(page, () => page.getByRole('button', { name: 'Continue' }).click());
    await expectError(page, session, wrong.status(), 'postcode', /postcode/i);
    // what was typed is still there
    expect(await page.getByLabel('Full name').inputValue()).toBe(PERSON.name);
    expect(await page.getByLabel('Zone B').isChecked()).toBe(true);
    await look('the application form with an error');
    await checkReflow(page, 'the application form with an error');
    if (javaScript) {
      // the summary's link takes the focus to the question
      await page.locator('.govuk-error-summary__list a[href="#postcode"]').click();
      expect(await focusIsOn(page, '#postcode')).toBe(true);
    }

    await page.getByLabel('Postcode').fill('CF10 1AA');
    await arrive(page, () => page.getByRole('button', { name: 'Continue' }).click());
    expect(await h1(page)).toBe('Check your answers before sending your application');
    const answers = await text(page, '.govuk-summary-list');
    for (const shown of [PERSON.name, PERSON.phone, '1 High Street', 'CF10 1AA', 'Zone B']) expect(answers).toContain(shown);
    expect(await page.getByRole('button', { name: /^Change/ }).count()).toBeGreaterThanOrEqual(9);
    await look('check your answers');
    await checkReflow(page, 'check your answers');
    // each "Change" (a button that looks like a link) and "Accept and send" show their focus
    await tabTo(page, 'form[action$="/submit"] button[type=submit]');

    // "Change" goes back to the question with every answer kept
    await arrive(page, () => page.getByRole('button', { name: 'Change postcode' }).click());
    expect(pathOf(page)).toBe('/apply/parking-permit');
    expect(await page.getByLabel('Postcode').inputValue()).toBe('CF10 1AA');
    expect(await page.locator('#dateOfBirth-year').inputValue()).toBe(PERSON.year);
    await look('the application form, changing an answer');
    await page.getByLabel('Postcode').fill('CF10 1AB');
    await arrive(page, () => page.getByRole('button', { name: 'Continue' }).click());
    expect(await text(page, '.govuk-summary-list')).toContain('CF10 1AB');
    await look('check your answers, changed');

    const sent = await arrive(page, () => page.getByRole('button', { name: 'Accept and send' }).click());
    expect(sent.status()).toBe(200);
    const reference = /^\/confirmation\/(APP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$/.exec(pathOf(page))?.[1];
    expect(reference).toBeDefined();
    expect(await text(page, '.govuk-panel__title')).toBe('Application sent');
    expect((await text(page, '.govuk-panel__body')).replace(/\s+/g, ' ')).toContain(reference!.split('-').join(' '));
    await look('the confirmation');
    await checkReflow(page, 'the confirmation');

    // stored as typed, normalised
    const stored = (await api.case(reference!)).body;
    expect(stored.applicant).toMatchObject({ name: PERSON.name, dateOfBirth: PERSON.dateOfBirth, phone: PERSON.international });
    expect(stored.details).toMatchObject({ postcode: 'CF10 1AB', zone: 'B', vehicleKeeper: 'applicant' });

    await arrive(page, () => page.getByRole('link', { name: 'Check the status of your case' }).click());
    expect(pathOf(page)).toBe(`/track/${reference}`);
    expect(['Application received', 'Details checked', 'With a caseworker']).toContain(await h1(page));
    await look('the status page');
    await checkReflow(page, 'the status page');

    const documents = await expectNoPersonalData(session, { allowedOn: /^\/apply\/parking-permit$/ });
    // the check is able to see the details: they are on the check-answers page
    expect(documents.filter((doc) => doc.method === 'POST' && giveawaysIn(doc.html).length === 3)).not.toEqual([]);
  }, 60_000);

  it('finds a case by its reference typed in lower case with spaces, and says what is wrong with a typo or an unknown reference', async () => {
    const reference = await caseAwaitingDecision();
    await arrive(page, () => page.goto(site('/')));
    await look('the start page');
    await page.getByLabel('Reference').fill(reference.toLowerCase().replace(/-/g, ' '));
    const found = await arrive(page, () => page.getByRole('button', { name: 'Check status' }).click());
    expect(found.status()).toBe(200);
    expect(pathOf(page)).toBe(`/track/${reference}`);
    expect(await h1(page)).toBe('With a caseworker');
    const summary = await text(page, '.govuk-summary-list');
    for (const key of ['Reference', 'Who is dealing with it', 'Decision expected by']) expect(summary).toContain(key);
    expect(summary).toContain(reference);
    expect(await text(page, 'main')).toContain('What happens next');
    const timeline = await page.locator('.app-timeline__title').allInnerTexts();
    expect(timeline).toEqual(expect.arrayContaining(['Application received', 'With a caseworker', 'We sent you a text message']));
    await look('the status page');
    await checkReflow(page, 'the status page');

    // two neighbouring symbols the wrong way round
    const at = [...reference].findIndex((c, i) => i > 4 && /\w/.test(c) && /\w/.test(reference[i + 1] ?? '') && c !== reference[i + 1]);
    const typo = reference.slice(0, at) + reference[at + 1] + reference[at] + reference.slice(at + 2);
    await arrive(page, () => page.goto(site('/')));
    await page.getByLabel('Reference').fill(typo);
    const wrong = await arrive(page, () => page.getByRole('button', { name: 'Check status' }).click());
    await expectError(page, session, wrong.status(), 'reference', /Check your reference/);
    expect(await page.getByLabel('Reference').inputValue()).toBe(typo);
    await look('the lookup with a typo');

    const unknown = newReference('application');
    await page.getByLabel('Reference').fill(unknown);
    const missing = await arrive(page, () => page.getByRole('button', { name: 'Check status' }).click());
    expect(missing.status()).toBe(404);
    expect(await h1(page)).toBe('We cannot find a case with that reference');
    await look('an unknown reference');

    await expectNoPersonalData(session);
  }, 45_000);

  it('switches to Welsh and remembers it on the next page', async () => {
    await arrive(page, () => page.goto(site('/')));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await arrive(page, () => page.getByRole('link', { name: 'Cymraeg' }).click());
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    expect(await page.locator('label[for=reference]').innerText()).toBe('Cyfeirnod');
    expect(await page.getByRole('button', { name: 'Gwirio statws' }).count()).toBe(1);
    await look('the start page in Welsh');

    // the next page, reached without ?lang=cy, is in Welsh too
    await page.getByLabel('Cyfeirnod').fill('APP-1234');
    const wrong = await arrive(page, () => page.getByRole('button', { name: 'Gwirio statws' }).click());
    expect(new URL(page.url()).searchParams.get('lang')).toBeNull();
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expectError(page, session, wrong.status(), 'reference', /\w/, true);
    await look('the lookup with an error, in Welsh');
    await arrive(page, () => page.goto(site('/apply')));
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    expect(await h1(page)).toBe('Gwneud cais am drwydded');
    await look('choose a service, in Welsh');

    // and back
    await arrive(page, () => page.getByRole('link', { name: 'English' }).click());
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await look('choose a service, back in English');
    await arrive(page, () => page.goto(site('/')));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await look('the start page, back in English');
    await expectNoPersonalData(session);
  }, 30_000);

  it('sends the information a caseworker asked for, after a wrong date of birth', async () => {
    const reference = await caseAwaitingDecision();
    await decided(reference, 'request-information', "Send a photo of the vehicle's V5C logbook.", 'information-needed');

    await arrive(page, () => page.goto(site(`/track/${reference}`)));
    expect(await h1(page)).toBe('We need more information');
    expect(await text(page, 'main')).toContain("Send a photo of the vehicle's V5C logbook.");
    await look('the status page asking for information');
    await checkReflow(page, 'the status page asking for information');

    await arrive(page, () => page.getByRole('button', { name: 'Send the information we asked for' }).click());
    expect(pathOf(page)).toBe(`/track/${reference}/answer`);
    await look('the answer page');

    await page.locator('#dateOfBirth-day').fill(PERSON.day);
    await page.locator('#dateOfBirth-month').fill(PERSON.month);
    await page.locator('#dateOfBirth-year').fill('1984'); // not theirs
    await page.getByLabel('Your answer').fill('A photo of the logbook is on its way by post.');
    const wrong = await arrive(page, () => page.getByRole('button', { name: 'Send information' }).click());
    await expectError(page, session, wrong.status(), 'dateOfBirth', /does not match/);
    expect((await api.status(reference)).body.stage.code).toBe('information-needed');
    await look('the answer page with a wrong date of birth');

    await page.locator('#dateOfBirth-year').fill(PERSON.year);
    await page.getByLabel('Your answer').fill('A photo of the logbook is on its way by post.');
    // the journey takes the answer in the background: held here, so the page is seen before it moves on
    const release = holdJourney(reference);
    let firstSeen: { thanked: boolean; askedAgain: boolean };
    try {
      await arrive(page, () => page.getByRole('button', { name: 'Send information' }).click());
      expect(pathOf(page)).toBe(`/track/${reference}`);
      expect(new URL(page.url()).searchParams.get('answered')).toBe('1');
      // what the citizen sees first (asserted last, below)
      firstSeen = {
        thanked: (await page.locator('.govuk-notification-banner--success').count()) === 1,
        askedAgain: (await page.getByRole('button', { name: 'Send the information we asked for' }).count()) > 0,
      };
      await look('the status page just after answering');
    } finally {
      release();
    }
    await api.stage(reference, 'awaiting-decision');
    // once the journey has moved on, the page says so
    await eventually(
      async () => {
        if ((await h1(page)) === 'We need more information') await arrive(page, () => page.reload());
        return h1(page);
      },
      (heading) => heading === 'With a caseworker',
      10_000,
      'the status page to show the case back with a caseworker',
    );
    expect(await text(page, '.govuk-notification-banner')).toContain('We have the information you sent');
    await look('the status page after answering');
    await expectNoPersonalData(session);
    // the page the answer leads to thanks the citizen and does not ask again, whether or not the journey has moved on yet
    expect(firstSeen).toEqual({ thanked: true, askedAgain: false });
  }, 45_000);

  it('renews an approved permit from its status page', async () => {
    const reference = await caseAwaitingDecision();
    await decided(reference, 'approve', 'All in order.', 'approved');

    await arrive(page, () => page.goto(site(`/track/${reference}`)));
    expect(await h1(page)).toBe('Approved');
    await look('the status page of an approved permit');
    await checkReflow(page, 'the status page of an approved permit');

    await arrive(page, () => page.getByRole('button', { name: 'Renew your permit' }).click());
    expect(pathOf(page)).toBe(`/track/${reference}/renew`);
    await look('the renewal page');
    await page.locator('#dateOfBirth-day').fill(PERSON.day);
    await page.locator('#dateOfBirth-month').fill(PERSON.month);
    await page.locator('#dateOfBirth-year').fill(PERSON.year);
    await page.getByLabel(/^Postcode/).fill('CF10 2BB');
    await arrive(page, () => page.getByRole('button', { name: 'Renew permit' }).click());
    const renewal = /^\/confirmation\/(REN-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$/.exec(pathOf(page))?.[1];
    expect(renewal).toBeDefined();
    expect(await text(page, '.govuk-panel__title')).toBe('Renewal sent');
    await look('the renewal confirmation');
    expect((await api.case(renewal!)).body.details).toMatchObject({ postcode: 'CF10 2BB' });

    // the permit's page no longer offers to renew it
    await arrive(page, () => page.goto(site(`/track/${reference}`)));
    expect(await page.getByRole('button', { name: 'Renew your permit' }).count()).toBe(0);
    await look('the status page of a renewed permit');
    await expectNoPersonalData(session);
  }, 45_000);

  it('appeals against a refusal by keyboard alone, the focus visible at every stop', async () => {
    const reference = await caseAwaitingDecision();
    await decided(reference, 'refuse', 'The address is outside the permit zone.', 'refused');

    await arrive(page, () => page.goto(site('/')));
    await tabTo(page, '.govuk-skip-link');
    await tabTo(page, '#reference');
    await typeText(page, reference.toLowerCase());
    await tabTo(page, 'button[type=submit]');
    await arrive(page, () => press(page, 'Space'));
    expect(pathOf(page)).toBe(`/track/${reference}`);
    expect(await h1(page)).toBe('Refused');
    expect(await text(page, 'main')).toContain('The address is outside the permit zone.');
    await look('the status page of a refusal');
    await checkReflow(page, 'the status page of a refusal');

    await tabTo(page, `a[href="/track/${reference}/appeal"]`);
    await arrive(page, () => press(page, 'Enter'));
    expect(pathOf(page)).toBe(`/track/${reference}/appeal`);
    expect(await h1(page)).toBe('Appeal against the decision');
    await look('the appeal page');

    await tabTo(page, '#dateOfBirth-day');
    await typeText(page, PERSON.day);
    await tabTo(page, '#dateOfBirth-month', { maxStops: 1 });
    await typeText(page, PERSON.month);
    await tabTo(page, '#dateOfBirth-year', { maxStops: 1 });
    await typeText(page, PERSON.year);
    await tabTo(page, '#grounds', { maxStops: 1 });
    await typeText(page, 'Too short'); // under 10 characters
    await tabTo(page, 'button[type=submit]');
    const wrong = await arrive(page, () => press(page, 'Space'));
    await expectError(page, session, wrong.status(), 'grounds', /at least 10 characters/);
    await look('the appeal page with an error');

    // with JavaScript the summary has the focus, and its first link is the next stop
    await tabTo(page, '.govuk-error-summary__list a[href="#grounds"]', { maxStops: javaScript ? 1 : 10 });
    await press(page, 'Enter');
    // the link takes the focus to the question (GOV.UK Frontend's script, or the browser going to the fragment)
    expect(await focusIsOn(page, '#grounds')).toBe(true);
    await checkVisibleFocus(page);
    await typeText(page, 'My street is in zone B: the council moved the boundary last year.', { clear: true });
    // the date of birth is asked again, and typed again
    await tabTo(page, '#dateOfBirth-day', { backwards: true, maxStops: 5 });
    for (const [part, value] of [['day', PERSON.day], ['month', PERSON.month], ['year', PERSON.year]] as const) {
      if (part !== 'day') await tabTo(page, `#dateOfBirth-${part}`, { maxStops: 1 });
      await typeText(page, value, { clear: true });
    }
    await tabTo(page, 'button[type=submit]');
    await arrive(page, () => press(page, 'Enter'));
    const appeal = /^\/confirmation\/(APL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$/.exec(pathOf(page))?.[1];
    expect(appeal).toBeDefined();
    expect(await text(page, '.govuk-panel__title')).toBe('Appeal sent');
    await look('the appeal confirmation');
    await checkReflow(page, 'the appeal confirmation');

    await tabTo(page, `a[href="/track/${appeal}"]`);
    await arrive(page, () => press(page, 'Enter'));
    expect(pathOf(page)).toBe(`/track/${appeal}`);
    await look('the status page of the appeal');
    await expectNoPersonalData(session);
  }, 45_000);
});

describe('a form sent from another site', () => {
  /** A complete application, as the check-answers page sends it. */
  const application = () =>
    new URLSearchParams({
      name: PERSON.name,
      'dateOfBirth-day': PERSON.day,
      'dateOfBirth-month': PERSON.month,
      'dateOfBirth-year': PERSON.year,
      phone: PERSON.phone,
      language: 'en',
      vehicleRegistration: 'AB12 CDE',
      addressLine1: '1 High Street',
      postcode: 'CF10 1AA',
      zone: 'A',
      vehicleKeeper: 'applicant',
      idempotencyKey: `cross-site-${Date.now()}`,
    }).toString();
  const post = (path: string, site: 'cross-site' | 'same-origin') =>
    fetch(platform.url + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate', origin: 'https://elsewhere.example' },
      body: application(),
    });

  it('is refused and stores nothing', async () => {
    await platform.settled(); // nothing under way: texts, receipts, their figures and the scheduled runs at start
    const before = await storedItems(platform);
    const textsBefore = platform.sns.outbox().length;
    for (const path of ['/apply/parking-permit', '/apply/parking-permit/submit']) {
      const reply = await post(path, 'cross-site');
      expect(reply.status).toBe(403);
      const page = await reply.text();
      expect(page).toContain('This form was sent from another website');
      expect(giveawaysIn(page)).toEqual([]);
    }
    expect(await storedItems(platform)).toBe(before);
    expect(platform.sns.outbox().length).toBe(textsBefore);

    // the same form from the service itself is taken: the refusal was for where it came from
    const accepted = await post('/apply/parking-permit/submit', 'same-origin');
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/^\/confirmation\/APP-/);
    expect(await storedItems(platform)).toBeGreaterThan(before);
  });
});

describe('the browser checks', () => {
  // A page with what the checks are there to find: an image without a text alternative, a box
  // without a label, something wider than a phone, and a button whose focus cannot be seen.
  const BROKEN = `<!DOCTYPE html><html lang="en"><head><title>Broken</title><style>
    #no-focus-style:focus { outline: none; }
    #focus-style:focus { outline: 3px solid #fd0; box-shadow: 0 4px #0b0c0c; }
  </style></head><body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input id="unlabelled" type="text">
  <div style="width: 600px">Wider than a phone</div><button id="no-focus-style" style="outline: none">No focus style</button> <a id="focus-style" href="#x">A focus style</a></main></body></html>`;

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('find what is wrong %s', async (_mode, javaScript) => {
    const session = await openSession(browser(), { javaScript });
    try {
      const { page } = session;
      await page.route('http://localhost/broken', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: BROKEN }));
      await page.goto('http://localhost/broken');
      const axe = await checkAccessibility(page, 'a broken page').then(() => 'no violations', (error: Error) => error.message);
      expect(axe).toMatch(/image-alt[\s\S]*img/);
      expect(axe).toMatch(/label[\s\S]*#unlabelled/);
      await expect(checkReflow(page, 'a broken page')).rejects.toThrow(/scrolls sideways at 320 CSS px[\s\S]*div/);
      await page.focus('#no-focus-style');
      await expect(checkVisibleFocus(page)).rejects.toThrow(/No visible focus indicator on button#no-focus-style/);
      await page.focus('#focus-style');
      await checkVisibleFocus(page);
    } finally {
      await session.close();
    }
  }, 30_000);
});
