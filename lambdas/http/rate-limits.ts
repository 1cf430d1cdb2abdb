// How often one client may look up statuses: references cannot be guessed, and this keeps it
// so. AWS WAF enforces it in front of API Gateway; the local server enforces the same numbers.
export const PUBLIC_LOOKUP_LIMIT = {
  /** requests per client (IP address) per window, to paths starting with any of pathPrefixes */
  requests: 300,
  windowSeconds: 300,
  /** the JSON status lookup and the status pages (a reference, and a date of birth to renew, appeal or answer) */
  pathPrefixes: ['/status/', '/track'],
} as const;

export interface RateLimit {
  readonly requests: number;
  readonly windowSeconds: number;
  readonly pathPrefixes: readonly string[];
}

/** A fixed-window counter per client, as WAF's rate-based rules count. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts a request; returns the seconds to wait when the client is over the limit. */
  take(client: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.clock();
    const windowMs = this.limit.windowSeconds * 1000;
    let window = this.windows.get(client);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(client, window);
      if (this.windows.size > 100_000) this.forgetOld(now, windowMs);
    }
    window.count++;
    if (window.count <= this.limit.requests) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)) };
  }

  private forgetOld(now: number, windowMs: number): void {
    for (const [client, window] of this.windows) if (now - window.start >= windowMs) this.windows.delete(client);
  }
}
