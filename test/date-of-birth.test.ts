// The date of birth is the second factor for whoever knows a case's reference. These tests hold
// the platform to what an outside review asked of it: a case not open to an action answers the
// same to the right and to a wrong date of birth, on every route and page that takes one; wrong
// dates are counted per case, whoever sends them and from wherever, and pause the case and tell
// the citizen; a renewal that moves the texts to a new number tells the old one too.
import { request as httpRequest } from 'node:http';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { HTTP_ROUTES, type HttpRoute } from '../lambdas/functions';
import { DATE_OF_BIRTH_ROUTES, RATE_LIMITS } from '../lambdas/http/rate-limits';
import { WRONG_DATES_BEFORE_PAUSE } from '../lambdas/domain/citizens/identity';
import type { Platform } from '../local/platform';
import { anApplication, eventually, startTestPlatform, type Api } from './support/platform';
import { signInAs } from './support/console';

let platform: Platform;
let api: Api;
beforeAll(async () => {
  // the limits per address are test/rate-limit.test.ts's: here every date reaches its case
  ({ platform, api } = await startTestPlatform({ rateLimit: RATE_LIMITS.map((limit) => ({ ...limit, requests: 100_000 })) }));
}, 60_000);
afterAll(() => platform?.stop());

const DOB = '1979-06-14';
const WRONG = '1979-06-15';

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** One request from a loopback address of its own (the whole of 127.0.0.0/8 is this machine): a client the limits per address cannot tell from another. */
function send(route: Pick<HttpRoute, 'method' | 'responds'>, path: string, fields: Record<string, string>, from = '127.0.0.1'): Promise<Reply> {
  const url = new URL(path, platform.url);
  const json = route.responds === 'json';
  const body = json ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: route.method, localAddress: from, headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', accept: json ? 'application/json' : 'text/html', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const dateFields = (dateOfBirth: string) => {
  const [year, month, day] = dateOfBirth.split('-');
  return { 'dateOfBirth-day': String(Number(day)), 'dateOfBirth-month': String(Number(month)), 'dateOfBirth-year': year };
};

/**
 * How a citizen sends each route that checks a date of birth: its address and its fields. A route
 * added to the table that checks a date of birth fails the first test until it is here.
 */
const ASKS: Record<string, (reference: string, dateOfBirth: string) => { path: string; fields: Record<string, string> }> = {
  'POST /renewals': (reference, dateOfBirth) => ({ path: '/renewals', fields: { renews: reference, dateOfBirth } }),
  'POST /appeals': (reference, dateOfBirth) => ({ path: '/appeals', fields: { appeals: reference, dateOfBirth, grounds: 'My street is in zone A.' } }),
  'POST /status/{reference}/information': (reference, dateOfBirth) => ({ path: `/status/${reference}/information`, fields: { dateOfBirth, information: 'Photo sent by post.' } }),
  'POST /track/{reference}/renew': (reference, dateOfBirth) => ({ path: `/track/${reference}/renew`, fields: dateFields(dateOfBirth) }),
  'POST /track/{reference}/appeal': (reference, dateOfBirth) => ({ path: `/track/${reference}/appeal`, fields: { ...dateFields(dateOfBirth), grounds: 'My street is in zone A.' } }),
  'POST /track/{reference}/answer': (reference, dateOfBirth) => ({ path: `/track/${reference}/answer`, fields: { ...dateFields(dateOfBirth), information: 'Photo sent by post.' } }),
};
const name = (route: HttpRoute) => `${route.method} ${route.path}`;
const ask = (route: HttpRoute, reference: string, dateOfBirth: string, from?: string) => {
  const { path, fields } = ASKS[name(route)](reference, dateOfBirth);
  return send(route, path, fields, from);
};

async function aCase(outcome?: 'approve' | 'refuse', applicant: Record<string, unknown> = {}): Promise<string> {
  const reference = (await api.submit(anApplication({ applicant: { dateOfBirth: DOB, ...applicant } }))).body.reference as string;
  await api.stage(reference, 'awaiting-decision');
  if (outcome) {
    expect((await api.decide(reference, outcome, 'Checked.')).status).toBe(200);
    await api.stage(reference, outcome === 'approve' ? 'approved' : 'refused');
  }
  await platform.sns.settled();
  return reference;
}

