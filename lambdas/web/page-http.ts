// The HTTP edge of every page function: reads the request (path, query, form, language), writes
// the response with the security headers every page carries, remembers the language for the
// session, refuses forms sent from other sites, and turns any failure into a page a person can
// act on (never a stack trace). The JSON API's edge is lambdas/http/http.ts.
//
// What a request names (query and form fields, path parameters) is read into records that hold
// only those names: a field called `constructor` or `__proto__` is a field like any other, and a
// lookup by a name the client did not send finds nothing, whatever the name.
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Language } from '../domain/shared/language';
import { LANGUAGE_COOKIE, cookieValue, pageLanguage } from './page-language';
import { CaseConflict, CaseNotFound, PublicError } from '../domain/shared/errors';
import { logger } from '../adapters/aws/logger';
import { header } from '../http/http';
import { html } from './html';
import { layout, type PageContent } from './layout';
import { WORDS } from './words';
import { SECURITY_HEADERS, contentSecurityPolicy } from './headers';

/** Forms carry at most a few thousand characters; percent-encoding can triple their size. */
export const MAX_FORM_BYTES = 64 * 1024;

export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, contentSecurityPolicy } from './headers';


export interface PageRequest {
  readonly event: APIGatewayProxyEvent;
  readonly method: string;
  /** the path as asked for, e.g. /track/APP-7K3M-9Q2X-4FJT */
  readonly path: string;
  /** these three hold only the names the client sent (see `byName`) */
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** the fields of a posted form (application/x-www-form-urlencoded) */
  readonly form: Readonly<Record<string, string>>;
  readonly language: Language;
}

/**
 * Something other than a page at a page's address (the open data beside /performance, say): the
 * body as it is, with its own content type. It gets the security headers as a page does; `headers`
 * may add others (caching, say) but never replace those.
 */
export interface OtherRepresentation {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `cookies` are Set-Cookie values the response carries (a session, say). */
export type PageResult = ({ readonly status: number; readonly page: Omit<PageContent, 'language'> } | { readonly redirect: string } | OtherRepresentation) & { readonly cookies?: readonly string[] };

export interface PageOptions {
  /** a part of the site written in one language only (the caseworker console) */
  readonly language?: Language;
  /**
   * other origins a form may end up at: browsers hold the redirects that follow a form to the
   * policy too (the console's sign-out goes on to the sign-in service to end its session there)
   */
  readonly formActions?: readonly string[];
  /**
   * the site's own origin (https://permits.example.gov.uk; locally http://localhost:3000): a form
   * posted with an Origin that names another is refused. Without it, only Sec-Fetch-Site says
   * where a form came from (see `fromAnotherSite`)
   */
  readonly siteOrigin?: string;
}

export type PageFunction = (request: PageRequest) => Promise<PageResult>;

export const cookie = (event: APIGatewayProxyEvent, name: string): string | undefined => cookieValue(header(event, 'cookie'), name);

/**
 * Names and their values as a record with no prototype: it has the names given and nothing else,
 * so `record[name]` is what was sent or undefined, for `toString` and `__proto__` as for any name.
 * (API Gateway's event objects are plain JSON objects, which inherit Object's methods.) A name
 * given twice keeps its last value.
 */
export function byName(entries: Iterable<readonly [string, string | undefined]>): Record<string, string> {
  const record: Record<string, string> = Object.create(null);
  for (const [name, value] of entries) if (value !== undefined) record[name] = value;
  return record;
}

function formOf(event: APIGatewayProxyEvent): Record<string, string> | 'too-large' {
  if (!event.body) return byName([]);
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) return 'too-large';
  return byName(new URLSearchParams(text));
}

