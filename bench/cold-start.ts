// Cold-start benchmark: bundles every handler exactly as CDK deploys it and times how long a
// fresh Node process takes to require each bundle, as a ratio of a bare GetItem baseline.
import { cognitoSignIn } from '../lambdas/adapters/aws/sign-in-config';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLING } from '../lib/bundling';
import { FUNCTIONS, JOURNEYS, type FunctionSpec } from '../lambdas/functions';
import { ENV, environmentOf, journeyStateMachineEnv, type Need } from '../lambdas/environment';
import { buildAssets } from '../web/build';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, '.bench', 'cold-start');

export const BASELINE = 'baseline/bare-get-item';
/** The citizen's status lookup and the most its load may cost, as a multiple of the baseline's. */
export const BUDGETED = 'api/get-status';
export const BUDGET = 1.25;
/**
 * What a page function's load may cost, as a multiple of the baseline's: more than the JSON
 * lookup's, for the HTML templates, components and words in two languages it carries.
 */
export const PAGE_BUDGET = 1.5;

export interface ColdStartOptions {
  /** samples per bundle; one extra warm-up round is run first and discarded */
  readonly rounds: number;
}

export interface PackageBytes {
  readonly name: string;
  readonly kb: number;
}

export interface BudgetVerdict {
  readonly bundle: string;
  readonly limit: number;
  /** median load time over the baseline's median */
  readonly ratio: number;
  /** median of the per-round ratios, with its 10th and 90th percentiles: how steady the ratio is */
  readonly pairedRatio: { readonly median: number; readonly p10: number; readonly p90: number };
  readonly verdict: 'PASS' | 'OVER';
}

export interface BundleResult {
  readonly name: string;
  readonly entry: string;
  /** what starts the function ('route', 'page', 'step', …), or 'baseline' */
  readonly trigger: FunctionSpec['trigger'] | 'baseline';
  readonly sizeKb: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly ratio: number;
  /** the packages (or "project" for our own code) that make up the bundle, largest first */
  readonly largest: readonly PackageBytes[];
  readonly samplesMs: readonly number[];
}

export interface ColdStartResult {
  readonly rounds: number;
  readonly node: string;
  readonly bundles: readonly BundleResult[];
  /** the status lookup against BUDGET */
  readonly budget: BudgetVerdict;
  /** every page function against PAGE_BUDGET, in registry order */
  readonly pageBudgets: readonly BudgetVerdict[];
  /** every other function (API routes, steps, the notifier, scheduled jobs) against BUDGET, in registry order */
  readonly functionBudgets: readonly BudgetVerdict[];
  /** bundles that left a socket or DNS lookup open after load, so their load time misses it */
  readonly networkAtLoad: readonly string[];
}

interface Target {
  readonly name: string;
  readonly entry: string;
  readonly trigger: BundleResult['trigger'];
  /** what the function needs, from the registry: decides the variables it is given */
  readonly needs: readonly Need[];
  readonly journeys?: FunctionSpec['journeys'];
}

const targetOf = (fn: FunctionSpec): Target => ({ name: fn.entry, entry: path.join(ROOT, 'lambdas', `${fn.entry}.ts`), trigger: fn.trigger, needs: fn.needs, journeys: fn.journeys });

/** The baseline, the status lookup, then every other function of the registry (pages included), each once. */
export function targets(): Target[] {
  const status = FUNCTIONS.find((fn) => fn.entry === BUDGETED);
  if (!status) throw new Error(`${BUDGETED} is not in the registry (lambdas/functions.ts)`);
  return [
    // the bare handler reads the table name, as the status lookup does
    { name: BASELINE, entry: path.join(ROOT, 'bench', 'fixtures', 'bare-get-item.ts'), trigger: 'baseline', needs: ['cases:read'] },
    targetOf(status),
    ...FUNCTIONS.filter((fn) => fn.entry !== BUDGETED).map(targetOf),
  ];
}

