// Forms posted from another website change nothing. The console's forms need the session's form
// token and must come from the site's own origin: a browser says where a form came from in
// Origin and Sec-Fetch-Site, compared here without regard to case. `Origin: null` is what
// browsers send for the site's own forms (its pages ask for Referrer-Policy: no-referrer), and a
// browser that sends neither header still needs the token. The citizens' forms are refused when
// Sec-Fetch-Site says another site sent them.
import type { Platform } from '../local/platform';
import { signInAs, type SignedIn } from './support/console';
import { anApplication, startTestPlatform, type Api } from './support/platform';

let platform: Platform;
let api: Api;
let site: string;
let me: SignedIn;
const DOB = '1975-08-14';

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform());
  site = platform.siteUrl;
  me = await signInAs(site, 'dev-caseworker');
}, 60_000);
afterAll(() => platform?.stop());

const waitingCase = async () => {
  const reference = (await api.submit(anApplication({ applicant: { dateOfBirth: DOB } }))).body.reference as string;
  await api.stage(reference, 'awaiting-decision');
  await platform.settled();
  return reference;
};

const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(site + path, { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields), headers: { cookie: me.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers } });

/** Approves the case, confirmed, with the session's token: only where the form came from differs. */
const approve = (reference: string, headers: Record<string, string>) => post(`/caseworker/cases/${reference}/approve`, { csrf: me.csrf, reason: 'Checked.', confirm: '1' }, headers);

describe('a decision posted to the console', () => {
  const OTHER_SITES: [string, () => Record<string, string>][] = [
    ['an Origin of another site', () => ({ origin: 'https://attacker.example' })],
    ['an Origin of another site, with Sec-Fetch-Site claiming same-origin', () => ({ origin: 'https://attacker.example', 'sec-fetch-site': 'same-origin' })],
    ['the site\'s name on another port', () => ({ origin: `http://localhost:${Number(new URL(site).port) + 1}` })],
    ['this machine under another name than the site\'s', () => ({ origin: site.replace('localhost', '127.0.0.1') })],
    ['Sec-Fetch-Site: Cross-Site, in capitals', () => ({ 'sec-fetch-site': 'Cross-Site' })],
    ['Sec-Fetch-Site: same-site (a neighbouring subdomain)', () => ({ 'sec-fetch-site': 'same-site' })],
    ['a malformed Origin', () => ({ origin: 'not an origin' })],
  ];

  it.each(OTHER_SITES)('is refused with a 403 and changes nothing when sent with %s, token and all', async (_name, headers) => {
    const reference = await waitingCase();
    const before = (await api.case(reference)).body;
    const res = await approve(reference, headers());
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/This form was sent from another website/);
    await platform.settled();
    expect((await api.case(reference)).body).toEqual(before);
  });

  it.each([
    ['the site\'s own Origin', () => ({ origin: site, 'sec-fetch-site': 'same-origin' })],
    ['the site\'s own Origin in capitals, and Sec-Fetch-Site: Same-Origin', () => ({ origin: site.toUpperCase(), 'sec-fetch-site': 'Same-Origin' })],
    ['Origin: null, as a browser sends it from the console\'s own no-referrer pages', () => ({ origin: 'null', 'sec-fetch-site': 'same-origin' })],
    ['neither header (an older browser), with the token', () => ({})],
  ])('is taken when sent with %s', async (_name, headers) => {
    const reference = await waitingCase();
    const res = await approve(reference, headers());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/caseworker/cases/${reference}?done=approve`);
    expect((await api.stage(reference, 'approved')).stage.code).toBe('approved');
  });

  it('still needs the token from a browser that sends neither header', async () => {
    const reference = await waitingCase();
    const before = (await api.case(reference)).body;
    const res = await post(`/caseworker/cases/${reference}/approve`, { reason: 'Checked.', confirm: '1' });
    expect(res.status).toBe(403);
    expect((await api.case(reference)).body).toEqual(before);
  });
});

describe('signing out from another site', () => {
  it('is refused, and the session goes on', async () => {
    const out = await post('/caseworker/sign-out', { csrf: me.csrf }, { origin: 'https://attacker.example' });
    expect(out.status).toBe(403);
    const home = await fetch(`${site}/caseworker`, { redirect: 'manual', headers: { cookie: me.cookie } });
    expect(home.status).toBe(200);
  });
});

describe('a citizen\'s form posted from another site', () => {
  it.each([['Cross-Site'], ['CROSS-SITE'], ['same-site']])('is refused with Sec-Fetch-Site: %s and changes nothing', async (value) => {
    const reference = await waitingCase();
    await api.decide(reference, 'request-information', 'Send a photo of your V5C.');
    await api.stage(reference, 'information-needed');
    await platform.settled();
    const before = (await api.case(reference)).body;
    const [year, month, day] = DOB.split('-');
    const res = await fetch(`${site}/track/${reference}/answer`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': value },
      body: new URLSearchParams({ 'dateOfBirth-day': day, 'dateOfBirth-month': month, 'dateOfBirth-year': year, information: 'Photo attached.' }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/This form was sent from another website/);
    expect((await api.case(reference)).body).toEqual(before);
  });
});
