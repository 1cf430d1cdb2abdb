// The local API Gateway: turns HTTP requests into the same API Gateway proxy events, from the
// same route table CDK deploys (the API's routes and the pages'), and calls the real handlers. Caseworker routes need a
// development token, as API Gateway's Cognito authoriser would need a real one.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HTTP_ROUTES, type HttpRoute as Route } from '../lambdas/functions';
import { DEV_TOKENS } from './dev-tokens';
import { rateLimitedMessage, type RateLimiter } from '../lambdas/http/rate-limits';
import { pageLanguage } from '../lambdas/web/page-language';
import { SECURITY_HEADERS } from '../lambdas/web/headers';
import { rateLimitedPage } from '../lambdas/web/rate-limited-page';

const COMPRESS_FROM_BYTES = 1024;

/** API Gateway's own limit is 10 MB; locally we stop reading well before a handler would. */
const TRANSPORT_LIMIT_BYTES = 1024 * 1024;

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly params: string[];
}

const compiled: CompiledRoute[] = HTTP_ROUTES.map((route) => {
  const params: string[] = [];
  const pattern = new RegExp(
    `^${route.path.replace(/\{(\w+)(\+?)\}/g, (_whole, name: string, greedy: string) => {
      params.push(name);
      // {name+} is API Gateway's greedy parameter: the rest of the path
      return greedy ? '(.+)' : '([^/]+)';
    })}/?$`,
  );
  return { route, pattern, params };
})
  // as API Gateway matches: a greedy path only when nothing more specific does
  .sort((a, b) => Number(a.route.path.includes('+}')) - Number(b.route.path.includes('+}')));

/** [name, value] pairs of Node's raw headers (name, value, name, value, …), names as the client wrote them. */
function* pairs(raw: readonly string[]): Generator<[string, string]> {
  for (let i = 0; i < raw.length; i += 2) yield [raw[i], raw[i + 1]];
}

/**
 * API Gateway's two views of repeated names: the last value of each (`headers`,
 * `queryStringParameters`) and all of them in order (the multi-value ones). Object.fromEntries
 * defines each name as an own property, `__proto__` included, as JSON.parse does.
 */
function byName(entries: Iterable<[string, string]>): { single: Record<string, string>; multi: Record<string, string[]> } {
  const values = new Map<string, string[]>();
  for (const [name, value] of entries) {
    const seen = values.get(name);
    if (seen) seen.push(value);
    else values.set(name, [value]);
  }
  return {
    single: Object.fromEntries([...values].map(([name, all]) => [name, all[all.length - 1]])),
    multi: Object.fromEntries(values),
  };
}

export type Invoke = (entry: string, event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

const problem = (code: string, message: string) => ({ error: { code, message } });

export function readBody(req: IncomingMessage, limit = TRANSPORT_LIMIT_BYTES): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve('too-large');
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function serveApi(req: IncomingMessage, res: ServerResponse, invoke: Invoke, limiter?: RateLimiter, pages?: { readonly stylesheet: string }): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  // before the route table, as WAF is in front of API Gateway: the API's JSON 429, and a page in the citizen's language at a page's address
  const verdict = limiter?.take(req.socket.remoteAddress ?? 'unknown', { method: req.method, path: url.pathname });
  if (verdict && !verdict.allowed) {
    const retryAfter = { 'retry-after': String(verdict.retryAfterSeconds) };
    if (pages && compiled.some((c) => c.route.responds === 'html' && !c.route.path.includes('+}') && c.pattern.test(url.pathname))) {
      const { language } = pageLanguage({ lang: url.searchParams.get('lang'), cookie: req.headers.cookie, acceptLanguage: req.headers['accept-language'] });
      const page = rateLimitedPage(language, Math.ceil(verdict.retryAfterSeconds / 60), pages.stylesheet);
      return send(res, 429, page, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-language': language, ...retryAfter });
    }
    return send(res, 429, problem('rate-limited', rateLimitedMessage(verdict.limit, verdict.retryAfterSeconds)), retryAfter);
  }
  let path: string;
  try {
    path = decodeURI(url.pathname);
  } catch {
    path = url.pathname;
  }
  const candidates = compiled.map((c) => ({ c, match: c.pattern.exec(url.pathname) })).filter((x) => x.match);
  if (candidates.length === 0) return send(res, 404, problem('not-found', `There is nothing at ${path.slice(0, 100)}. See the README for the API.`));
  const found = candidates.find((x) => x.c.route.method === req.method);
  if (!found) {
    // only the catch-all page matched: there is nothing here for any method, as API Gateway says
    if (candidates.every((x) => x.c.route.path.includes('+}'))) return send(res, 404, problem('not-found', `There is nothing at ${path.slice(0, 100)}. See the README for the API.`));
    const allowed = candidates.map((x) => x.c.route.method).join(', ');
    return send(res, 405, problem('method-not-allowed', `Use ${allowed} for this address.`), { allow: allowed });
  }
  const { route, params } = found.c;

  let claims: Record<string, string> | undefined;
  // as the Cognito authoriser guards only the token-bearing routes: the console's pages check their own session cookie
  if (route.signedInBy === 'token') {
    const token = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    claims = token && Object.hasOwn(DEV_TOKENS, token) ? { ...DEV_TOKENS[token], sub: token } : undefined;
    if (!claims) {
      return send(res, 401, problem('unauthorised', 'Sign in as a caseworker to use this: send Authorization: Bearer dev-caseworker (or dev-senior) locally.'));
    }
  }

  const body = await readBody(req);
  if (body === 'too-large') return send(res, 413, problem('payload-too-large', 'The request body is too large. Send less information.'), { connection: 'close' });

  // Collected by name in Maps (a name is the client's: `constructor` or `__proto__` is a name like
  // any other), then made into plain objects with those names as their own keys, as the Lambda
  // runtime's JSON.parse makes API Gateway's event: the handlers see here what they see in AWS.
  const { single: headers, multi: multiValueHeaders } = byName(pairs(req.rawHeaders));
  const { single: query, multi: multiQuery } = byName(url.searchParams);
  const pathParameters = Object.fromEntries(params.map((name, i) => [name, found.match![i + 1]]));
  const text = body.toString('utf8');
  const binary = body.length > 0 && Buffer.from(text, 'utf8').length !== body.length;
  const event = {
    resource: route.path,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: params.length ? pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      httpMethod: route.method,
      path: url.pathname,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.path,
      stage: 'local',
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      authorizer: claims ? { claims } : undefined,
    },
    body: body.length ? (binary ? body.toString('base64') : text) : null,
    isBase64Encoded: binary,
  } as unknown as APIGatewayProxyEvent;

  try {
    const result = await invoke(route.fn.entry, event);
    const outHeaders: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k] = String(v);
    // as API Gateway merges them: several values of one header (Set-Cookie) from multiValueHeaders
    for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) outHeaders[k] = v.map(String);
    const body = result.body ?? '';
    // As API Gateway's minimum compression size (lib/api.ts): 1 KB and up, gzipped when accepted.
    if (Buffer.byteLength(body) >= COMPRESS_FROM_BYTES && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      return send(res, result.statusCode, gzipSync(body), { ...outHeaders, 'content-encoding': 'gzip', vary: [outHeaders.vary, 'Accept-Encoding'].filter(Boolean).join(', ') });
    }
    send(res, result.statusCode, body, outHeaders);
  } catch {
    // API Gateway answers a crashed Lambda with a 502; the handlers map their own errors, so
    // this only happens if a handler fails to load.
    send(res, 502, problem('internal', 'Something went wrong on our side. Nothing you sent has been lost. Try again in a few minutes.'));
  }
}
