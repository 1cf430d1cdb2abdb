// The pages over HTTP, as any client sees them (the flows in a real browser are in
// test/citizen-pages.test.ts): every page address answers HTML with the security headers, the
// assets it links to are served and cached for good, the language is remembered, forms from other
// sites change nothing, and a status page never shows the applicant's personal data.
import { HTTP_ROUTES } from '../lambdas/functions';
import type { Platform } from '../local/platform';
import { anApplication, eventually, startTestPlatform, type Api } from './support/platform';
import { signInAs, type SignedIn } from './support/console';

let platform: Platform;
let api: Api;
let reference: string;

const secrets = { name: 'Zebedee Quartermaine', dateOfBirth: '1961-07-13', phone: '+447700900987' };

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform());
  const submitted = await api.submit(anApplication({ applicant: secrets }));
  reference = submitted.body.reference;
  await eventually(() => api.status(reference), (reply) => reply.body.stage?.code === 'awaiting-decision');
}, 60_000);

afterAll(() => platform?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(platform.url + path, { headers, redirect: 'manual' });

describe('every page', () => {
  const addresses = HTTP_ROUTES.filter((route) => route.responds === 'html' && route.method === 'GET').map((route) => route.path);
  // the console's pages need a session; signing in goes off to the sign-in service
  let console: SignedIn;
  beforeAll(async () => {
    console = await signInAs(platform.siteUrl, 'dev-caseworker');
  });

  it.each(addresses)('%s answers HTML with the security headers', async (address) => {
    // /track reads a reference from the lookup form: sent empty, it asks for one again
    const path = address.replace('{reference}', reference).replace('{service}', 'parking-permit').replace('{queue}', 'on-hold').replace('{action}', 'approve').replace('{proxy+}', 'no/such/page').replace(/^\/track$/, '/track?reference=');
    const res = await fetch(platform.siteUrl + path, { headers: { accept: 'text/html', cookie: console.cookie }, redirect: 'manual' });
    // the pages of a case's actions answer 409 when the case is not at that point, and any
    // other address 404: pages all the same; a signed-in caseworker asking to sign in (or at the
    // signed-out page) goes straight on to the queues
    if (address === '/caseworker/sign-in' || address === '/caseworker/signed-out') {
      expect([res.status, res.headers.get('location')]).toEqual([303, '/caseworker']);
      return;
    }
    expect(address === '/{proxy+}' ? [404] : [200, 400, 409]).toContain(res.status);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline/);
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const page = await res.text();
    expect(page).toMatch(/^<!DOCTYPE html><html lang="en"/);
    // no inline script or style for the policy to have to allow
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle="|\son\w+="/i);
  });
});

describe('an address that is not there', () => {
  it('is a page to a browser and the API\'s JSON error to anything else, whatever the method', async () => {
    expect(await (await get('/no/such/page', { accept: 'text/html' })).text()).toContain('Page not found');
    const json = await get('/no/such/page');
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
    expect((await fetch(`${platform.url}/no/such/page`, { method: 'POST' })).status).toBe(404);
  });
});

describe('the assets', () => {
  it('are the fingerprinted files the pages link to, compressed and cached for a year', async () => {
    const page = await (await get('/')).text();
    const linked = [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(linked).toEqual(expect.arrayContaining([expect.stringMatching(/^\/assets\/styles-[0-9a-f]{10}\.css$/), expect.stringMatching(/^\/assets\/enhance-[0-9a-f]{10}\.js$/)]));
    for (const asset of linked) {
      const res = await get(asset, { 'accept-encoding': 'gzip' });
      expect([asset, res.status]).toEqual([asset, 200]);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await get('/assets/manifest.json')).status).toBe(404);
    expect((await get('/assets/..%2fpackage.json')).status).toBe(404);
  });
});

