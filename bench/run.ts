// `npm run bench [-- NAME...] [-- --rounds N] [-- --report]`: runs the benchmarks, prints a short table of the
// goals and each benchmark's own table, and writes bench/results.json (every figure) and
// bench/RESULTS.md (the same, to read). A benchmark run on its own replaces only its own figures
// in those files. Exits non-zero only when a benchmark cannot run: missing a goal is reported.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coldStart, formatColdStart } from './cold-start';
import { costPer1000Journeys, formatCost } from './cost';
import { formatJourneys, journeysLocalPlatform, pricedUsage } from './journeys';
import { formatLoad, loadLocalPlatform } from './load';
import { formatPages, pagesLocalPlatform } from './pages';
import { formatStatusLookup, statusLookup } from './status-lookup';
import { goalsOf, resultsMarkdown, summaryTable, withLatestTable, type Figures, type Results } from './results';

// What one local process sustains on a 2-core machine (see bench/README.md); override with
// LOAD_LOOKUPS and LOAD_RATE to find where it breaks.
const LOAD = { lookups: Number(process.env.LOAD_LOOKUPS ?? 100), rate: Number(process.env.LOAD_RATE ?? 20) };
// Requests of each kind the pages benchmark times, one after another; about 10 s at the default.
const PAGES = { requests: Number(process.env.PAGES_REQUESTS ?? 2000), warmup: 100 };
// The sizes; JOURNEY_SIZES=200,2000 for a quicker look.
const JOURNEYS = {
  sizes: (process.env.JOURNEY_SIZES ?? '1000,10000').split(',').map(Number),
  concurrency: Number(process.env.JOURNEY_CONCURRENCY ?? 50),
  calibration: 20,
};

interface RunOptions {
  readonly rounds: number;
}

interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** its figures, under their keys in results.json, and its own table */
  run(options: RunOptions, progress: (message: string) => void): Promise<{ readonly results: Figures; readonly lines: readonly string[] }>;
}

// One entry per benchmark, in the order they run.
const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'cold-start',
    description: 'time to require() each deployed bundle in a fresh process, against a bare GetItem handler',
    async run(options, progress) {
      const result = await coldStart({ rounds: options.rounds }, progress);
      return { results: { coldStart: { ...result, ratio: result.budget.ratio } }, lines: formatColdStart(result) };
    },
  },
  {
    name: 'status-lookup',
    description: 'GET /status/{reference} against a raw GetItem of the same item, at 1 and 100 callers, load from a separate process',
    async run(_options, progress) {
      const result = await statusLookup({ seconds: 8, warmupSeconds: 2 }, progress);
      return { results: { statusLookup: result }, lines: formatStatusLookup(result) };
    },
  },
  {
    name: 'journeys',
    description: 'application journeys from submission to decision through the local engine, and what 1,000 of them cost in AWS',
    async run(_options, progress) {
      const journeys = await journeysLocalPlatform(JOURNEYS, progress);
      const largest = journeys.runs[journeys.runs.length - 1];
      const cost = costPer1000Journeys(pricedUsage(largest, journeys.calibration), largest.journeys);
      const costPer1000 = { ...cost, smsSegmentsPerEnglishText: largest.texts.en.texts ? largest.texts.en.segments / largest.texts.en.texts : 0, maxSegmentsPerEnglishText: largest.texts.en.maxSegments };
      return { results: { journeys, costPer1000Journeys: costPer1000 }, lines: [...formatJourneys(journeys), '', ...formatCost(costPer1000)] };
    },
  },
  {
    name: 'load',
    description: 'mixed load: concurrent status lookups while applications arrive at a steady rate, for 30 s against the local platform, on loopback',
    async run(_options, progress) {
      progress('running for 30 s…');
      const result = await loadLocalPlatform({ seconds: 30, lookupConcurrency: LOAD.lookups, submissionsPerSecond: LOAD.rate });
      return { results: { mixedLoad: result }, lines: formatLoad(result) };
    },
  },
  {
    name: 'pages',
    description: 'the status page against the JSON status lookup over loopback HTTP (one caller, keep-alive), and the bytes of its first view',
    async run(_options, progress) {
      const result = await pagesLocalPlatform(PAGES, progress);
      return { results: { pages: result }, lines: formatPages(result) };
    },
  },
];

function parseArgs(argv: readonly string[]): { names: string[]; options: RunOptions; reportOnly: boolean } {
  const names: string[] = [];
  let rounds = 20;
  let reportOnly = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--report') {
      reportOnly = true;
    } else if (argv[i] === '--rounds') {
      rounds = Number(argv[++i]);
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number of at least 1');
    } else {
      names.push(argv[i]);
    }
  }
  const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`no benchmark called ${unknown.join(', ')}; there is ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  return { names, options: { rounds }, reportOnly };
}

const RESULTS_JSON = path.join(__dirname, 'results.json');
const RESULTS_MD = path.join(__dirname, 'RESULTS.md');
const README = path.join(__dirname, '..', 'README.md');

async function main(): Promise<void> {
  const { names, options, reportOnly } = parseArgs(process.argv.slice(2));
  // --report: no benchmark runs; RESULTS.md and the README's table are written again from results.json
  const chosen = reportOnly ? [] : names.length > 0 ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  // the figures of benchmarks not run this time stay as they were, each with its own date
  if (reportOnly && !existsSync(RESULTS_JSON)) throw new Error(`--report writes the tables from ${RESULTS_JSON}, and there is none yet: run a benchmark first`);
  const results: Results = existsSync(RESULTS_JSON) ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as Results) : ({} as Results);
  const started = Date.now();
  for (const benchmark of chosen) {
    console.error(`${benchmark.name}: ${benchmark.description}`);
    const began = Date.now();
    const { results: figures, lines } = await benchmark.run(options, (message) => console.error(`  ${message}`));
    const at = new Date().toISOString();
    for (const [key, value] of Object.entries(figures)) Object.assign(results, { [key]: { ...(value as object), at, seconds: Math.round((Date.now() - began) / 1000) } });
    console.log(['', ...lines, ''].join('\n'));
  }
  // where and when, so numbers from different machines are not compared as if alike
  if (!reportOnly) {
    results.at = new Date().toISOString();
    results.node = process.version;
    results.machine = { platform: process.platform, arch: process.arch, cpus: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 1024 ** 3) };
  }
  results.goals = goalsOf(results);
  writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(RESULTS_MD, resultsMarkdown(results));
  // the project's README shows the latest table too, between its markers
  writeFileSync(README, withLatestTable(readFileSync(README, 'utf8'), results));
  console.log(summaryTable(results).join('\n'));
  console.error(`\n${chosen.length} benchmark(s) in ${Math.round((Date.now() - started) / 1000)} s; figures in ${path.relative(process.cwd(), RESULTS_JSON)} and ${path.relative(process.cwd(), RESULTS_MD)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
