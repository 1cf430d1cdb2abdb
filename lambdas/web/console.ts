// The caseworker console's edge, over every console page: the session cookie (HttpOnly, Secure,
// SameSite=Lax; only a hash of it is stored), the idle timeout, the token every form carries
// against cross-site request forgery, and the console's header (who is signed in, sign out, the
// queues). A page behind it runs only for a signed-in caseworker and only with a form it issued,
// posted from the console's own site (its Origin and Sec-Fetch-Site, checked by the page layer).
import type { Caseworker, Session } from '../domain/casework/sessions';
import { carriesToken, idleDeadlineAfter, isActive, sessionId } from '../domain/casework/sessions';
import type { Clock, SessionStore } from '../domain/ports';
import { QUEUES, type Queue } from '../domain/cases/case';
import { CONSOLE_PATHS, type SignInConfig } from '../adapters/aws/sign-in-config';
import type { Journey } from '../domain/shared/reference';
import { button, textInput } from './components';
import { html, type Html } from './html';
import type { Frame } from './layout';
import { cookie, pageHandler, type PageRequest, type PageResult } from './page-http';

/** `__Host-`: only ever set by this site over HTTPS, for the whole site, never for another domain. */
export const SESSION_COOKIE = '__Host-caseworker-session';
/** what a sign-in under way keeps (state, nonce, PKCE verifier) until the provider sends the browser back */
export const SIGN_IN_COOKIE = '__Host-caseworker-sign-in';
/** the name of the hidden field every console form carries */
export const CSRF_FIELD = 'csrf';

// Lax, not Strict: the browser comes back from the sign-in service by a cross-site redirect, and a
// caseworker follows links to cases from elsewhere. Every change is a POST, which Lax does not send
// cross-site, and carries the form token besides.
const COOKIE_ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Lax';

/** A cookie for the browser session: gone when the browser closes, and the server ends it sooner. */
export const setCookie = (name: string, value: string, maxAgeSeconds?: number): string =>
  `${name}=${value}; ${COOKIE_ATTRIBUTES}${maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`}`;
export const clearCookie = (name: string): string => `${name}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`;

export const QUEUE_NAMES: Readonly<Record<Queue, string>> = {
  'awaiting-decision': 'Awaiting decision',
  'senior-review': 'Senior review',
  'on-hold': 'On hold',
  'renewal-due': 'Renewal due',
};

export const JOURNEY_NAMES: Readonly<Record<Journey, string>> = { application: 'Application', renewal: 'Renewal', appeal: 'Appeal' };

export const CONSOLE_NAME = 'Caseworker console';

/** The box to go to a case by its reference: posted, so what is typed never goes into an address. */
export function findCaseForm(session: Session, options: { readonly label: string; readonly value?: string; readonly error?: string; readonly inline?: boolean }): Html {
  return html`<form method="post" action="/caseworker/find"${options.inline ? html` class="app-find"` : html``} novalidate>${csrfField(session)}${textInput({
    id: 'reference',
    label: options.label,
    value: options.value,
    error: options.error,
    errorPrefix: 'Error:',
    width: '20',
    spellcheck: false,
    autocomplete: 'off',
  })}${button('Find', { secondary: options.inline })}</form>`;
}

export interface ConsoleRequest extends PageRequest {
  readonly caseworker: Caseworker;
  readonly session: Session;
  /** the header and navigation of every console page; `queue` marks the queue being shown */
  frame(queue?: Queue): Frame;
  /** the hidden field that proves a form came from this session */
  readonly csrfField: Html;
}

export type ConsolePage = (request: ConsoleRequest) => Promise<PageResult>;

export interface ConsoleDeps {
  readonly sessions: SessionStore;
  readonly clock: Clock;
  /** where caseworkers sign in and out (every page has the sign-out form, which ends there), and the site's own address */
  readonly signIn: Pick<SignInConfig, 'logoutUrl' | 'siteUrl'>;
}

/**
 * The page options of every console page: English; forms that may end at the sign-in service;
 * and the site's own origin, which every form must be posted from. The console knows it from its
 * sign-in configuration: in AWS the CloudFront distribution's address or the agency's own domain
 * (lib/web.ts's siteUrl, which CDK writes into CASEWORKER_SIGN_IN); locally http://localhost:<port>.
 */
export const consolePageOptions = (signIn: Pick<SignInConfig, 'logoutUrl' | 'siteUrl'>) =>
  ({ language: 'en', formActions: [new URL(signIn.logoutUrl).origin], siteOrigin: new URL(signIn.siteUrl).origin }) as const;

/** The session behind a request's cookie, if it is still active. */
export async function activeSession(deps: ConsoleDeps, request: Pick<PageRequest, 'event'>, now: Date): Promise<Session | undefined> {
  const token = cookie(request.event, SESSION_COOKIE);
  if (!token) return undefined;
  const session = await deps.sessions.get(sessionId(token));
  return session && isActive(session, now) ? session : undefined;
}

export const csrfField = (session: Session): Html => html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrf}">`;