// Lambda's settings (region, credentials) and, per function, the variables CDK's binder
// (lib/platform-function.ts) sets for its needs, so that module-scope config checks pass.
// Built from nothing rather than from process.env: tsx's loader flags, NODE_OPTIONS or
// NODE_COMPILE_CACHE would otherwise change what is measured.
const LAMBDA_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  AWS_REGION: 'eu-west-2',
  AWS_DEFAULT_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'AKIABENCHMARKONLY000',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-not-a-real-key',
  AWS_SESSION_TOKEN: 'bench-session-token',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
};

/** The value of every variable a need can set, as CDK would set it. */
function resourceValues(): Record<string, string> {
  return {
    [ENV.caseTable]: 'bench-cases',
    [ENV.milestoneTopic]: 'arn:aws:sns:eu-west-2:123456789012:bench-milestones',
    ...Object.fromEntries(JOURNEYS.map((journey) => [journeyStateMachineEnv(journey), `arn:aws:states:eu-west-2:123456789012:stateMachine:bench-${journey}`])),
    // the real fingerprinted paths (web/build.ts, reused while its inputs are unchanged), as CDK passes them to the pages
    [ENV.assetPaths]: JSON.stringify(buildAssets().paths),
    [ENV.sessionTable]: 'bench-sessions',
    // as CDK writes it for the API's web ACL and the distribution (lib/platform-function.ts, origin-secret:rotate)
    [ENV.originSecretRotation]: JSON.stringify({ webAcl: { name: 'bench-web-JourneyTrackerApi', id: 'bench-acl-id', scope: 'REGIONAL' }, distributionId: 'EBENCH0000000', headerName: 'X-Origin-Verify' }),
    // as CDK writes it for a user pool in eu-west-2 (lib/caseworkers.ts)
    [ENV.signIn]: JSON.stringify(
      cognitoSignIn({ region: 'eu-west-2', userPoolId: 'eu-west-2_bench', clientId: 'benchclient', domainUrl: 'https://bench.auth.eu-west-2.amazoncognito.com', siteUrl: 'https://bench.example' }),
    ),
  };
}

/** Exactly the variables the function's needs imply, as in AWS: a function that reads one it does not declare fails here too. */
function environmentFor(target: Target, values: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...LAMBDA_ENV };
  for (const need of target.needs) {
    for (const name of environmentOf(need, target.journeys)) {
      const value = values[name];
      if (value === undefined) throw new Error(`${target.name} needs ${name} (for ${need}), which the benchmark has no value for: add it to resourceValues() in bench/cold-start.ts`);
      env[name] = value;
    }
  }
  return env;
}

// Runs in the fresh process. Only the require is timed: process start-up is the same for every
// function. Afterwards it reports what else was loaded from disk (a bundle that needs anything
// beyond itself is not what Lambda runs) and what is still pending (a socket or DNS lookup means
// the handler does network work at load that this timing does not see).
const LOADER = `
const bundle = process.argv[1];
const start = process.hrtime.bigint();
require(bundle);
const end = process.hrtime.bigint();
const self = require.resolve(bundle);
const outside = Object.keys(require.cache).filter((file) => file !== self);
const pending = process.getActiveResourcesInfo();
process.stdout.write(JSON.stringify({ ns: String(end - start), outside, pending }));
process.exit(0);
`;

interface Sample {
  readonly ms: number;
  readonly outside: readonly string[];
  readonly pending: readonly string[];
}

function loadOnce(bundle: string, env: NodeJS.ProcessEnv): Sample {
  const child = spawnSync(process.execPath, ['-e', LOADER, '--', bundle], { env, encoding: 'utf8', timeout: 60_000 });
  if (child.error) throw child.error;
  if (child.status !== 0) {
    // the last lines say why; the first ones quote the minified bundle
    throw new Error(`loading ${path.relative(ROOT, bundle)} failed (exit ${child.status ?? child.signal}):\n${child.stderr.trim().split('\n').slice(-12).join('\n')}`);
  }
  const out = JSON.parse(child.stdout) as { ns: string; outside: string[]; pending: string[] };
  return { ms: Number(BigInt(out.ns)) / 1e6, outside: out.outside, pending: out.pending };
}

