// The published performance: /performance, /performance.json and /performance.csv on the local
// platform, from figures counted into its DynamoDB (dynalite) on days relative to today. The open
// data must give back exactly what was counted (worked out again here, independently), counting a
// tally twice must change nothing, no output may carry a reference that was counted, and the page
// must be accessible in English and Welsh, with and without JavaScript, its table agreeing with the
// JSON. The CSV writer and the report's assembly also have unit tests of their own.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { DynamoPerformanceStore } from '../lambdas/adapters/aws/dynamodb-performance-store';
import { InMemoryPerformanceStore } from '../lambdas/adapters/memory/in-memory';
import { requireService, serviceStandard } from '../lambdas/domain/services/catalogue';
import { publishedFrom, type JourneyPerformance, type PerformanceReport, type PerformanceRow, type Tally } from '../lambdas/domain/performance/performance';
import { PERFORMANCE_CSV_COLUMNS, csvField, performanceCsv, publishedPerformance, toCsv } from '../lambdas/domain/performance/published-performance';
import { newReference, type Journey } from '../lambdas/domain/shared/reference';
import { addDays, ukDate } from '../lambdas/domain/shared/working-days';
import type { Platform } from '../local/platform';
import { arrive, checkAccessibility, checkReflow, h1, openSession, scriptsRan, text, useBrowser, type Session } from './support/browser';
import { startTestPlatform } from './support/platform';

// Page code passed to page.evaluate: the project's TypeScript has no DOM types.
declare const document: any;

const SERVICE = 'parking-permit';

// --- What is counted -----------------------------------------------------------------------------

/** A decided case: received and decided so many days ago, in so many working days, within the standard or not. */
interface DecidedCase {
  readonly receivedAgo: number;
  readonly decidedAgo: number;
  readonly workingDays: number;
  readonly within: boolean;
}

const APPLICATIONS_DECIDED: readonly DecidedCase[] = [
  // the last 90 days: 12 decided, 9 within; 2 3 3 4 5 6 7 8 9 12 14 20 working days
  { receivedAgo: 70, decidedAgo: 62, workingDays: 6, within: true },
  { receivedAgo: 65, decidedAgo: 60, workingDays: 4, within: true },
  { receivedAgo: 60, decidedAgo: 50, workingDays: 8, within: true },
  { receivedAgo: 55, decidedAgo: 40, workingDays: 12, within: false },
  { receivedAgo: 50, decidedAgo: 44, workingDays: 5, within: true },
  { receivedAgo: 45, decidedAgo: 30, workingDays: 14, within: false },
  { receivedAgo: 40, decidedAgo: 35, workingDays: 3, within: true },
  { receivedAgo: 35, decidedAgo: 31, workingDays: 2, within: true },
  { receivedAgo: 30, decidedAgo: 20, workingDays: 9, within: true },
  { receivedAgo: 25, decidedAgo: 22, workingDays: 3, within: true },
  { receivedAgo: 20, decidedAgo: 5, workingDays: 20, within: false },
  { receivedAgo: 10, decidedAgo: 3, workingDays: 7, within: true },
  // five months ago: a month of fewer than 10 decisions, outside the last 90 days
  { receivedAgo: 160, decidedAgo: 150, workingDays: 11, within: false },
  { receivedAgo: 158, decidedAgo: 150, workingDays: 4, within: true },
  { receivedAgo: 155, decidedAgo: 149, workingDays: 6, within: true },
  // before the published months: in nothing
  { receivedAgo: 420, decidedAgo: 410, workingDays: 5, within: true },
];
/** Received and not decided: three open in the published months (the oldest 40 days ago), one from before them. */
const APPLICATIONS_OPEN = [40, 12, 2, 400];
const RENEWALS_DECIDED: readonly DecidedCase[] = [
  { receivedAgo: 14, decidedAgo: 12, workingDays: 1, within: true },
  { receivedAgo: 9, decidedAgo: 4, workingDays: 3, within: true },
];

const today = ukDate(new Date());
const daysAgo = (days: number) => addDays(today, -days);

/** Every reference counted, to look for in what is published. */
const references: string[] = [];

