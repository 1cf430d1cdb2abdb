// Signing a caseworker in through the identity provider with the authorisation code flow and PKCE
// (RFC 7636): Cognito's hosted sign-in in AWS, the local platform's development sign-in on one
// machine; both speak the same protocol, so this code runs the same in both. The ID token comes
// straight from the token endpoint and is still checked: signature, issuer, audience, expiry, nonce.
import { createHash, randomBytes } from 'node:crypto';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { caseworkerFrom, type Caseworker } from '../../domain/casework/sessions';
import { CONSOLE_PATHS, type SignInConfig } from './sign-in-config';

/** What the browser keeps (in a short-lived cookie) between leaving for the provider and coming back. */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  /** the console page to land on once signed in */
  readonly returnTo: string;
}

/** Why a sign-in did not finish, in words for the caseworker; nothing about tokens or keys. */
export class SignInFailed extends Error {
  constructor(
    readonly reason: 'expired' | 'refused' | 'not-a-caseworker' | 'provider',
    message: string,
  ) {
    super(message);
    this.name = 'SignInFailed';
  }
}

const random = () => randomBytes(32).toString('base64url');
const TIMEOUT_MS = 5000;
/** how far the token's issue time may be from now: it was issued for this exchange, just now, give or take the clocks */
const CLOCK_SKEW_SECONDS = 300;

export class OidcSignIn {
  private readonly verifier;

  constructor(private readonly config: SignInConfig) {
    // The provider's keys are fetched once per container and cached. The library's own fetcher
    // speaks only https; this one is the platform's fetch, so the local provider works as well.
    const jwksCache = new SimpleJwksCache({
      fetcher: {
        fetch: async (uri: string) => {
          const response = await fetch(uri, { signal: AbortSignal.timeout(TIMEOUT_MS) });
          if (!response.ok) throw new Error(`keys: ${response.status}`);
          return response.arrayBuffer();
        },
      },
    });
    this.verifier = JwtRsaVerifier.create({ issuer: config.issuer, audience: config.clientId, jwksUri: config.jwksUri }, { jwksCache });
  }

  get callbackUrl(): string {
    return `${this.config.siteUrl}${CONSOLE_PATHS.callback}`;
  }

  /** Where to send the browser to sign in, and what to keep until it comes back. */
  begin(returnTo: string): { url: string; pending: PendingSignIn } {
    const pending: PendingSignIn = { state: random(), nonce: random(), verifier: random(), returnTo };
    const challenge = createHash('sha256').update(pending.verifier).digest('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: this.callbackUrl,
      scope: 'openid email profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return { url: `${this.config.authorizeUrl}?${query}`, pending };
  }

  /** Exchanges the code the provider sent back for the caseworker it signed in. */
  async finish(pending: PendingSignIn | undefined, params: Readonly<Record<string, string | undefined>>): Promise<Caseworker> {
    if (params.error) throw new SignInFailed('refused', 'The sign-in service did not sign you in.');
    if (!pending || !params.state || params.state !== pending.state || !params.code) {
      throw new SignInFailed('expired', 'This sign-in took too long or was started in another window.');
    }
    let tokens: { id_token?: unknown };
    try {
      const response = await fetch(this.config.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: this.config.clientId, code: params.code, redirect_uri: this.callbackUrl, code_verifier: pending.verifier }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      // a used or expired code is refused with a 400: start again
      if (response.status === 400) throw new SignInFailed('expired', 'This sign-in link has already been used or has expired.');
      if (!response.ok) throw new SignInFailed('provider', 'The sign-in service is not answering.');
      tokens = (await response.json()) as { id_token?: unknown };
    } catch (error) {
      if (error instanceof SignInFailed) throw error;
      throw new SignInFailed('provider', 'The sign-in service is not answering.');
    }
    let claims: Record<string, unknown>;
    try {
      claims = (await this.verifier.verify(String(tokens.id_token ?? ''))) as Record<string, unknown>;
    } catch {
      throw new SignInFailed('refused', 'The sign-in service sent an answer we could not check.');
    }
    // an ID token (not an access token) for this sign-in, issued now, naming whom it signs in
    const issuedAt = Number(claims.iat);
    const username = claims['cognito:username'];
    if (claims.nonce !== pending.nonce || claims.token_use !== 'id' || !(Math.abs(issuedAt - Date.now() / 1000) <= CLOCK_SKEW_SECONDS) || typeof username !== 'string' || !username) {
      throw new SignInFailed('refused', 'The sign-in service sent an answer we could not check.');
    }
    const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].map(String) : [];
    const who = caseworkerFrom(username, groups);
    if (!who) throw new SignInFailed('not-a-caseworker', 'Your account is not in the caseworkers group.');
    return who;
  }

  /** Where to send the browser so the provider forgets the sign-in too, then back to the console. */
  signOutUrl(): string {
    const query = new URLSearchParams({ client_id: this.config.clientId, logout_uri: `${this.config.siteUrl}${CONSOLE_PATHS.signedOut}` });
    return `${this.config.logoutUrl}?${query}`;
  }
}