/** Linear interpolation between closest ranks, so p90 of 25 samples is not just the 3rd worst. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Array.from(values).sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.replaceAll('\\', '/'));
  return match ? match[1] : 'project';
}

function largestPackages(metafile: Metafile, output: string): PackageBytes[] {
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[output].inputs)) {
    const name = packageOf(input);
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .map(([name, total]) => ({ name, kb: round(total / 1024, 1) }));
}

const round = (value: number, places: number): number => Number(value.toFixed(places));

interface Built extends Target {
  readonly file: string;
  readonly env: NodeJS.ProcessEnv;
  readonly sizeKb: number;
  readonly largest: PackageBytes[];
}

/** Bundles one handler with the options CDK's NodejsFunction is given (lib/bundling.ts). */
async function bundle(target: Target, values: Record<string, string>): Promise<Built> {
  const file = path.join(OUT_DIR, `${target.name.replaceAll('/', '__')}.js`);
  const result = await build({
    entryPoints: [target.entry],
    outfile: file,
    bundle: true,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    target: BUNDLING.target,
    external: [...BUNDLING.externalModules],
    mainFields: [...BUNDLING.mainFields],
    platform: BUNDLING.platform,
    format: BUNDLING.format,
    // CDK runs esbuild from the project root, which decides the tsconfig it finds
    absWorkingDir: ROOT,
    metafile: true,
    logLevel: 'warning',
  });
  const output = path.relative(ROOT, file).replaceAll('\\', '/');
  return { ...target, file, env: environmentFor(target, values), sizeKb: round(statSync(file).size / 1024, 1), largest: largestPackages(result.metafile, output) };
}

export async function coldStart(options: ColdStartOptions, progress: (message: string) => void = () => {}): Promise<ColdStartResult> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const values = resourceValues();
  const built = await Promise.all(targets().map((target) => bundle(target, values)));
  progress(`bundled ${built.length} handlers into ${path.relative(ROOT, OUT_DIR)}/`);

  const samples = new Map<string, number[]>(built.map((b) => [b.name, []]));
  const networkAtLoad = new Set<string>();
  // Round 0 warms the page cache and is discarded. Each round loads every bundle once, in an
  // order rotated by one each round, so drift and noise on the machine fall on all of them alike.
  for (let pass = 0; pass <= options.rounds; pass++) {
    for (let i = 0; i < built.length; i++) {
      const target = built[(i + pass) % built.length];
      const sample = loadOnce(target.file, target.env);
      if (sample.outside.length > 0) {
        throw new Error(`${target.name} loaded ${sample.outside.join(', ')} from outside its bundle: it is not measured as deployed`);
      }
      // Pipes are stdout and stderr, which Powertools opens for its logs; only sockets and DNS are network.
      if (sample.pending.some((kind) => /TCP|UDP|TLS|GetAddrInfo|GetNameInfo|QueryReqWrap/.test(kind))) networkAtLoad.add(target.name);
      if (pass > 0) samples.get(target.name)!.push(sample.ms);
    }
    if (pass > 0 && (pass % 5 === 0 || pass === options.rounds)) progress(`round ${pass}/${options.rounds}`);
  }

  const baselineMedian = quantile(samples.get(BASELINE)!, 0.5);
  const bundles = built.map((b): BundleResult => {
    const ms = samples.get(b.name)!;
    const medianMs = quantile(ms, 0.5);
    return {
      name: b.name,
      entry: path.relative(ROOT, b.entry),
      trigger: b.trigger,
      sizeKb: b.sizeKb,
      medianMs: round(medianMs, 2),
      p90Ms: round(quantile(ms, 0.9), 2),
      ratio: round(medianMs / baselineMedian, 3),
      largest: b.largest,
      samplesMs: ms.map((value) => round(value, 3)),
    };
  });

  // Samples in the same round were taken moments apart, so their ratio cancels slow drift.
  const baselineSamples = samples.get(BASELINE)!;
  const verdictOf = (b: BundleResult, limit: number): BudgetVerdict => {
    const perRound = samples.get(b.name)!.map((ms, i) => ms / baselineSamples[i]);
    return {
      bundle: b.name,
      limit,
      ratio: b.ratio,
      pairedRatio: { median: round(quantile(perRound, 0.5), 3), p10: round(quantile(perRound, 0.1), 3), p90: round(quantile(perRound, 0.9), 3) },
      verdict: b.ratio <= limit ? 'PASS' : 'OVER',
    };
  };
  return {
    rounds: options.rounds,
    node: process.version,
    bundles,
    budget: verdictOf(bundles.find((b) => b.name === BUDGETED)!, BUDGET),
    pageBudgets: bundles.filter((b) => b.trigger === 'page').map((b) => verdictOf(b, PAGE_BUDGET)),
    functionBudgets: bundles.filter((b) => b.trigger !== 'page' && b.trigger !== 'baseline' && b.name !== BUDGETED).map((b) => verdictOf(b, BUDGET)),
    networkAtLoad: [...networkAtLoad],
  };
}