function tallies(journey: Journey, decided: readonly DecidedCase[], open: readonly number[], texts: readonly { ago: number; sent: boolean; again?: boolean; delivered?: boolean }[]): Tally[] {
  const out: Tally[] = [];
  for (const decision of decided) {
    const reference = newReference(journey);
    references.push(reference);
    out.push({ kind: 'received', reference, on: daysAgo(decision.receivedAgo) });
    out.push({ kind: 'decided', reference, on: daysAgo(decision.decidedAgo), workingDays: decision.workingDays, withinStandard: decision.within });
    out.push({ kind: 'closed', reference, on: daysAgo(decision.receivedAgo) });
  }
  for (const ago of open) {
    const reference = newReference(journey);
    references.push(reference);
    out.push({ kind: 'received', reference, on: daysAgo(ago) });
  }
  for (const [n, text] of texts.entries()) {
    // a text is known by its case and milestone: the reference is in what the store remembers, never in a figure
    const event = `${references.at(-1 - n)}#received`;
    out.push({ kind: 'text', event, on: daysAgo(text.ago), sent: text.sent });
    // not accepted at first, then sent on a retry: counted both ways
    if (text.again) out.push({ kind: 'text', event, on: daysAgo(text.ago), sent: true });
    // the SMS provider's receipt: it reached the phone, or could not
    if (text.delivered !== undefined) out.push({ kind: 'delivery', event, on: daysAgo(text.ago), delivered: text.delivered });
  }
  return out;
}

const SEEDED: Readonly<Record<Journey, readonly Tally[]>> = {
  application: tallies('application', APPLICATIONS_DECIDED, APPLICATIONS_OPEN, [
    { ago: 62, sent: true, delivered: true },
    { ago: 50, sent: true, delivered: false },
    { ago: 31, sent: false, again: true },
    { ago: 20, sent: true, delivered: true },
    { ago: 3, sent: false },
    { ago: 150, sent: true },
  ]),
  renewal: tallies('renewal', RENEWALS_DECIDED, [], [{ ago: 4, sent: true }]),
  appeal: [],
};

// --- The same figures, worked out again here --------------------------------------------------

/** The nearest-rank percentile of a list of working days. */
function nearestRank(days: readonly number[], share: number): number | undefined {
  if (days.length === 0) return undefined;
  const sorted = [...days].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(share * sorted.length)) - 1];
}

function expectedRow(period: string, from: string, to: string, counted: readonly Tally[]): PerformanceRow {
  const inPeriod = counted.filter((tally) => tally.on >= from && tally.on <= to);
  const decided = inPeriod.filter((tally): tally is Extract<Tally, { kind: 'decided' }> => tally.kind === 'decided');
  const within = decided.filter((tally) => tally.withinStandard).length;
  const days = decided.map((tally) => tally.workingDays);
  const p50 = nearestRank(days, 0.5);
  const p90 = nearestRank(days, 0.9);
  return {
    period,
    from,
    to,
    received: inPeriod.filter((tally) => tally.kind === 'received').length,
    decided: decided.length,
    decidedWithinStandard: within,
    ...(decided.length > 0 ? { decidedWithinStandardPercent: Math.round((1000 * within) / decided.length) / 10 } : {}),
    ...(p50 !== undefined ? { workingDaysToDecisionP50: p50 } : {}),
    ...(p90 !== undefined ? { workingDaysToDecisionP90: p90 } : {}),
    textsSent: inPeriod.filter((tally) => tally.kind === 'text' && tally.sent).length,
    textsNotSent: inPeriod.filter((tally) => tally.kind === 'text' && !tally.sent).length,
    textsDelivered: inPeriod.filter((tally) => tally.kind === 'delivery' && tally.delivered).length,
    textsNotDelivered: inPeriod.filter((tally) => tally.kind === 'delivery' && !tally.delivered).length,
    fewerThan10Decided: decided.length < 10,
  };
}

/** The twelve months to this one, newest first: each from its first day to its last (or today). */
function publishedMonths(): { period: string; from: string; to: string }[] {
  const [year, month] = today.split('-').map(Number);
  return Array.from({ length: 12 }, (_, back) => {
    const first = new Date(Date.UTC(year, month - 1 - back, 1)).toISOString().slice(0, 10);
    const last = new Date(Date.UTC(year, month - back, 0)).toISOString().slice(0, 10);
    return { period: first.slice(0, 7), from: first, to: last < today ? last : today };
  });
}

