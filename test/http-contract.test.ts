// The public API contract over HTTP on the local server: what citizens and caseworkers can rely
// on, and that no bad input crashes the server or changes a stored case.
import { startTestPlatform, anApplication, type Api } from './support/platform';
import type { Platform } from '../local/platform';
import { ALPHABET, newReference } from '../lambdas/domain/shared/reference';

let platform: Platform;
let api: Api;
let reference: string;

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform());
  reference = (await api.submit(anApplication({ applicant: { name: 'Gwenllian Ŵyn-Jones', dateOfBirth: '1984-03-27', phone: '+447700900555' } }))).body.reference;
  await api.stage(reference, 'awaiting-decision');
  // its text and the text's receipt written too: "changes nothing" below compares a settled case
  await platform.sns.settled();
});
afterAll(() => platform.stop());

const typo = (ref: string) => {
  const last = ref.at(-1)!;
  return ref.slice(0, -1) + ALPHABET[(ALPHABET.indexOf(last) + 1) % 32];
};

describe('a citizen looking up a status', () => {
  it('finds the case from a lower-case, spaced reference', async () => {
    const typed = reference.toLowerCase().replace(/-/g, ' ');
    const reply = await api.status(typed);
    expect(reply.status).toBe(200);
    expect(reply.body.reference).toBe(reference);
    expect(reply.body).toMatchObject({ journey: 'application', stage: { code: 'awaiting-decision' } });
    expect(reply.body.expectedBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('is told a one-symbol typo is a mistake in the reference, with a 400', async () => {
    const reply = await api.status(typo(reference));
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'invalid-reference', message: expect.stringMatching(/mistake/) });
  });

  it('gets a 404 for a well-formed reference that does not exist', async () => {
    const reply = await api.status(newReference('application'));
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('not-found');
  });

  it('never sees the applicant\'s name, phone or date of birth', async () => {
    const reply = await api.status(reference);
    const text = JSON.stringify(reply.body);
    for (const secret of ['Gwenllian', 'Ŵyn-Jones', '+447700900555', '7700900555', '1984-03-27']) expect(text).not.toContain(secret);
  });

  it('reads it in Welsh with ?lang=cy or Accept-Language: cy', async () => {
    const byQuery = await api.status(reference, '?lang=cy');
    expect(byQuery.body.stage.title).toBe('Gyda gweithiwr achos');
    expect(byQuery.headers.get('content-language')).toBe('cy');
    const byHeader = await api.request('GET', `/status/${reference}`, { headers: { 'accept-language': 'cy-GB, en;q=0.5' } });
    expect(byHeader.body.language).toBe('cy');
    const english = await api.request('GET', `/status/${reference}`, { headers: { 'accept-language': 'en-GB' } });
    expect(english.body.stage.title).toBe('With a caseworker');
  });
});

describe('a citizen applying', () => {
  it('gets 202 with a reference that works at once', async () => {
    const reply = await api.submit();
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ reference: expect.stringMatching(/^APP-/), stage: 'received' });
    expect(reply.body).not.toHaveProperty('status');
    expect((await api.status(reply.body.reference)).status).toBe(200);
  });

  it('gets the same reference when retrying with the same Idempotency-Key', async () => {
    const key = `retry-${Date.now()}`;
    const first = await api.submit(anApplication(), { 'idempotency-key': key });
    const second = await api.submit(anApplication(), { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.reference).toBe(first.body.reference);
    const different = await api.submit(anApplication({ details: { zone: 'B' } }), { 'idempotency-key': key });
    expect(different.status).toBe(409);
  });

  it.each([
    ['malformed JSON', { raw: '{"service": "parking-permit",', headers: { 'content-type': 'application/json' } }, 400, 'invalid-json'],
    ['an empty body', { raw: '', headers: { 'content-type': 'application/json' } }, 400, 'invalid-json'],
    ['a JSON array', { raw: '[]', headers: { 'content-type': 'application/json' } }, 400, 'invalid-json'],
    ['a form instead of JSON', { raw: 'service=parking-permit', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported-media-type'],
  ])('gets a JSON error for %s', async (_what, options, status, code) => {
    const reply = await api.request('POST', '/applications', options);
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toBe(code);
    expect(reply.body.error.message).toEqual(expect.any(String));
  });

  it('is told which field is missing', async () => {
    const { applicant, ...rest } = anApplication();
    const reply = await api.submit({ ...rest, applicant: { ...applicant, phone: undefined } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toEqual([{ field: 'applicant.phone', message: expect.stringMatching(/mobile phone number/) }]);
  });

  it('is told when the service does not exist', async () => {
    const reply = await api.submit(anApplication({ service: 'dragon-licence' }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields[0]).toMatchObject({ field: 'service', message: expect.stringMatching(/dragon-licence/) });
  });

  it('gets 413 for a body over the limit', async () => {
    const big = await api.submit(anApplication({ details: { addressLine1: 'x'.repeat(20_000) } }));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload-too-large');
    const huge = await api.request('POST', '/applications', { raw: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
    expect(huge.status).toBe(413);
  });
});

describe('caseworker routes', () => {
  it.each([
    ['GET', '/cases?queue=awaiting-decision'],
    ['GET', '/cases/APP-7K3M-9Q2X-4FJT'],
    ['POST', '/cases/APP-7K3M-9Q2X-4FJT/decision'],
  ])('refuse %s %s without a token with 401', async (method, path) => {
    const reply = await api.request(method, path, { body: method === 'POST' ? { outcome: 'approve' } : undefined });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('unauthorised');
    const wrong = await api.request(method, path, { token: 'not-a-real-token' });
    expect(wrong.status).toBe(401);
  });

  it('show the whole case, with personal data and notifications, to a caseworker', async () => {
    const reply = await api.case(reference);
    expect(reply.status).toBe(200);
    expect(reply.body.applicant).toEqual({ name: 'Gwenllian Ŵyn-Jones', dateOfBirth: '1984-03-27', phone: '+447700900555' });
    expect(reply.body.notifications).toEqual(expect.arrayContaining([expect.objectContaining({ milestone: 'received', channel: 'sms', status: 'sent' })]));
    expect(reply.body).not.toHaveProperty('taskToken');
  });

  it('refuse an unknown queue with a 400 that lists the queues', async () => {
    const reply = await api.request('GET', '/cases?queue=everything', { token: 'dev-caseworker' });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/awaiting-decision/);
  });

  it('answer 404, not 500, for a decision or a delay on a well-formed reference with no case', async () => {
    const nobody = newReference('application');
    expect((await api.decide(nobody, 'approve')).status).toBe(404);
    const delay = await api.request('POST', `/cases/${nobody}/delay`, { token: 'dev-caseworker', body: { reason: 'Waiting.', newDate: '2027-01-15' } });
    expect(delay.status).toBe(404);
  });

  it('refuse a decision that is not approve, refuse or request-information', async () => {
    const reply = await api.decide(reference, 'maybe');
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields[0].field).toBe('outcome');
  });
});

describe('decisions', () => {
  it('let exactly one of several concurrent decisions win; the others get 409', async () => {
    const ref = (await api.submit()).body.reference;
    await api.stage(ref, 'awaiting-decision');
    const replies = await Promise.all(
      ['approve', 'refuse', 'approve', 'refuse', 'approve'].map((outcome, i) => api.decide(ref, outcome, `reason ${i}`, i % 2 ? 'dev-senior' : 'dev-caseworker')),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    for (const reply of replies.filter((r) => r.status === 409)) expect(reply.body.error.code).toBe('conflict');
    const winner = replies.find((r) => r.status === 200)!.body.decision.outcome;
    await api.stage(ref, winner === 'approve' ? 'approved' : 'refused');
    const audit = (await api.case(ref)).body.audit.filter((a: any) => a.action.startsWith('decided:'));
    expect(audit).toHaveLength(1);
  });

  it('refuse a second decision on a case already decided with a 409 that says so', async () => {
    const ref = (await api.submit()).body.reference;
    await api.stage(ref, 'awaiting-decision');
    expect((await api.decide(ref, 'approve')).status).toBe(200);
    await api.stage(ref, 'approved');
    const again = await api.decide(ref, 'refuse', 'changed my mind');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already been decided/);
  });
});

describe('bad input', () => {
  it('never crashes the server or changes a stored case', async () => {
    const before = (await api.case(reference)).body;
    const hostile = [
      api.request('GET', '/status/..%2F..%2Fetc%2Fpasswd'),
      api.request('GET', '/status/%E0%A4%A'),
      api.request('GET', `/status/${'A'.repeat(5000)}`),
      api.request('POST', '/applications', { raw: '{"__proto__": {"admin": true}}', headers: { 'content-type': 'application/json' } }),
      api.request('POST', '/applications', { raw: '{"service": {"$ne": null}}', headers: { 'content-type': 'application/json' } }),
      api.request('POST', '/applications', { raw: `${'['.repeat(10_000)}${']'.repeat(10_000)}`, headers: { 'content-type': 'application/json' } }),
      api.request('POST', `/cases/${reference}/decision`, { raw: '{"outcome": "approve"', token: 'dev-caseworker', headers: { 'content-type': 'application/json' } }),
      api.request('DELETE', `/cases/${reference}`, { token: 'dev-caseworker' }),
      api.request('GET', '/nowhere'),
    ];
    const replies = await Promise.all(hostile);
    for (const reply of replies) {
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.body.error).toEqual({ code: expect.any(String), message: expect.any(String), ...(reply.body.error.fields ? { fields: expect.any(Array) } : {}) });
      expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.ts:\d+|stack/i);
    }
    expect((await api.case(reference)).body).toEqual(before);
    expect((await api.status(reference)).status).toBe(200);
  });
});
