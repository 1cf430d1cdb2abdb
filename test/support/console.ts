// Signing in to the caseworker console over HTTP, as a browser would: the sign-in page sends the
// browser to the development sign-in, which sends it back with a code, which the console exchanges
// for a session cookie. For tests of the console that need no browser.

/** The cookies a response sets, as name → value (a cleared cookie has an empty value). */
export function cookiesSet(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

export const cookieHeader = (cookies: Readonly<Record<string, string>>): string =>
  Object.entries(cookies)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');

const hiddenFields = (html: string): Record<string, string> =>
  Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));

export interface SignedIn {
  /** the Cookie header of the session */
  readonly cookie: string;
  /** the session cookie's value */
  readonly token: string;
  /** the form token of the session, read from a console page */
  readonly csrf: string;
}

const manual = { redirect: 'manual' } as const;

/** Asks the console to sign in: the cookie of the sign-in under way, and the provider's form for it. */
export async function startSignIn(siteUrl: string, returnTo?: string): Promise<{ pending: string; fields: Record<string, string> }> {
  const start = await fetch(`${siteUrl}/caseworker/sign-in${returnTo === undefined ? '' : `?return=${encodeURIComponent(returnTo)}`}`, manual);
  const authorize = await fetch(start.headers.get('location')!);
  return { pending: cookieHeader(cookiesSet(start)), fields: hiddenFields(await authorize.text()) };
}

/** Chooses an identity on the development sign-in: the callback address it sends the browser back to. */
export async function chooseIdentity(siteUrl: string, fields: Readonly<Record<string, string>>, username: string): Promise<string> {
  const back = await fetch(`${siteUrl}/dev-sign-in/authorize`, { ...manual, method: 'POST', body: new URLSearchParams({ ...fields, username }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return back.headers.get('location')!;
}

/** Signs in as one of the development identities at `siteUrl` (the platform's localhost address). */
export async function signInAs(siteUrl: string, username: 'dev-caseworker' | 'dev-senior', returnTo = '/caseworker'): Promise<SignedIn> {
  const { pending, fields } = await startSignIn(siteUrl, returnTo);
  const callback = await fetch(await chooseIdentity(siteUrl, fields, username), { ...manual, headers: { cookie: pending } });
  if (callback.status !== 303) throw new Error(`sign-in failed: ${callback.status} ${await callback.text()}`);
  const token = cookiesSet(callback)['__Host-caseworker-session'];
  const cookie = cookieHeader({ '__Host-caseworker-session': token });
  const home = await (await fetch(`${siteUrl}/caseworker`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(home)?.[1] ?? '';
  return { cookie, token, csrf };
}