describe('a case not open to the action', () => {
  it('is asked about on every route and page that checks a date of birth', () => {
    expect(DATE_OF_BIRTH_ROUTES.map(name).sort()).toEqual(Object.keys(ASKS).sort());
  });

  it.each(DATE_OF_BIRTH_ROUTES.map((route) => [name(route), route] as const))('%s answers the same to the right and to a wrong date of birth, and changes nothing', async (_name, route) => {
    // waiting for a caseworker: nothing to renew, appeal or answer; and an approved permit already renewed
    const waiting = await aCase();
    const renewed = await aCase('approve');
    expect((await api.request('POST', '/renewals', { body: { renews: renewed, dateOfBirth: DOB } })).status).toBe(202);
    for (const reference of [waiting, renewed]) {
      const before = (await api.case(reference)).body;
      const right = await ask(route, reference, DOB);
      const wrong = await ask(route, reference, WRONG);
      expect({ reference, status: right.status }).toEqual({ reference, status: 409 });
      expect({ reference, status: wrong.status, body: wrong.body }).toEqual({ reference, status: right.status, body: right.body });
      const after = (await api.case(reference)).body;
      // not a date of birth was looked at, so not one was counted
      expect(after.version).toBe(before.version);
      expect(after.dateOfBirthTries).toEqual(before.dateOfBirthTries);
    }
  });
});

describe('wrong dates of birth', () => {
  const renew = HTTP_ROUTES.find((route) => name(route) === 'POST /renewals')!;
  const renewPage = HTTP_ROUTES.find((route) => name(route) === 'POST /track/{reference}/renew')!;
  const appeal = HTTP_ROUTES.find((route) => name(route) === 'POST /appeals')!;

  it(`pause the case for everyone after ${WRONG_DATES_BEFORE_PAUSE} from ${WRONG_DATES_BEFORE_PAUSE} addresses, and the citizen is texted once`, async () => {
    const phone = '+447700900731';
    const reference = await aCase('approve', { phone });
    const textsBefore = platform.sns.outbox().filter((text) => text.phoneNumber === phone).length;
    for (let i = 0; i < WRONG_DATES_BEFORE_PAUSE; i++) {
      const wrong = await ask(renew, reference, `19${50 + i}-01-01`, `127.0.0.${10 + i}`);
      expect([i, wrong.status]).toEqual([i, 404]);
    }
    // the sixth, from a sixth address, and the citizen themself with the right date: paused alike
    const sixth = await ask(renew, reference, '1961-01-01', '127.0.0.20');
    const owner = await ask(renew, reference, DOB, '127.0.0.21');
    expect(sixth.status).toBe(429);
    expect({ status: owner.status, body: owner.body }).toEqual({ status: sixth.status, body: sixth.body });
    expect(JSON.parse(owner.body).error).toMatchObject({ code: 'too-many-tries', message: expect.stringMatching(/paused changes to it online until \d\d:\d\d on \d+ \w+ \d{4}/) });
    expect(Number(owner.headers['retry-after'])).toBeGreaterThan(23 * 3600);
    // the page, in the citizen's language, says so too
    const page = await ask(renewPage, reference, DOB, '127.0.0.22');
    expect(page.status).toBe(429);
    expect(page.body).toContain('Changes to this case are paused');
    // what is not open stays the same answer, paused or not
    expect((await ask(appeal, reference, DOB, '127.0.0.23')).status).toBe(409);

    await platform.sns.settled();
    const texts = await eventually(async () => platform.sns.outbox().filter((text) => text.phoneNumber === phone), (list) => list.length > textsBefore);
    const paused = texts.slice(textsBefore);
    expect(paused).toHaveLength(1);
    expect(paused[0].message).toMatch(new RegExp(`${reference}: someone sent wrong dates of birth for your case, so online changes are paused for 24 hours`));
    const record = (await api.case(reference)).body;
    expect(record.audit.filter((entry: { action: string }) => entry.action === 'paused-after-wrong-dates-of-birth')).toHaveLength(1);
    // and the public status says nothing of it; the caseworker's case page says why the citizen cannot act online
    expect(JSON.stringify((await api.status(reference)).body)).not.toMatch(/paused|date of birth/i);
    const caseworker = await signInAs(platform.siteUrl, 'dev-caseworker');
    const casePage = await (await fetch(`${platform.siteUrl}/caseworker/cases/${reference}`, { headers: { cookie: caseworker.cookie } })).text();
    expect(casePage).toMatch(new RegExp(`Paused until [^<]+ after ${WRONG_DATES_BEFORE_PAUSE} wrong dates of birth\\. The citizen has been texted\\.`));
  });

  it('are counted on their own case only', async () => {
    const guessed = await aCase('approve');
    const other = await aCase('approve');
    for (let i = 0; i < WRONG_DATES_BEFORE_PAUSE; i++) await ask(renew, guessed, `19${60 + i}-02-02`);
    expect((await ask(renew, guessed, DOB)).status).toBe(429);
    expect((await ask(renew, other, DOB)).status).toBe(202);
  });
});

