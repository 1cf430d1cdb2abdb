// The development sign-in: the local platform's stand-in for the user pool's hosted sign-in. It
// speaks the same authorisation code flow with PKCE, signs ID tokens with a key made at start-up
// and publishes it, so the console's sign-in code runs exactly as it does against Cognito. It
// offers the development identities (local/dev-tokens.ts) instead of asking for a password.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEV_TOKENS } from './dev-tokens';
import { readBody, send } from './api-server';
import { CONSOLE_PATHS, type SignInConfig } from '../lambdas/adapters/aws/sign-in-config';
import { SECURITY_HEADERS } from '../lambdas/web/headers';
import { layout } from '../lambdas/web/layout';
import { button, radios } from '../lambdas/web/components';
import { html } from '../lambdas/web/html';

export const DEV_SIGN_IN_PATH = '/dev-sign-in';
const CLIENT_ID = 'local-console';
const CODE_SECONDS = 300;

interface Grant {
  readonly username: string;
  readonly challenge: string;
  readonly nonce: string;
  readonly redirectUri: string;
  readonly expires: number;
}

const IDENTITIES = Object.entries(DEV_TOKENS).map(([username, claims]) => ({
  username,
  groups: claims['cognito:groups'].split(','),
  description: claims['cognito:groups'].includes('senior') ? 'a senior caseworker: also decides cases past their service standard' : 'a caseworker',
}));

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class DevSignIn {
  private readonly privateKey: KeyObject;
  private readonly jwk: Record<string, unknown>;
  private readonly grants = new Map<string, Grant>();

  /**
   * @param siteUrl where the browser reaches the site, e.g. http://localhost:3000
   * @param serverUrl where the platform's functions reach this provider (the same server)
   */
  constructor(
    private readonly siteUrl: string,
    private readonly serverUrl: string,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  }

  get issuer(): string {
    return `${this.serverUrl}${DEV_SIGN_IN_PATH}`;
  }

  /** The configuration the console's functions get, as CDK gives them Cognito's. */
  get config(): SignInConfig {
    return {
      issuer: this.issuer,
      clientId: CLIENT_ID,
      // the browser goes here; the functions call the others
      authorizeUrl: `${this.siteUrl}${DEV_SIGN_IN_PATH}/authorize`,
      logoutUrl: `${this.siteUrl}${DEV_SIGN_IN_PATH}/logout`,
      tokenUrl: `${this.issuer}/token`,
      jwksUri: `${this.issuer}/.well-known/jwks.json`,
      siteUrl: this.siteUrl,
    };
  }

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = `${req.method} ${url.pathname.slice(DEV_SIGN_IN_PATH.length)}`;
    switch (route) {
      case 'GET /authorize':
        return this.authorizePage(res, url.searchParams);
      case 'POST /authorize':
        return this.authorize(res, await this.form(req));
      case 'POST /token':
        return this.token(res, await this.form(req));
      case 'GET /.well-known/jwks.json':
        return send(res, 200, { keys: [this.jwk] });
      case 'GET /logout': {
        const back = url.searchParams.get('logout_uri');
        if (url.searchParams.get('client_id') !== CLIENT_ID || back !== `${this.siteUrl}${CONSOLE_PATHS.signedOut}`) return this.problem(res, 'The sign-out link names an app or a return address this sign-in does not know.');
        res.writeHead(302, { location: back, 'cache-control': 'no-store' }).end();
        return;
      }
      default:
        return send(res, 404, { error: { code: 'not-found', message: 'The development sign-in has no such address.' } });
    }
  }

  private async form(req: IncomingMessage): Promise<URLSearchParams> {
    const body = await readBody(req, 16 * 1024);
    return new URLSearchParams(body === 'too-large' ? '' : body.toString('utf8'));
  }

  /** What Cognito checks before it shows its sign-in page: the app, its callback and PKCE. */
  private requestProblem(params: URLSearchParams): string | undefined {
    if (params.get('client_id') !== CLIENT_ID) return 'The sign-in link names an app this sign-in does not know.';
    if (params.get('redirect_uri') !== `${this.siteUrl}${CONSOLE_PATHS.callback}`) return 'The sign-in link would send you back to an address that is not the console.';
    if (params.get('response_type') !== 'code' || params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge') || !params.get('state')) {
      return 'The sign-in link is incomplete: the console must ask for a code with a PKCE challenge and a state.';
    }
    return undefined;
  }

  private authorizePage(res: ServerResponse, params: URLSearchParams, error?: string): void {
    const problem = this.requestProblem(params);
    if (problem) return this.problem(res, problem);
    const carried = ['client_id', 'redirect_uri', 'response_type', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'scope'];
    const page = layout({
      language: 'en',
      title: 'Sign in as a development caseworker',
      path: `${DEV_SIGN_IN_PATH}/authorize`,
      frame: { name: 'Development sign-in', home: `${DEV_SIGN_IN_PATH}/authorize?${params}` },
      errors: error ? [{ field: 'username', message: error }] : [],
      main: html`<h1 class="govuk-heading-l">Sign in as a development caseworker</h1><p class="govuk-body">The local platform has no accounts or passwords. In AWS, caseworkers sign in on the user pool’s own page with a password and a code from an authenticator app.</p><form method="post" action="${DEV_SIGN_IN_PATH}/authorize" novalidate>${carried.map((name) => html`<input type="hidden" name="${name}" value="${params.get(name) ?? ''}">`)}${radios({
        id: 'username',
        label: 'Who do you want to sign in as?',
        errorPrefix: 'Error:',
        error,
        choices: IDENTITIES.map((identity) => ({ value: identity.username, text: `${identity.username}: ${identity.description}` })),
      })}${button('Sign in')}</form>`,
    });
    res.writeHead(error ? 400 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS }).end(page);
  }

  private authorize(res: ServerResponse, form: URLSearchParams): void {
    const problem = this.requestProblem(form);
    if (problem) return this.problem(res, problem);
    const username = form.get('username') ?? '';
    if (!Object.hasOwn(DEV_TOKENS, username)) return this.authorizePage(res, form, 'Choose who to sign in as');
    const code = randomBytes(24).toString('base64url');
    this.grants.set(code, { username, challenge: form.get('code_challenge')!, nonce: form.get('nonce') ?? '', redirectUri: form.get('redirect_uri')!, expires: Date.now() + CODE_SECONDS * 1000 });
    const back = new URL(form.get('redirect_uri')!);
    back.searchParams.set('code', code);
    back.searchParams.set('state', form.get('state')!);
    res.writeHead(303, { location: back.toString(), 'cache-control': 'no-store' }).end();
  }

  /** The token endpoint: a code once, to the app it was issued for, with the verifier of its challenge. */
  private token(res: ServerResponse, form: URLSearchParams): void {
    const code = form.get('code') ?? '';
    const grant = this.grants.get(code);
    this.grants.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const valid =
      grant &&
      grant.expires > Date.now() &&
      form.get('grant_type') === 'authorization_code' &&
      form.get('client_id') === CLIENT_ID &&
      form.get('redirect_uri') === grant.redirectUri &&
      createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
    if (!valid) return send(res, 400, { error: 'invalid_grant' });
    const now = Math.floor(Date.now() / 1000);
    const identity = IDENTITIES.find((candidate) => candidate.username === grant.username)!;
    const header = base64url({ alg: 'RS256', kid: this.jwk.kid, typ: 'JWT' });
    const payload = base64url({
      sub: identity.username,
      iss: this.issuer,
      aud: CLIENT_ID,
      token_use: 'id',
      'cognito:username': identity.username,
      'cognito:groups': identity.groups,
      nonce: grant.nonce,
      auth_time: now,
      iat: now,
      exp: now + 3600,
    });
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), this.privateKey).toString('base64url');
    send(res, 200, { id_token: `${header}.${payload}.${signature}`, token_type: 'Bearer', expires_in: 3600 });
  }

  private problem(res: ServerResponse, message: string): void {
    send(res, 400, { error: { code: 'invalid-request', message } });
  }
}
