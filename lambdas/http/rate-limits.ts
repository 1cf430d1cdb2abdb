// How often one client may send what a guesser wants to send: a case's reference, or a reference
// and a date of birth. References cannot be guessed (55 random bits), and the date of birth is a
// second factor for whoever knows a reference; these limits keep both so. The routes each limit
// covers come from the route table (lambdas/functions.ts: a `{reference}` in the path, or what a
// route says it `takes`), so a new route is limited as soon as it is added. AWS WAF enforces them
// in both web ACLs (lib/firewall.ts, lib/edge-firewall.ts); the local server enforces the same
// numbers on the same paths (local/api-server.ts).
import { HTTP_ROUTES, type HttpRoute, type Takes } from '../functions';

export interface RateLimit {
  /** requests per client (IP address) per window, to paths starting with any of pathPrefixes */
  readonly requests: number;
  /** WAF's rate-based rules count over 60, 120, 300 or 600 seconds */
  readonly windowSeconds: number;
  /** paths as the citizen writes them (the regional web ACL puts the API stage in front), after URL decoding */
  readonly pathPrefixes: readonly string[];
  /** only requests with this method count; every method when absent */
  readonly method?: 'GET' | 'POST';
  /** what the 429 says first, before when to try again */
  readonly tooMany?: string;
}

/** A limit the platform deploys: its name is the WAF rule's and its metric's. */
export interface PlatformRateLimit extends RateLimit {
  readonly name: string;
  readonly tooMany: string;
}

/** What a request to a route carries that a guesser wants (a `{reference}` in the path says 'reference'). */
export const takenBy = (route: Pick<HttpRoute, 'path' | 'takes'>): ReadonlySet<Takes> =>
  new Set<Takes>([...(route.path.includes('{reference}') ? (['reference'] as const) : []), ...(route.takes ?? [])]);

/** The public routes whose requests carry a reference or a date of birth. */
export const LOOKUP_ROUTES: readonly HttpRoute[] = HTTP_ROUTES.filter((route) => route.access === 'public' && takenBy(route).size > 0);

/**
 * Where a page answers among those routes: a connection over a limit gets a page there, in the
 * citizen's language, and the API's JSON elsewhere (local/api-server.ts, lib/firewall.ts). No API
 * route starts with one of these.
 */
export const PAGE_PATH_PREFIXES: readonly string[] = prefixesOf(LOOKUP_ROUTES.filter((route) => route.responds === 'html'));
const pageShadowsApi = HTTP_ROUTES.filter((route) => route.responds !== 'html' && PAGE_PATH_PREFIXES.some((prefix) => route.path.startsWith(prefix)));
if (pageShadowsApi.length > 0) throw new Error(`A rate-limited page's path prefix also covers ${pageShadowsApi.map((route) => route.path).join(', ')}: a client over the limit there would get a page, not JSON`);

/** The public POSTs that check a date of birth against the case a reference names. */
export const DATE_OF_BIRTH_ROUTES: readonly HttpRoute[] = LOOKUP_ROUTES.filter((route) => route.method === 'POST' && takenBy(route).has('reference') && takenBy(route).has('date-of-birth'));

/**
 * The fewest path prefixes that cover these routes: each path up to its first parameter (all of it
 * when it has none), leaving out a prefix that a shorter one covers. WAF matches a path's start,
 * not a pattern, so a prefix may cover a little more than the routes (e.g. an address that does
 * not exist): never less.
 */
export function prefixesOf(routes: readonly Pick<HttpRoute, 'path'>[]): string[] {
  const prefixes = [...new Set(routes.map((route) => route.path.split('{')[0]))].sort();
  if (prefixes.includes('/')) throw new Error(`A rate limit would cover every address: ${routes.map((route) => route.path).join(', ')}`);
  return prefixes.filter((prefix) => !prefixes.some((other) => other !== prefix && prefix.startsWith(other)));
}

/**
 * Everything that carries a reference or a date of birth: status lookups (JSON and pages),
 * applications, renewals, appeals, answers. 300 in 5 minutes is a request a second, sustained:
 * far above what a citizen, or an advice centre with many citizens behind one address, sends,
 * and it makes guessing a 55-bit reference hopeless.
 */
