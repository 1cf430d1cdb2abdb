// The console's sign-in and sign-out: off to the identity provider with a fresh state, nonce and
// PKCE verifier (kept in a short-lived cookie), back with a code exchanged for the caseworker it
// signed in, and a session made for them; sign-out ends the session here and at the provider.
import { clock, sessionStore, signInConfig } from '../../adapters/aws/deps';
import { OidcSignIn } from '../../adapters/aws/oidc-sign-in';
import { SignInFailed, type PendingSignIn } from '../../adapters/aws/oidc-sign-in';
import { CONSOLE_PATHS } from '../../adapters/aws/sign-in-config';
import { html } from '../../web/html';
import { cookie, pageHandler, type PageResult } from '../../web/page-http';
import { CSRF_FIELD, SESSION_COOKIE, SIGN_IN_COOKIE, activeSession, clearCookie, consoleFrame, consolePageOptions, setCookie } from '../../web/console';
import { carriesToken, newSession, sessionId } from '../../domain/casework/sessions';

const sessions = sessionStore();
const config = signInConfig();
const provider = new OidcSignIn(config);
const deps = { sessions, clock, signIn: config };

/** Long enough to type a password and a code from an authenticator app. */
const SIGN_IN_MINUTES = 10;

/** Only a console page of this site: never somewhere else a crafted link would send the caseworker. */
function returnPath(value: string | undefined): string {
  // console path segments of letters, digits and hyphens (no dots, no slashes doubled), and a plain query
  // and not the sign-in's own pages, which have nothing to show a caseworker who has just signed in
  const plain = value && /^\/caseworker(?:\/[A-Za-z0-9-]+)*\/?(?:\?[A-Za-z0-9=&%._+-]*)?$/.test(value);
  const signingInOrOut = value && /^\/caseworker\/(?:sign-in|sign-out|callback|signed-out)\b/.test(value);
  return plain && !signingInOrOut ? value : CONSOLE_PATHS.home;
}

function readPending(value: string | undefined): PendingSignIn | undefined {
  if (!value) return undefined;
  try {
    const pending = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as PendingSignIn;
    return typeof pending.state === 'string' && typeof pending.nonce === 'string' && typeof pending.verifier === 'string' ? { ...pending, returnTo: returnPath(pending.returnTo) } : undefined;
  } catch {
    return undefined;
  }
}

function notSignedIn(path: string, title: string, body: string, status = 400): PageResult {
  return {
    status,
    cookies: [clearCookie(SIGN_IN_COOKIE)],
    page: {
      title,
      path,
      frame: consoleFrame(undefined),
      main: html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${body}</p><p class="govuk-body"><a class="govuk-link" href="${CONSOLE_PATHS.signIn}">Try signing in again</a></p>`,
    },
  };
}

const FAILURES: Record<SignInFailed['reason'], { title: string; advice: string; status: number }> = {
  expired: { title: 'Your sign-in has expired', advice: 'Sign-ins last 10 minutes and work in the window they started in.', status: 400 },
  refused: { title: 'You could not be signed in', advice: 'If this keeps happening, tell your service desk the time it happened.', status: 403 },
  'not-a-caseworker': { title: 'You do not have access to the console', advice: 'Ask your administrator to add your account to the caseworkers group, then sign in again.', status: 403 },
  provider: { title: 'Sorry, signing in is not working just now', advice: 'Try again in a few minutes.', status: 503 },
};

export const handler = pageHandler(
  async (request) => {
    const now = clock();
    switch (request.path.replace(/\/$/, '')) {
      case CONSOLE_PATHS.signIn: {
        // already signed in: straight on
        if (await activeSession(deps, request, now)) return { redirect: returnPath(request.query.return) };
        const { url, pending } = provider.begin(returnPath(request.query.return));
        return { redirect: url, cookies: [setCookie(SIGN_IN_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), SIGN_IN_MINUTES * 60)] };
      }
      case CONSOLE_PATHS.callback: {
        const pending = readPending(cookie(request.event, SIGN_IN_COOKIE));
        try {
          const caseworker = await provider.finish(pending, request.query);
          const { token, session } = newSession(caseworker, now);
          await sessions.create(session);
          // a session made at sign-in, never one carried over from before it (session fixation)
          const before = cookie(request.event, SESSION_COOKIE);
          if (before) await sessions.end(sessionId(before));
          return { redirect: pending!.returnTo, cookies: [clearCookie(SIGN_IN_COOKIE), setCookie(SESSION_COOKIE, token)] };
        } catch (error) {
          if (!(error instanceof SignInFailed)) throw error;
          const failure = FAILURES[error.reason];
          return notSignedIn(request.path, failure.title, `${error.message} ${failure.advice}`, failure.status);
        }
      }
      case '/caseworker/sign-out': {
        const token = cookie(request.event, SESSION_COOKIE);
        const session = token ? await sessions.get(sessionId(token)) : undefined;
        // a sign-out sent from another site is refused: it would be a nuisance, not a harm, but it is not the caseworker's
        if (session && !carriesToken(session, request.form[CSRF_FIELD])) {
          return notSignedIn(request.path, 'You have not been signed out', 'The sign-out did not come from a page of this console. Use the Sign out button at the top of any console page.', 403);
        }
        if (session) await sessions.end(session.id);
        return { redirect: provider.signOutUrl(), cookies: [clearCookie(SESSION_COOKIE)] };
      }
      case CONSOLE_PATHS.signedOut:
        // only the sign-out form ends a session: a link to this page from anywhere cannot
        if (await activeSession(deps, request, now)) return { redirect: CONSOLE_PATHS.home };
        return {
          status: 200,
          page: {
            title: 'You have signed out',
            path: request.path,
            frame: consoleFrame(undefined),
            main: html`<h1 class="govuk-heading-l">You have signed out</h1><p class="govuk-body">You have signed out of the caseworker console. Close the browser if others use this computer.</p><p class="govuk-body"><a class="govuk-link" href="${CONSOLE_PATHS.signIn}">Sign in again</a></p>`,
          },
        };
      default:
        return notSignedIn(request.path, 'Page not found', 'There is no sign-in page at this address.', 404);
    }
  },
  consolePageOptions(config),
);
