// The console's sign-in client against a provider that answers whatever a test makes it answer:
// it signs a caseworker in only with an ID token for this sign-in, from this provider, for this
// app, signed with the provider's published key, issued now, naming a caseworker.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { OidcSignIn, SignInFailed, type PendingSignIn } from '../lambdas/adapters/aws/oidc-sign-in';

const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'test-key';
const CLIENT = 'console-client';
let server: http.Server;
let base: string;
/** what the token endpoint answers next */
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/jwks') reply(200, { keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] });
    else if (req.url === '/token' && req.method === 'POST') reply(answer.status, answer.body);
    else reply(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => new OidcSignIn({ issuer: base, clientId: CLIENT, authorizeUrl: `${base}/authorize`, tokenUrl: `${base}/token`, logoutUrl: `${base}/logout`, jwksUri: `${base}/jwks`, siteUrl: 'http://localhost:3000' });
const pending: PendingSignIn = { state: 'the-state', nonce: 'the-nonce', verifier: 'v'.repeat(43), returnTo: '/caseworker' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function idToken(claims: Record<string, unknown> = {}, options: { key?: KeyObject; alg?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: base, aud: CLIENT, token_use: 'id', nonce: 'the-nonce', 'cognito:username': 'sam.example', 'cognito:groups': ['caseworkers'], iat: now, exp: now + 900, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete (payload as Record<string, unknown>)[name];
  const head = b64({ alg: options.alg ?? 'RS256', kid: KID, typ: 'JWT' });
  const body = b64(payload);
  const signature = options.alg === 'none' ? '' : sign('RSA-SHA256', Buffer.from(`${head}.${body}`), options.key ?? key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

async function finishWith(token: string, params: Record<string, string> = { code: 'a-code', state: 'the-state' }) {
  answer = { status: 200, body: { id_token: token, token_type: 'Bearer' } };
  return client().finish(pending, params);
}

const failure = async (attempt: Promise<unknown>): Promise<string> => {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof SignInFailed) return error.reason;
    throw error;
  }
  return 'signed in';
};

describe('signing a caseworker in', () => {
  it('signs in a caseworker, and a senior caseworker as senior', async () => {
    expect(await finishWith(idToken())).toEqual({ id: 'sam.example', senior: false });
    expect(await finishWith(idToken({ 'cognito:groups': ['caseworkers', 'senior-caseworkers'] }))).toEqual({ id: 'sam.example', senior: true });
  });

  it.each([
    ['without token_use', { token_use: undefined }],
    ['that is an access token', { token_use: 'access' }],
    ['issued in the future', { iat: Math.floor(Date.now() / 1000) + 3600 }],
    ['issued long ago', { iat: Math.floor(Date.now() / 1000) - 3600 }],
    ['for another sign-in (another nonce)', { nonce: 'someone-elses' }],
    ['without a nonce', { nonce: undefined }],
    ['for another app', { aud: 'another-client' }],
    ['from another issuer', { iss: 'https://elsewhere.example' }],
    ['that has expired', { exp: Math.floor(Date.now() / 1000) - 60 }],
    ['that names nobody', { 'cognito:username': undefined }],
  ])('refuses an ID token %s', async (_what, claims) => {
    expect(await failure(finishWith(idToken(claims)))).toBe('refused');
  });

  it.each([
    ['signed with another key', idToken({}, { key: otherKey.privateKey })],
    ['unsigned (alg none)', idToken({}, { alg: 'none' })],
    ['that is not a token', 'not-a-token'],
  ])('refuses an ID token %s', async (_what, token) => {
    expect(await failure(finishWith(token))).toBe('refused');
  });

  it('refuses someone in neither caseworker group, saying so', async () => {
    expect(await failure(finishWith(idToken({ 'cognito:groups': ['administrators'] })))).toBe('not-a-caseworker');
    expect(await failure(finishWith(idToken({ 'cognito:groups': undefined })))).toBe('not-a-caseworker');
  });

  it('refuses a code brought back with another state, or none, without asking the provider', async () => {
    answer = { status: 500, body: {} };
    expect(await failure(client().finish(pending, { code: 'a-code', state: 'another-state' }))).toBe('expired');
    expect(await failure(client().finish(undefined, { code: 'a-code', state: 'the-state' }))).toBe('expired');
    expect(await failure(client().finish(pending, { error: 'access_denied', state: 'the-state' }))).toBe('refused');
  });

  it('tells a used or expired code from a provider that is down', async () => {
    answer = { status: 400, body: { error: 'invalid_grant' } };
    expect(await failure(client().finish(pending, { code: 'a-code', state: 'the-state' }))).toBe('expired');
    answer = { status: 503, body: {} };
    expect(await failure(client().finish(pending, { code: 'a-code', state: 'the-state' }))).toBe('provider');
  });
});

describe('starting a sign-in', () => {
  it('asks for a code with a PKCE S256 challenge, a fresh state and nonce, back to the console', () => {
    const first = client().begin('/caseworker');
    const second = client().begin('/caseworker');
    const query = new URL(first.url).searchParams;
    expect(Object.fromEntries(query)).toEqual(
      expect.objectContaining({ response_type: 'code', client_id: CLIENT, redirect_uri: 'http://localhost:3000/caseworker/callback', code_challenge_method: 'S256', state: first.pending.state, nonce: first.pending.nonce }),
    );
    expect(query.get('code_challenge')).not.toBe(first.pending.verifier);
    expect(second.pending.state).not.toBe(first.pending.state);
    expect(second.pending.verifier).not.toBe(first.pending.verifier);
  });
});