/** An origin as browsers compare them (scheme and host in lower case, no default port); undefined when it is not one. */
function originOf(value: string): string | undefined {
  try {
    const { origin } = new URL(value.trim());
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether a browser posted this from a page of another site: Sec-Fetch-Site says anything but
 * same-origin (or none: the person's own doing, such as a bookmark), or the Origin names another
 * site than `siteOrigin`. Both compared without regard to case. `Origin: null` says nothing:
 * browsers send it for the site's own forms, whose pages ask for `Referrer-Policy: no-referrer`.
 * A browser that sends neither header is judged by what the page asks besides (the console's form token).
 */
export function fromAnotherSite(event: APIGatewayProxyEvent, siteOrigin?: string): boolean {
  const site = header(event, 'sec-fetch-site')?.trim().toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = header(event, 'origin')?.trim();
  if (!origin || origin.toLowerCase() === 'null' || siteOrigin === undefined) return false;
  return originOf(origin) !== originOf(siteOrigin);
}

const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

function respond(status: number, language: Language, body: string, extra: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-language': language, vary: 'Cookie, Accept-Language', ...SECURITY_HEADERS, ...extra },
    body,
  };
}

// The same in every language, so without the language's headers or cookie.
function representation(result: OtherRepresentation): APIGatewayProxyResult {
  return { statusCode: result.status, headers: { 'cache-control': 'no-store', ...result.headers, 'content-type': result.contentType, ...SECURITY_HEADERS }, body: result.body };
}

const simplePage = (language: Language, path: string, title: string, body: string, link?: { href: string; text: string }) =>
  layout({
    language,
    title,
    path,
    main: html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${body}</p>${link ? html`<p class="govuk-body"><a class="govuk-link" href="${link.href}">${link.text}</a></p>` : html``}`,
  });

/** Several cookies need several Set-Cookie headers, which only the multi-value headers can carry. */
function withCookies(response: APIGatewayProxyResult, cookies: readonly string[] = []): APIGatewayProxyResult {
  if (cookies.length === 0) return response;
  const { 'set-cookie': single, ...headers } = response.headers as Record<string, string>;
  return { ...response, headers, multiValueHeaders: { 'set-cookie': [...(single ? [single] : []), ...cookies] } };
}

export function pageHandler(fn: PageFunction, options: PageOptions = {}): (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    logger.appendKeys({ apiRequestId: event.requestContext?.requestId, route: event.resource });
    const query = byName(Object.entries(event.queryStringParameters ?? {}));
    const chosen = pageLanguage({ lang: query.lang, cookie: header(event, 'cookie'), acceptLanguage: header(event, 'accept-language') });
    const { asked, remembered } = chosen;
    const language = options.language ?? chosen.language;
    // Asked for by the switch: remembered until the browser closes.
    const extra: Record<string, string> = !options.language && asked && asked !== remembered ? { 'set-cookie': `${LANGUAGE_COOKIE}=${asked}; Path=/; Secure; HttpOnly; SameSite=Lax` } : {};
    if (options.formActions?.length) extra['content-security-policy'] = contentSecurityPolicy(options.formActions);
    const path = event.path || '/';
    const words = WORDS[language];
    try {
      if (event.httpMethod === 'POST' && fromAnotherSite(event, options.siteOrigin)) {
        return respond(403, language, simplePage(language, '/', words.crossSite.title, words.crossSite.body), extra);
      }
      const form = event.httpMethod === 'POST' ? formOf(event) : {};
      if (form === 'too-large') return respond(413, language, simplePage(language, '/', words.problem.title, words.problem.tooLarge), extra);
      const params = byName(Object.entries(event.pathParameters ?? {}).map(([key, value]) => [key, decode(value ?? '')]));
      const result = await fn({ event, method: event.httpMethod, path, params, query, form, language });
      const response =
        'redirect' in result
          ? { statusCode: 303, headers: { location: result.redirect, 'cache-control': 'no-store', ...SECURITY_HEADERS, ...extra }, body: '' }
          : 'page' in result
            ? respond(result.status, language, layout({ ...result.page, language }), extra)
            : representation(result);
      return withCookies(response, result.cookies);
    } catch (error) {
      if (error instanceof CaseNotFound || (error instanceof PublicError && error.code === 'not-found')) {
        // an API client at a wrong address gets the API's answer
        if (!/text\/html/.test(header(event, 'accept') ?? '')) {
          return { statusCode: 404, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS }, body: JSON.stringify({ error: { code: 'not-found', message: 'There is nothing at this address. See the README for the API.' } }) };
        }
        return respond(404, language, simplePage(language, '/', words.pageNotFound.title, words.pageNotFound.body, { href: '/', text: words.pageNotFound.home }), extra);
      }
      if (error instanceof CaseConflict) {
        return respond(409, language, simplePage(language, '/', words.problem.couldNot, words.problem.conflict, { href: '/', text: words.pageNotFound.home }), extra);
      }
      // A rule the request broke (a conflict, say): its message says what to do, in English, as the API's does.
      if (error instanceof PublicError && error.status < 500) {
        return respond(error.status, language, simplePage(language, '/', words.problem.couldNot, error.message, { href: '/', text: words.pageNotFound.home }), extra);
      }
      // Only the error's name: messages can carry values from the request.
      logger.error('unhandled error', { error: (error as Error)?.name });
      return respond(500, language, simplePage(language, '/', words.problem.title, words.problem.body), extra);
    } finally {
      logger.removeKeys(['apiRequestId', 'route']);
    }
  };
}
