// Application journeys from submission to decision through the local engine: citizens apply over
// HTTP, the journeys run their checks on the interpreter, a caseworker decides each case over
// HTTP the moment it reaches the queue, and the journey records the outcome and texts the
// citizen. Reports journeys per second at each size, so the growth of cost with work shows, and
// what the journeys did (the platform's usage meter) for the cost model.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPlatform } from '../local/platform';
import type { Usage } from '../local/usage';
import { smsSegments } from '../lambdas/domain/messages/sms';
import { application, latency } from './load';

export interface JourneysOptions {
  /** how many journeys, one run each (a fresh platform and data folder per run) */
  readonly sizes: readonly number[];
  /** journeys in flight at once: citizens applying while earlier cases are decided */
  readonly concurrency: number;
  /** journeys run one at a time first, to time each function unloaded (see `calibration`) */
  readonly calibration: number;
}

/** The texts of a run in one language: how many, their segments, and the most segments one took. */
export interface TextsIn {
  readonly texts: number;
  readonly segments: number;
  readonly maxSegments: number;
}

export interface JourneyRun {
  readonly journeys: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** from the application's 202 to the caseworker's decision being recorded, per journey */
  readonly submissionToDecisionMs: { readonly p50: number; readonly p99: number };
  /** journeys that did not end approved (a failed request or step): reported, never hidden */
  readonly failed: number;
  readonly usage: Usage;
  /** the texts citizens were sent, by their language (half the applicants are Welsh speakers) */
  readonly texts: { readonly en: TextsIn; readonly cy: TextsIn };
}

const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

/** A waiter per reference: resolved when the journey's step for it has run. */
class Signals {
  private readonly waiting = new Map<string, () => void>();
  private readonly early = new Set<string>();
  wait(key: string): Promise<void> {
    if (this.early.delete(key)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(key, resolve));
  }
  tell(key: string): void {
    const resolve = this.waiting.get(key);
    if (resolve) {
      this.waiting.delete(key);
      resolve();
    } else this.early.add(key);
  }
}