export const PUBLIC_LOOKUP_LIMIT: PlatformRateLimit = {
  name: 'PublicLookupRate',
  requests: 300,
  windowSeconds: 300,
  pathPrefixes: prefixesOf(LOOKUP_ROUTES),
  tooMany: 'Too many requests from your connection.',
};

/**
 * Sending a date of birth to be checked against a case (renewing, appealing, answering a request
 * for information; the JSON API and the pages). Dates of birth are counted per case, whoever sends
 * them from wherever (lambdas/domain/citizens/identity.ts: after 5 wrong in 30 days the case's
 * protected actions pause for a day and its citizen is texted), so a guesser is stopped by the case
 * long before this limit. It was 20 in 5 minutes, and an outside review showed both ways that
 * failed: one guesser behind a shared address (a library, an advice centre, a mobile network's NAT)
 * locked everyone there out of every case, while a hundred addresses could still try a known birth
 * year on one case in minutes. It stays, loosely, to bound how much of the date-of-birth routes'
 * shared throttle (lib/api.ts) one address can take: 60 in 5 minutes is a check every 5 seconds,
 * sustained, far beyond a citizen, or a household or advice centre behind one address.
 */
export const DATE_OF_BIRTH_LIMIT: PlatformRateLimit = {
  name: 'DateOfBirthCheckRate',
  requests: 60,
  windowSeconds: 300,
  method: 'POST',
  pathPrefixes: prefixesOf(DATE_OF_BIRTH_ROUTES),
  tooMany: 'Too many tries with a date of birth from your connection.',
};

/** Every limit, in the order WAF evaluates them: a request one limit refuses is not counted by the next. */
export const RATE_LIMITS: readonly PlatformRateLimit[] = [PUBLIC_LOOKUP_LIMIT, DATE_OF_BIRTH_LIMIT];

/** What the 429 says, given how long to wait: the local server's and (with the whole window) WAF's. */
export function rateLimitedMessage(limit: RateLimit, waitSeconds: number): string {
  const minutes = Math.ceil(waitSeconds / 60);
  return `${limit.tooMany ?? PUBLIC_LOOKUP_LIMIT.tooMany} Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** The path as WAF's URL_DECODE sees it; a broken escape is left as it is. */
function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Whether the limit counts this request. */
export const counts = (limit: RateLimit, request: { readonly method?: string; readonly path: string }): boolean =>
  (!limit.method || request.method === limit.method) && limit.pathPrefixes.some((prefix) => decoded(request.path).startsWith(prefix));

export type Verdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number; readonly limit: RateLimit };

/** Fixed-window counters per client and limit, as WAF's rate-based rules count. */
export class RateLimiter {
  readonly limits: readonly RateLimit[];
  private readonly windows: Map<string, { start: number; count: number }>[];

  constructor(
    limits: RateLimit | readonly RateLimit[] = RATE_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {
    this.limits = Array.isArray(limits) ? limits : [limits as RateLimit];
    this.windows = this.limits.map(() => new Map());
  }

  /** Counts a request against each limit that covers it, in order; over one, the seconds to wait. */
  take(client: string, request: { readonly method?: string; readonly path: string }): Verdict {
    const now = this.clock();
    for (const [i, limit] of this.limits.entries()) {
      if (!counts(limit, request)) continue;
      const windowMs = limit.windowSeconds * 1000;
      const windows = this.windows[i];
      let window = windows.get(client);
      if (!window || now - window.start >= windowMs) {
        window = { start: now, count: 0 };
        windows.set(client, window);
        if (windows.size > 100_000) forgetOld(windows, now, windowMs);
      }
      window.count++;
      if (window.count > limit.requests) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)), limit };
    }
    return { allowed: true };
  }
}

function forgetOld(windows: Map<string, { start: number }>, now: number, windowMs: number): void {
  for (const [client, window] of windows) if (now - window.start >= windowMs) windows.delete(client);
}