const perRound = (verdict: BudgetVerdict) =>
  `per-round ${verdict.pairedRatio.median.toFixed(2)}x (p10 ${verdict.pairedRatio.p10.toFixed(2)}, p90 ${verdict.pairedRatio.p90.toFixed(2)})`;

/** A fixed-width table for the terminal, with the budget verdicts under it. */
export function formatColdStart(result: ColdStartResult): string[] {
  const verdicts = new Map([result.budget, ...result.pageBudgets, ...result.functionBudgets].map((verdict) => [verdict.bundle, verdict]));
  const header = ['bundle', 'size KB', 'median ms', 'p90 ms', 'x baseline', 'budget'];
  const rows = result.bundles.map((b) => {
    const verdict = verdicts.get(b.name);
    return [b.name, b.sizeKb.toFixed(1), b.medianMs.toFixed(1), b.p90Ms.toFixed(1), b.ratio.toFixed(2), verdict ? `${verdict.limit.toFixed(2)}x ${verdict.verdict}` : ''];
  });
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => row[col].length)));
  const line = (cells: string[]) => cells.map((cell, col) => (col === 0 || col === cells.length - 1 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ').trimEnd();
  const { budget } = result;
  const budgeted = result.bundles.find((b) => b.name === budget.bundle)!;
  const lines = [
    `cold start: require() of each bundle in a fresh node ${result.node} process, ${result.rounds} interleaved rounds`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `${budget.verdict}: ${budget.bundle} loads in ${budget.ratio.toFixed(2)}x the baseline's time (budget ${budget.limit.toFixed(2)}x); ${perRound(budget)}`,
    `  its bundle, largest first: ${budgeted.largest
      .slice(0, 6)
      .map((p) => `${p.name} ${p.kb} KB`)
      .join(', ')}`,
  ];
  if (result.pageBudgets.length > 0) {
    lines.push(`pages (budget ${PAGE_BUDGET.toFixed(2)}x the baseline each):`);
    for (const verdict of result.pageBudgets) {
      const bundle = result.bundles.find((b) => b.name === verdict.bundle)!;
      const project = bundle.largest.find((p) => p.name === 'project');
      lines.push(`  ${verdict.verdict}: ${verdict.bundle.padEnd(Math.max(...result.pageBudgets.map((v) => v.bundle.length)))}  ${verdict.ratio.toFixed(2)}x; ${perRound(verdict)}; ${bundle.sizeKb.toFixed(1)} KB, of it our code ${project?.kb ?? 0} KB`);
    }
  }
  if (!result.node.startsWith(`v${BUNDLING.target.replace('node', '')}.`)) {
    lines.push(`  note: the functions run on ${BUNDLING.target} but this was measured on Node ${result.node}`);
  }
  const over = [result.budget, ...result.pageBudgets, ...result.functionBudgets].filter((verdict) => verdict.verdict === 'OVER');
  if (over.length > 0) lines.push(`  *** OVER their cold-start budget: ${over.map((verdict) => `${verdict.bundle} (${verdict.ratio.toFixed(2)}x > ${verdict.limit.toFixed(2)}x)`).join(', ')} ***`);
  if (result.networkAtLoad.length > 0) {
    lines.push(`  warning: ${result.networkAtLoad.join(', ')} left network work pending at load; its cost is not in these numbers`);
  }
  return lines;
}