export async function runJourneys(size: number, concurrency: number, progress: (message: string) => void): Promise<JourneyRun> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'journey-bench-'));
  // The caseworker acts when the step that queues a case has stored its task token, and the
  // journey is done when its outcome is recorded: told by the steps themselves, so the bench
  // adds no polling of its own to the load.
  const queued = new Signals();
  const decided = new Signals();
  const platform = await startPlatform({
    port: 0,
    dataDir,
    meter: true,
    rateLimit: { requests: Number.MAX_SAFE_INTEGER, windowSeconds: 60, pathPrefixes: ['/'] },
    interceptStep: async (entry, payload, run) => {
      const result = await run();
      const reference = (payload as { reference?: string }).reference;
      if (reference && entry === 'steps/await-decision') queued.tell(reference);
      if (reference && entry === 'steps/record-outcome') decided.tell(reference);
      return result;
    },
  });
  const times: number[] = [];
  let failed = 0;
  try {
    const journey = async (i: number) => {
      const res = await fetch(`${platform.url}/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${size}-${i}` },
        body: JSON.stringify(application(i)),
      });
      const { reference } = (await res.json()) as { reference?: string };
      if (res.status !== 202 || !reference) return void failed++;
      const started = performance.now();
      await queued.wait(reference);
      const decision = await fetch(`${platform.url}/cases/${reference}/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer dev-caseworker' },
        body: JSON.stringify({ outcome: 'approve', reason: 'Checked against the records.' }),
      });
      await decision.arrayBuffer();
      if (decision.status !== 200) return void failed++;
      await decided.wait(reference);
      times.push(performance.now() - started);
    };

    const started = performance.now();
    let next = 0;
    let done = 0;
    const ticker = setInterval(() => progress(`${size} journeys: ${done} decided, ${round(done / ((performance.now() - started) / 1000))}/s`), 10_000);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < size) {
          await journey(next++);
          done++;
        }
      }),
    );
    // the work each journey leaves behind (its texts, their receipts) is part of its cost
    await platform.settled();
    clearInterval(ticker);
    const seconds = (performance.now() - started) / 1000;
    const languageOf = new Map(Array.from({ length: size }, (_, i) => [application(i).applicant.phone, application(i).applicant.language]));
    const toDecision = latency(times);
    return {
      journeys: size,
      concurrency,
      seconds: round(seconds, 2),
      perSecond: round(size / seconds),
      submissionToDecisionMs: { p50: toDecision.p50, p99: toDecision.p99 },
      failed: failed + (size - failed - times.length),
      usage: await platform.usage(),
      texts: textsByLanguage(platform.sns.outbox(), languageOf),
    };
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function textsByLanguage(outbox: readonly { phoneNumber: string; message: string }[], languageOf: ReadonlyMap<string, string>): JourneyRun['texts'] {
  const tally = (language: string): TextsIn => {
    const segments = outbox.filter((text) => languageOf.get(text.phoneNumber) === language).map((text) => smsSegments(text.message).segments);
    return { texts: segments.length, segments: segments.reduce((a, b) => a + b, 0), maxSegments: Math.max(0, ...segments) };
  };
  return { en: tally('en'), cy: tally('cy') };
}

export interface JourneysResult {
  /**
   * Each function's time per invocation with one journey at a time: what it takes in an
   * execution environment of its own, as in Lambda. Under load here every handler shares one
   * event loop, so its wall time is mostly waiting its turn; the cost model prices durations
   * from this run and counts from the largest.
   */
  readonly calibration: { readonly journeys: number; readonly msPerInvocation: Readonly<Record<string, number>> };
  readonly runs: readonly JourneyRun[];
  /** the largest run's */
  readonly perSecond: number;
  /** the largest run's journeys a second over the smallest's: 1 means the cost of a journey does not grow with the work */
  readonly growth: number;
}

export async function journeysLocalPlatform(options: JourneysOptions, progress: (message: string) => void): Promise<JourneysResult> {
  progress(`${options.calibration} journeys one at a time, to time each function alone…`);
  const alone = await runJourneys(options.calibration, 1, progress);
  const msPerInvocation = Object.fromEntries(Object.entries(alone.usage.lambda).map(([name, fn]) => [name, round(fn.billedMs / fn.invocations, 2)]));
  const runs: JourneyRun[] = [];
  for (const size of options.sizes) {
    progress(`${size} application journeys, ${options.concurrency} at a time…`);
    runs.push(await runJourneys(size, options.concurrency, progress));
  }
  const largest = runs[runs.length - 1];
  return { calibration: { journeys: options.calibration, msPerInvocation }, runs, perSecond: largest.perSecond, growth: round(largest.perSecond / runs[0].perSecond, 3) };
}

/** A run's usage with each function's duration as timed alone (where it was), for pricing. */
export function pricedUsage(run: JourneyRun, calibration: JourneysResult['calibration']): Usage {
  const lambda = Object.fromEntries(
    Object.entries(run.usage.lambda).map(([name, fn]) => {
      const ms = calibration.msPerInvocation[name];
      // each invocation was rounded up to a whole ms when it was timed alone
      return [name, ms === undefined ? fn : { ...fn, billedMs: Math.round(ms * fn.invocations) }];
    }),
  );
  return { ...run.usage, lambda };
}

export function formatJourneys(result: JourneysResult): string[] {
  return [
    `Journeys: application journeys from submission (POST /applications) through the checks to a caseworker's approval (POST /cases/{reference}/decision) and the outcome recorded, texts and their receipts included, on the local engine`,
    '',
    '| journeys | in flight | seconds | journeys/s | submission to decision p50 ms | p99 ms | failed | state transitions each | DynamoDB requests each |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.runs.map((run) => {
      const requests = Object.values(run.usage.dynamodb.requests).reduce((a, b) => a + b, 0);
      return `| ${run.journeys} | ${run.concurrency} | ${run.seconds} | ${run.perSecond} | ${run.submissionToDecisionMs.p50} | ${run.submissionToDecisionMs.p99} | ${run.failed} | ${round(run.usage.stateTransitions / run.journeys, 2)} | ${round(requests / run.journeys, 1)} |`;
    }),
    '',
    `${result.perSecond} journeys a second at ${result.runs[result.runs.length - 1].journeys}; ${result.growth}x the rate at ${result.runs[0].journeys} (1 means a journey costs the same however many there are)`,
    `each function timed alone (${result.calibration.journeys} journeys one at a time), ms an invocation: ${Object.entries(result.calibration.msPerInvocation)
      .map(([name, ms]) => `${name} ${ms}`)
      .join(', ')}`,
  ];
}