describe('compression', () => {
  it('gzips a page of 1 KB or more when the browser accepts it, as API Gateway does', async () => {
    const { request } = await import('node:http');
    const encoding = await new Promise<string | undefined>((resolve, reject) => {
      request(`${platform.url}/track/${reference}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        res.resume();
        resolve(res.headers['content-encoding']);
      })
        .on('error', reject)
        .end();
    });
    expect(encoding).toBe('gzip');
  });
});

describe('the language', () => {
  it('switches with ?lang=cy and is remembered for the session', async () => {
    const switched = await get('/?lang=cy');
    expect(await switched.text()).toContain('<html lang="cy"');
    const cookie = switched.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lang=cy;.*HttpOnly/);
    expect(cookie).not.toMatch(/Expires|Max-Age/i);
    const next = await (await get(`/track/${reference}`, { cookie: 'lang=cy' })).text();
    expect(next).toContain('<html lang="cy"');
    expect(next).toContain('Beth sy&#39;n digwydd nesaf');
  });
});

describe('answers not yet sent', () => {
  it('survive switching language: the switch posts them back, and check your answers comes back in Welsh', async () => {
    const answers = new URLSearchParams({
      name: 'Alex Example', 'dateOfBirth-day': '1', 'dateOfBirth-month': '4', 'dateOfBirth-year': '1990', phone: '07700 900123', language: 'en',
      vehicleRegistration: 'AB12 CDE', addressLine1: '1 High Street', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant',
    });
    const post = (path: string, body: string) => fetch(platform.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const check = await (await post('/apply/parking-permit', answers.toString())).text();
    // the switch is a button that submits the page's form (the one that sends), to this page in Welsh
    expect(check).toMatch(/<button type="submit" form="send" formaction="\/apply\/parking-permit\?lang=cy" formmethod="post"[^>]*name="switchLanguage"/);
    const sendForm = /<form id="send"[^>]*>([\s\S]*?)<\/form>/.exec(check);
    expect(sendForm).not.toBeNull();
    const carried = new URLSearchParams([...sendForm![1].matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m): [string, string] => [m[1], m[2]]));
    const { idempotencyKey, ...kept } = Object.fromEntries(carried);
    expect(kept).toEqual(Object.fromEntries(answers));
    expect(idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    carried.set('switchLanguage', '1');
    const welsh = await (await post('/apply/parking-permit?lang=cy', carried.toString())).text();
    expect(welsh).toContain('<html lang="cy"');
    expect(welsh).toContain('Gwiriwch eich atebion cyn anfon eich cais');
    expect(welsh).toContain('Alex Example');
    // the same key: sending from the Welsh page is still the one application
    expect(welsh).toContain(`name="idempotencyKey" value="${idempotencyKey}"`);
  });
});

describe('the status page', () => {
  it('finds a reference typed in lower case with spaces, and shows no personal data', async () => {
    const typed = await get(`/track?reference=${encodeURIComponent(reference.toLowerCase().replace(/-/g, ' '))}`);
    expect(typed.status).toBe(303);
    expect(typed.headers.get('location')).toBe(`/track/${reference}`);
    const page = await (await get(`/track/${reference}`)).text();
    expect(page).toContain(reference);
    for (const secret of ['Zebedee', 'Quartermaine', '1961', '13 July', '900987', '07700']) expect(page).not.toContain(secret);
  });

  it('says what is wrong with a typo, and what to do about an unknown reference', async () => {
    const typo = await get('/track?reference=APP-1234');
    expect(typo.status).toBe(400);
    expect(await typo.text()).toMatch(/govuk-error-summary[\s\S]*href="#reference"[\s\S]*id="reference-error"/);
    const unknown = await get(`/track/${reference.slice(0, 4)}${reference.slice(4).split('').reverse().join('')}`);
    expect([400, 404]).toContain(unknown.status);
  });
});

describe('forms from another site', () => {
  it('are refused and change nothing', async () => {
    const res = await fetch(`${platform.url}/track/${reference}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      body: 'dateOfBirth-day=13&dateOfBirth-month=7&dateOfBirth-year=1961&information=hello',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect((await api.case(reference)).body.informationResponses ?? []).toEqual([]);
  });
});