function expectedJourney(journey: Journey): JourneyPerformance {
  const counted = SEEDED[journey];
  const standard = serviceStandard(requireService(SERVICE), journey);
  const from = publishedFrom(today);
  const stillOpen = new Map<string, number>();
  for (const tally of counted) {
    if (tally.on < from || (tally.kind !== 'received' && tally.kind !== 'closed')) continue;
    stillOpen.set(tally.on, (stillOpen.get(tally.on) ?? 0) + (tally.kind === 'received' ? 1 : -1));
  }
  const openDays = [...stillOpen.entries()].filter(([, open]) => open > 0).sort(([a], [b]) => a.localeCompare(b));
  return {
    service: SERVICE,
    journey,
    standardWorkingDays: standard.decisionWorkingDays,
    targetPercent: standard.withinStandardTargetPercent,
    openCases: openDays.reduce((sum, [, open]) => sum + open, 0),
    ...(openDays.length > 0 ? { oldestOpenReceivedOn: openDays[0][0] } : {}),
    last90Days: expectedRow('last-90-days', daysAgo(89), today, counted),
    months: publishedMonths().map((month) => expectedRow(month.period, month.from, month.to, counted)),
  };
}

// --- The platform ----------------------------------------------------------------------------------

let platform: Platform;
let store: DynamoPerformanceStore;
const browser = useBrowser();