function account(session: Session): Html {
  const role = session.caseworker.senior ? 'senior caseworker' : 'caseworker';
  return html`<div class="app-account"><p class="govuk-body-s app-account__name">Signed in as <strong>${session.caseworker.id}</strong> (${role})</p><form method="post" action="/caseworker/sign-out" novalidate>${csrfField(session)}<button type="submit" class="govuk-button govuk-button--secondary app-account__sign-out" data-module="govuk-button">Sign out</button></form></div>`;
}

function navigation(current?: Queue): Html {
  return html`<section aria-label="Queues" class="govuk-service-navigation" data-module="govuk-service-navigation"><div class="govuk-width-container"><div class="govuk-service-navigation__container"><nav aria-label="Queues" class="govuk-service-navigation__wrapper"><ul class="govuk-service-navigation__list">${QUEUES.map((queue) =>
    queue === current
      ? html`<li class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="/caseworker/queues/${queue}" aria-current="page"><strong class="govuk-service-navigation__active-fallback">${QUEUE_NAMES[queue]}</strong></a></li>`
      : html`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/caseworker/queues/${queue}">${QUEUE_NAMES[queue]}</a></li>`,
  )}</ul></nav></div></div></section>`;
}

export function consoleFrame(session: Session | undefined, queue?: Queue): Frame {
  return { name: CONSOLE_NAME, home: CONSOLE_PATHS.home, wide: true, ...(session ? { account: account(session), navigation: navigation(queue) } : {}) };
}


const pathWithQuery = (request: PageRequest): string => {
  const query = new URLSearchParams(request.query as Record<string, string>).toString();
  return query ? `${request.path}?${query}` : request.path;
};

/**
 * A console page: runs `fn` only for an active session (a page asked for without one goes to
 * sign in, and comes back after), and only for a form that carries the session's token.
 */
export function consoleHandler(deps: ConsoleDeps, fn: ConsolePage) {
  return pageHandler(
    async (request) => {
      const now = deps.clock();
      const session = await activeSession(deps, request, now);
      const hadCookie = Boolean(cookie(request.event, SESSION_COOKIE));
      if (!session) {
        const cookies = hadCookie ? [clearCookie(SESSION_COOKIE)] : [];
        if (request.method === 'GET') return { redirect: `${CONSOLE_PATHS.signIn}?return=${encodeURIComponent(pathWithQuery(request))}`, cookies };
        return {
          status: 401,
          cookies,
          page: {
            title: 'You have been signed out',
            path: request.path,
            frame: consoleFrame(undefined),
            main: html`<h1 class="govuk-heading-l">You have been signed out</h1><p class="govuk-body">You were signed out because you had not used the console for a while, or you signed out in another window. Nothing you were sending has been saved, and the case has not changed.</p><p class="govuk-body"><a class="govuk-link" href="${CONSOLE_PATHS.signIn}?return=${encodeURIComponent(request.path)}">Sign in again</a></p>`,
          },
        };
      }
      if (request.method === 'POST' && !carriesToken(session, request.form[CSRF_FIELD])) {
        return {
          status: 403,
          page: {
            title: 'This form could not be accepted',
            path: request.path,
            frame: consoleFrame(session),
            main: html`<h1 class="govuk-heading-l">This form could not be accepted</h1><p class="govuk-body">It did not come from a page of this console in your session, so nothing has been changed.</p><p class="govuk-body">Go back to the page, reload it, and try again.</p><p class="govuk-body"><a class="govuk-link" href="${CONSOLE_PATHS.home}">Go to your queues</a></p>`,
          },
        };
      }
      const idleUntil = idleDeadlineAfter(session, now);
      if (idleUntil) await deps.sessions.touch(session.id, idleUntil);
      return fn({ ...request, caseworker: session.caseworker, session, frame: (queue) => consoleFrame(session, queue), csrfField: csrfField(session) });
    },
    consolePageOptions(deps.signIn),
  );
}