describe('a renewal that changes the mobile number', () => {
  it('texts the old number as well as the new', async () => {
    const [before, after] = ['+447700900741', '+447700900742'];
    const reference = await aCase('approve', { phone: before });
    const renewal = await api.request('POST', '/renewals', { body: { renews: reference, dateOfBirth: DOB, applicant: { phone: after } } });
    expect(renewal.status).toBe(202);
    await platform.sns.settled();
    const toOld = await eventually(async () => platform.sns.outbox().filter((text) => text.phoneNumber === before && text.message.includes('mobile number')), (list) => list.length > 0);
    expect(toOld).toHaveLength(1);
    expect(toOld[0].message).toBe(`Resident parking permit ${reference}: the mobile number for your permit was changed when it was renewed online. If this was not you, contact us now.`);
    const toNew = await eventually(async () => platform.sns.outbox().filter((text) => text.phoneNumber === after), (list) => list.length > 0);
    expect(toNew[0].message).toContain(renewal.body.reference);
  });

  it('texts nobody but the citizen when the number stays the same', async () => {
    const phone = '+447700900743';
    const reference = await aCase('approve', { phone });
    expect((await api.request('POST', '/renewals', { body: { renews: reference, dateOfBirth: DOB } })).status).toBe(202);
    await platform.sns.settled();
    expect(platform.sns.outbox().filter((text) => text.message.includes('mobile number') && text.message.includes(reference))).toEqual([]);
  });
});

describe('a permit past its end', () => {
  /** Moves the permit's end into the past, as a year going by would (its reminder day with it). */
  async function endedDaysAgo(reference: string, days: number): Promise<string> {
    const expiresOn = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const db = new DynamoDBClient({ endpoint: platform.dynamoEndpoint });
    try {
      await db.send(
        new UpdateItemCommand({
          TableName: platform.tableName,
          Key: { reference: { S: reference } },
          UpdateExpression: 'SET expiresOn = :on, queuedAt = :remind',
          ExpressionAttributeValues: { ':on': { S: expiresOn }, ':remind': { S: `${expiresOn.slice(0, 8)}01T09:00:00.000Z` } },
        }),
      );
    } finally {
      db.destroy();
    }
    return expiresOn;
  }

  it('reads as expired, cannot be renewed after the window, leaves the renewal-due queue and texts the citizen once', async () => {
    const reference = await aCase('approve');
    await endedDaysAgo(reference, 366);
    const status = (await api.status(reference)).body;
    expect(status.stage).toMatchObject({ code: 'expired', title: 'Expired', description: expect.stringMatching(/^Your permit ran out on \d+ \w+ \d{4}\.$/) });
    expect(status.nextSteps).toBe('It can no longer be renewed. If you still need a permit, apply for a new one.');
    expect((await api.status(reference, '?lang=cy')).body.stage.title).toBe('Wedi dod i ben');
    const refused = await api.request('POST', '/renewals', { body: { renews: reference, dateOfBirth: DOB } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(new RegExp(`The time to renew ${reference} ended on .*Apply for a new permit instead\\.`));
    // the same to a wrong date of birth
    expect((await api.request('POST', '/renewals', { body: { renews: reference, dateOfBirth: WRONG } })).body).toEqual(refused.body);

    // before the job has run, the caseworkers' renewal-due queue no longer lists it either
    const before = await api.request('GET', '/cases?queue=renewal-due&limit=100', { token: 'dev-caseworker' });
    expect(before.body.cases.map((entry: { reference: string }) => entry.reference)).not.toContain(reference);

    await platform.runReminders();
    await platform.runReminders();
    await platform.sns.settled();
    const record = (await api.case(reference)).body;
    expect(record.stage).toBe('expired');
    expect(record.queue).toBeUndefined();
    const texts = await eventually(async () => (await api.case(reference)).body.notifications.map((n: any) => `${n.milestone}:${n.status}`), (list) => list.includes('expired:sent'));
    expect(texts.filter((text: string) => text.startsWith('expired'))).toEqual(['expired:sent']);
    expect(texts.some((text: string) => text.startsWith('renewal-due'))).toBe(false);
    const queue = await api.request('GET', '/cases?queue=renewal-due&limit=100', { token: 'dev-caseworker' });
    expect(queue.body.cases.map((entry: { reference: string }) => entry.reference)).not.toContain(reference);
  });

  it('can still be renewed within the service\'s grace days after its end', async () => {
    const reference = await aCase('approve');
    await endedDaysAgo(reference, 10);
    const status = (await api.status(reference)).body;
    expect(status.stage.code).toBe('expired');
    expect(status.nextSteps).toMatch(/^You can still renew it until \d+ \w+ \d{4}/);
    expect((await api.request('POST', '/renewals', { body: { renews: reference, dateOfBirth: DOB } })).status).toBe(202);
  });
});