beforeAll(async () => {
  ({ platform } = await startTestPlatform());
  store = new DynamoPerformanceStore(DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: platform.dynamoEndpoint })), platform.tableName);
  for (const [journey, counted] of Object.entries(SEEDED) as [Journey, Tally[]][]) {
    for (const tally of counted) expect(await store.count(SERVICE, journey, tally)).toBe(true);
    // days before yesterday are read from their roll-up, which the scheduled run makes for the last week only
    for (const day of new Set(counted.map((tally) => tally.on))) await store.rollUp(SERVICE, journey, day, new Date().toISOString());
  }
}, 60_000);
afterAll(() => platform?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(platform.url + path, { headers });
const site = (path: string) => platform.url.replace('127.0.0.1', 'localhost') + path;

async function report(): Promise<PerformanceReport> {
  const res = await get('/performance.json');
  expect(res.status).toBe(200);
  return (await res.json()) as PerformanceReport;
}

const journeyIn = (published: PerformanceReport, journey: Journey) => published.journeys.find((entry) => entry.service === SERVICE && entry.journey === journey)!;

describe('/performance.json', () => {
  it('gives back exactly the figures counted: every month, the last 90 days, open cases and the oldest of them', async () => {
    const published = await report();
    expect(published).toEqual({ generatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), from: publishedFrom(today), to: today, journeys: expect.any(Array) });
    expect(published.journeys.map((entry) => `${entry.service}/${entry.journey}`)).toEqual(requireService(SERVICE).journeys.map((journey) => `${SERVICE}/${journey}`));
    for (const journey of ['application', 'renewal', 'appeal'] as const) expect(journeyIn(published, journey)).toEqual(expectedJourney(journey));

    // and, by hand, what the seeded applications mean
    const applications = journeyIn(published, 'application');
    expect(applications.last90Days).toMatchObject({ received: 12 + 3, decided: 12, decidedWithinStandard: 9, decidedWithinStandardPercent: 75, workingDaysToDecisionP50: 6, workingDaysToDecisionP90: 14, textsSent: 4, textsNotSent: 2, textsDelivered: 2, textsNotDelivered: 1, fewerThan10Decided: false });
    expect([applications.openCases, applications.oldestOpenReceivedOn, applications.standardWorkingDays, applications.targetPercent]).toEqual([3, daysAgo(40), 10, 90]);
    expect(applications.months).toHaveLength(12);
    expect(applications.months.find((month) => month.period === daysAgo(150).slice(0, 7))).toMatchObject({ decided: expect.any(Number), fewerThan10Decided: true });
    expect(journeyIn(published, 'renewal').last90Days).toMatchObject({ decided: 2, decidedWithinStandardPercent: 100, workingDaysToDecisionP50: 1, workingDaysToDecisionP90: 3, fewerThan10Decided: true });
    const appeals = journeyIn(published, 'appeal');
    expect(appeals.last90Days).toEqual(expect.not.objectContaining({ decidedWithinStandardPercent: expect.anything() }));
    expect([appeals.openCases, appeals.oldestOpenReceivedOn]).toEqual([0, undefined]);
  });

  it('is JSON, cached for five minutes, with the security headers', async () => {
    const res = await get('/performance.json');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('is the same after every tally is counted again', async () => {
    const before = await report();
    for (const [journey, counted] of Object.entries(SEEDED) as [Journey, Tally[]][]) {
      for (const tally of counted) expect(await store.count(SERVICE, journey, tally)).toBe(false);
    }
    const after = await report();
    expect({ ...after, generatedAt: '' }).toEqual({ ...before, generatedAt: '' });
  });
});

/** A CSV body as records of fields (only what this report holds: no quoted fields). */
function records(csv: string): string[][] {
  expect(csv.endsWith('\r\n')).toBe(true);
  expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  return csv.slice(0, -2).split('\r\n').map((line) => line.split(','));
}

const cell = (value: number | string | boolean | undefined) => (value === undefined ? '' : String(value));

describe('/performance.csv', () => {
  it('has a row per journey and period with the same figures as the JSON, empty where there are none', async () => {
    const published = await report();
    const res = await get('/performance.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const [header, ...rows] = records(await res.text());
    expect(header).toEqual([...PERFORMANCE_CSV_COLUMNS]);
    const expected = published.journeys.flatMap((journey) =>
      [journey.last90Days, ...journey.months].map((row) => [
        journey.service,
        journey.journey,
        row.period,
        row.from,
        row.to,
        row.received,
        row.decided,
        row.decidedWithinStandard,
        row.decidedWithinStandardPercent,
        row.workingDaysToDecisionP50,
        row.workingDaysToDecisionP90,
        row.textsSent,
        row.textsNotSent,
        row.textsDelivered,
        row.textsNotDelivered,
        row.fewerThan10Decided,
        journey.openCases,
        journey.oldestOpenReceivedOn,
        journey.standardWorkingDays,
        journey.targetPercent,
      ].map(cell)),
    );
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(3 * 13);
    // read by column name, as a spreadsheet user would
    type Column = (typeof PERFORMANCE_CSV_COLUMNS)[number];
    const columns = (row: string[], names: readonly Column[]) => names.map((name) => row[PERFORMANCE_CSV_COLUMNS.indexOf(name)]);
    const last90 = (journey: Journey) => rows.find((row) => row[1] === journey && row[2] === 'last-90-days')!;
    expect(columns(last90('application'), ['decided', 'decided_within_standard', 'decided_within_standard_percent', 'working_days_to_decision_p50', 'working_days_to_decision_p90', 'fewer_than_10_decided', 'open_cases', 'oldest_open_received_on'])).toEqual(['12', '9', '75', '6', '14', 'false', '3', daysAgo(40)]);
    expect(columns(last90('renewal'), ['decided', 'fewer_than_10_decided'])).toEqual(['2', 'true']);
    expect(columns(last90('appeal'), ['decided', 'decided_within_standard_percent', 'working_days_to_decision_p50', 'working_days_to_decision_p90', 'oldest_open_received_on'])).toEqual(['0', '', '', '', '']);
  });
});

describe('what is published', () => {
  it('carries no reference that was counted, in any form', async () => {
    const bodies = await Promise.all(['/performance', '/performance?lang=cy', '/performance.json', '/performance.csv'].map(async (path) => (await get(path)).text()));
    expect(references.length).toBeGreaterThan(20);
    const found = references.filter((reference) => bodies.some((body) => body.includes(reference) || body.includes(reference.replace(/-/g, ''))));
    expect(found).toEqual([]);
  });

  it('is linked from the footer of every page, beside the other statements', async () => {
    const home = await (await get('/')).text();
    expect(home).toMatch(/<a class="govuk-footer__link" href="\/performance">Performance<\/a>/);
  });
});

// --- The page in a real browser ---------------------------------------------------------------------

/** A table's rows as the page shows them: each cell's number (undefined for "–") and whether it is marked as from few cases. */
function tableRows(page: Page, journey: Journey) {
  return page.evaluate(
    (id: string) =>
      [...document.querySelectorAll(`#${id}-figures-caption`)[0].closest('table').querySelectorAll('tbody tr')].map((tr: any) => ({
        period: tr.getAttribute('data-period'),
        cells: [...tr.querySelectorAll('td')].map((td: any) => {
          const shown = td.cloneNode(true);
          for (const hidden of shown.querySelectorAll('.govuk-visually-hidden')) hidden.remove();
          const seen = shown.textContent.trim();
          return { value: seen.startsWith('–') ? null : Number(seen.replace(/[,*\s\u00a0]/g, '')), marked: seen.includes('*') };
        }),
      })),
    `${SERVICE}-${journey}`,
  );
}

async function expectTableMatches(page: Page, published: PerformanceReport, journey: Journey): Promise<void> {
  const figures = journeyIn(published, journey);
  const shown = await tableRows(page, journey);
  const number = (value: number | undefined) => (value === undefined ? null : value);
  expect(shown).toEqual(
    [figures.last90Days, ...figures.months].map((row) => {
      const marked = row.fewerThan10Decided && row.decided > 0;
      return {
        period: row.period,
        cells: [
          { value: row.received, marked: false },
          { value: row.decided, marked: false },
          { value: row.decidedWithinStandard, marked: false },
          { value: number(row.decidedWithinStandardPercent), marked },
          { value: number(row.workingDaysToDecisionP50), marked },
          { value: number(row.workingDaysToDecisionP90), marked },
          { value: row.textsSent, marked: false },
          { value: row.textsNotSent, marked: false },
          { value: row.textsDelivered, marked: false },
          { value: row.textsNotDelivered, marked: false },
        ],
      };
    }),
  );
}

/** Every chart is an image named and described by its own title and desc. */
async function expectAccessibleCharts(page: Page): Promise<string[]> {
  const charts = await page.evaluate(() =>
    [...document.querySelectorAll('main svg')].map((svg: any) => {
      const ids = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
      const named = ids.map((id: string) => document.getElementById(id));
      return {
        role: svg.getAttribute('role'),
        labelledBy: named.map((element: any) => (element && element.parentNode === svg ? element.tagName.toLowerCase() : 'missing')),
        title: svg.querySelector('title')?.textContent ?? '',
        desc: svg.querySelector('desc')?.textContent ?? '',
        inlineStyle: svg.outerHTML.includes('style='),
      };
    }),
  );
  expect(charts).toHaveLength(3);
  for (const chart of charts) {
    expect(chart).toEqual({ role: 'img', labelledBy: ['title', 'desc'], title: expect.stringMatching(/\S/), desc: expect.stringMatching(/\S/), inlineStyle: false });
  }
  return charts.map((chart) => chart.title);
}

describe('the performance page', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('shows each journey in a sentence, a chart and a table that agrees with the JSON, and passes axe', async () => {
    const published = await report();
    session = await openSession(browser(), { javaScript: true });
    const { page } = session;
    const res = await arrive(page, () => page.goto(site('/performance')));
    expect(res.status()).toBe(200);
    expect(await h1(page)).toBe('Service performance');
    expect(await page.title()).toMatch(/^Service performance – /);
    const body = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(body).toContain('12 applications decided in the last 90 days: 75% within the service standard of 10 working days (our aim: 90%).');
    expect(body).toContain('Half of cases were decided within 6 working days, and 9 in 10 within 14 working days.');
    expect(body).toContain('2 renewals decided in the last 90 days: 100% within the service standard of 5 working days (our aim: 95%).');
    expect(body).toContain('These figures are based on fewer than 10 cases');
    expect(body).toContain('No appeals decided in the last 90 days.');
    expect(body).toContain('Based on fewer than 10 decided cases');
    expect(body).toMatch(/weekends and bank holidays are not counted/);
    expect(body).toMatch(/the days we wait for your answer are not counted/);
    expect(body).toMatch(/Texts delivered are those the provider’s receipt says reached the phone/);
    expect(await text(page, `#${SERVICE}-application-heading ~ dl`)).toMatch(/Open cases\s+3\s+Oldest open case received\s+\d+ \w+ \d{4}/);
    const titles = await expectAccessibleCharts(page);
    expect(titles[0]).toBe('Resident parking permit: applications decided within the service standard, by month');
    for (const journey of ['application', 'renewal', 'appeal'] as const) await expectTableMatches(page, published, journey);
    expect(await page.locator('a[href="/performance.csv"]').count()).toBe(1);
    expect(await page.locator('a[href="/performance.json"]').count()).toBe(1);
    await checkAccessibility(page, 'the performance page');
  });

  it('is in Welsh when asked, and passes axe', async () => {
    session = await openSession(browser(), { javaScript: true });
    const { page } = session;
    await arrive(page, () => page.goto(site('/performance?lang=cy')));
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    expect(await h1(page)).toBe('Perfformiad y gwasanaeth');
    const body = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(body).toContain('Penderfynwyd ar 12 o geisiadau yn y 90 diwrnod diwethaf: 75% o fewn safon y gwasanaeth o 10 diwrnod gwaith (ein nod: 90%).');
    expect(body).toContain('Penderfynwyd ar hanner yr achosion o fewn 6 diwrnod gwaith, a 9 o bob 10 o fewn 14 diwrnod gwaith.');
    expect(body).toContain('Ni phenderfynwyd ar unrhyw apeliadau yn y 90 diwrnod diwethaf.');
    expect(body).toContain('Y 90 diwrnod diwethaf');
    const titles = await expectAccessibleCharts(page);
    expect(titles[0]).toBe('Trwydded parcio preswylwyr: ceisiadau a benderfynwyd o fewn safon y gwasanaeth, fesul mis');
    await checkAccessibility(page, 'the performance page in Welsh');
  });

  it('works without JavaScript, fits a narrow screen and passes axe', async () => {
    const published = await report();
    session = await openSession(browser(), { javaScript: false });
    const { page } = session;
    const res = await arrive(page, () => page.goto(site('/performance')));
    expect(res.status()).toBe(200);
    expect(await scriptsRan(page)).toBe(false);
    await expectAccessibleCharts(page);
    await expectTableMatches(page, published, 'application');
    await checkAccessibility(page, 'the performance page without JavaScript');
    await checkReflow(page, 'the performance page');
  });
});

// --- Units: the report and its CSV ----------------------------------------------------------------

describe('the report', () => {
  it('covers each journey of each service, from the first published month to today (UK date)', async () => {
    const memory = new InMemoryPerformanceStore();
    await memory.count(SERVICE, 'renewal', { kind: 'decided', reference: 'REN-0000-0000-0000', on: '2026-06-20', workingDays: 2, withinStandard: true });
    // 23:30 UTC on 30 June is 00:30 on 1 July in London: the UK date decides
    const at = new Date('2026-06-30T23:30:00Z');
    const published = await publishedPerformance(memory, at);
    expect([published.generatedAt, published.from, published.to]).toEqual([at.toISOString(), '2025-08-01', '2026-07-01']);
    expect(published.journeys.map((journey) => journey.journey)).toEqual(['application', 'renewal', 'appeal']);
    expect(published.journeys[1].months.find((month) => month.period === '2026-06')).toMatchObject({ decided: 1, workingDaysToDecisionP50: 2 });
    expect(published.journeys[1].months[0]).toMatchObject({ period: '2026-07', from: '2026-07-01', to: '2026-07-01', decided: 0 });
  });

  it('reads only the services it is given', async () => {
    const published = await publishedPerformance(new InMemoryPerformanceStore(), new Date('2026-06-15T12:00:00Z'), []);
    expect(published.journeys).toEqual([]);
    expect(performanceCsv(published)).toBe(`${PERFORMANCE_CSV_COLUMNS.join(',')}\r\n`);
  });
});

describe('the CSV', () => {
  it('quotes a field holding a comma, a quote or a line break, doubling the quotes inside', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', ''].map(csvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\rhere"', '']);
  });

  it('leaves a cell empty for a figure that is absent, and writes numbers and flags as they are', () => {
    expect(toCsv([['a', undefined, 0, 75.5, false, true]])).toBe('a,,0,75.5,false,true\r\n');
  });

  it('ends every record, the last too, with CRLF', () => {
    expect(toCsv([['h1', 'h2'], ['x', 'y']])).toBe('h1,h2\r\nx,y\r\n');
  });

  it('quotes what needs it in a whole report, and leaves absent figures empty', () => {
    const empty: PerformanceRow = { period: 'last-90-days', from: '2026-08-23', to: '2026-11-20', received: 1, decided: 0, decidedWithinStandard: 0, textsSent: 0, textsNotSent: 0, textsDelivered: 0, textsNotDelivered: 0, fewerThan10Decided: true };
    const csv = performanceCsv({
      generatedAt: '2026-11-20T10:00:00.000Z',
      from: '2025-12-01',
      to: '2026-11-20',
      journeys: [{ service: 'permits, "resident"', journey: 'application', standardWorkingDays: 10, targetPercent: 90, openCases: 1, oldestOpenReceivedOn: '2026-11-02', last90Days: empty, months: [] }],
    });
    expect(csv.split('\r\n')[1]).toBe('"permits, ""resident""",application,last-90-days,2026-08-23,2026-11-20,1,0,0,,,,0,0,0,0,true,1,2026-11-02,10,90');
  });
});
