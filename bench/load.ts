// Load on loopback: concurrent citizens looking up statuses while applications arrive at a
// steady rate, against the local platform. Bounded in time and count; reports latency
// percentiles, every status code seen, and whether every accepted reference can be looked up
// afterwards (nothing lost). The load test in test/ runs it briefly; `npm run bench -- load`
// runs it at full size.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPlatform } from '../local/platform';

export interface LoadOptions {
  readonly seconds: number;
  readonly lookupConcurrency: number;
  readonly submissionsPerSecond: number;
}

export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
}

export interface LoadResult {
  readonly options: LoadOptions;
  readonly lookups: Latency;
  readonly submissions: Latency;
  readonly statuses: Record<string, number>;
  readonly serverErrors: number;
  /** requests that got no answer at all (connection refused or reset) */
  readonly unanswered: number;
  readonly accepted: number;
  readonly lost: readonly string[];
}

const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** p50 and p99 (nearest rank) of samples in ms, to a tenth. */
export const latency = (samples: readonly number[]): Latency => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)) };
};
const round = (ms: number) => Math.round(ms * 10) / 10;

/** A valid parking-permit application, different for each i. */
export const application = (i: number) => ({
  service: 'parking-permit',
  applicant: { name: `Load Tester ${i}`, dateOfBirth: '1990-04-01', phone: `+4477009${String(i % 100_000).padStart(5, '0')}`, language: i % 2 ? 'cy' : 'en' },
  details: { vehicleRegistration: 'AB12 CDE', addressLine1: `${i} High Street`, postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant' },
});

/** The case's stage as its status tells it, or undefined when the lookup does not answer 200 with one. */
export async function stageOf(url: string, reference: string): Promise<string | undefined> {
  const res = await fetch(`${url}/status/${reference}`, { headers: { accept: 'application/json' } });
  const json = (await res.json().catch(() => ({}))) as { stage?: { code?: string } };
  return res.status === 200 ? json.stage?.code : undefined;
}

/**
 * Submits one application (`name` tells the benchmark's idempotency key apart) and waits until its
 * case is past 'received' (the journey has started and written to it) and has kept one stage for
 * `settleMs`: no journey step writes to it while it is measured, so every read is the same read.
 */
export async function settledCase(url: string, name: string, settleMs: number): Promise<{ reference: string; stage: string }> {
  const res = await fetch(`${url}/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${name}-${Date.now()}` },
    body: JSON.stringify(application(1)),
  });
  const body = (await res.json()) as { reference?: string };
  if (res.status !== 202 || !body.reference) throw new Error(`POST /applications answered ${res.status}: ${JSON.stringify(body)}`);
  const until = Date.now() + 30_000;
  let last: string | undefined;
  let since = Date.now();
  while (Date.now() < until) {
    const stage = await stageOf(url, body.reference);
    if (stage !== last) [last, since] = [stage, Date.now()];
    if (stage && stage !== 'received' && Date.now() - since >= settleMs) return { reference: body.reference, stage };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the case did not settle past 'received' in 30 s (last seen '${last}'): the journey did not run`);
}

/** Runs the load against a platform at `url`. */
export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const statuses: Record<string, number> = {};
  const count = (status: number) => void (statuses[status] = (statuses[status] ?? 0) + 1);
  const accepted: string[] = [];
  const lookupTimes: number[] = [];
  const submitTimes: number[] = [];

  const submit = async (i: number) => {
    const started = performance.now();
    try {
      const res = await fetch(`${url}/applications`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `load-${i}-${started}` }, body: JSON.stringify(application(i)) });
      const body = (await res.json()) as { reference?: string };
      submitTimes.push(performance.now() - started);
      count(res.status);
      if (res.status === 202 && body.reference) accepted.push(body.reference);
    } catch {
      count(0); // no answer at all: counted, and reported as a failure
    }
  };

  for (let i = 0; i < 10; i++) await submit(-1 - i); // something to look up from the first moment
  const until = Date.now() + options.seconds * 1000;

  const lookups = Array.from({ length: options.lookupConcurrency }, async (_, worker) => {
    for (let n = worker; Date.now() < until; n++) {
      const reference = accepted[n % accepted.length];
      const started = performance.now();
      try {
        const res = await fetch(`${url}/status/${reference}`);
        await res.arrayBuffer();
        lookupTimes.push(performance.now() - started);
        count(res.status);
      } catch {
        count(0);
      }
    }
  });

  const submissions = (async () => {
    const total = Math.floor(options.seconds * options.submissionsPerSecond);
    const start = Date.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / options.submissionsPerSecond;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      inFlight.push(submit(i));
    }
    await Promise.all(inFlight);
  })();

  await Promise.all([...lookups, submissions]);

  const lost: string[] = [];
  for (const reference of accepted) {
    const res = await fetch(`${url}/status/${reference}`);
    await res.arrayBuffer();
    if (res.status !== 200) lost.push(reference);
  }
  return {
    options,
    lookups: latency(lookupTimes),
    submissions: latency(submitTimes),
    statuses,
    serverErrors: Object.entries(statuses).filter(([status]) => Number(status) >= 500).reduce((sum, [, n]) => sum + n, 0),
    unanswered: statuses[0] ?? 0,
    accepted: accepted.length,
    lost,
  };
}

/** Starts a fresh local platform (no rate limit: one client sends everything) and loads it. */
export async function loadLocalPlatform(options: LoadOptions): Promise<LoadResult> {
  const platform = await startPlatform({
    port: 0,
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'journey-load-')),
    rateLimit: { requests: Number.MAX_SAFE_INTEGER, windowSeconds: 60, pathPrefixes: ['/status/'] },
  });
  try {
    return await runLoad(platform.url, options);
  } finally {
    await platform.stop();
  }
}

export function formatLoad(result: LoadResult): string[] {
  const { options } = result;
  return [
    `Load: ${options.lookupConcurrency} concurrent status lookups and ${options.submissionsPerSecond} applications a second for ${options.seconds} s, on loopback`,
    '',
    '| requests | count | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    `| GET /status/{reference} | ${result.lookups.count} | ${result.lookups.p50} | ${result.lookups.p99} |`,
    `| POST /applications | ${result.submissions.count} | ${result.submissions.p50} | ${result.submissions.p99} |`,
    '',
    `status codes: ${Object.entries(result.statuses).map(([status, n]) => `${status}×${n}`).join(', ')}`,
    `5xx: ${result.serverErrors}   unanswered: ${result.unanswered}   accepted: ${result.accepted}   lost (accepted but not found afterwards): ${result.lost.length}`,
  ];
}
