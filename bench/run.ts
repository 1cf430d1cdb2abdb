// `npm run bench [-- NAME...] [-- --rounds N]`: runs the benchmarks, prints a table for each and
// writes them all to .bench/results.json. Exits non-zero only when a benchmark cannot run.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coldStart, formatColdStart } from './cold-start';
import { formatLoad, loadLocalPlatform } from './load';
import { formatPages, pagesLocalPlatform } from './pages';

// What one local process sustains on a 2-core machine (see bench/README.md); override with
// LOAD_LOOKUPS and LOAD_RATE to find where it breaks.
const LOAD = { lookups: Number(process.env.LOAD_LOOKUPS ?? 100), rate: Number(process.env.LOAD_RATE ?? 20) };
// Requests of each kind the pages benchmark times, one after another; about 10 s at the default.
const PAGES = { requests: Number(process.env.PAGES_REQUESTS ?? 2000), warmup: 100 };

interface RunOptions {
  readonly rounds: number;
}

interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(options: RunOptions, progress: (message: string) => void): Promise<{ readonly result: unknown; readonly lines: readonly string[] }>;
}

// One entry per benchmark; a load or cost benchmark goes here beside cold start.
const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'cold-start',
    description: 'time to require() each deployed bundle in a fresh process, against a bare GetItem handler',
    async run(options, progress) {
      const result = await coldStart({ rounds: options.rounds }, progress);
      return { result, lines: formatColdStart(result) };
    },
  },
  {
    name: 'load',
    description: 'concurrent status lookups while applications arrive at a steady rate, for 30 s against the local platform, on loopback',
    async run(_options, progress) {
      progress('running for 30 s…');
      const result = await loadLocalPlatform({ seconds: 30, lookupConcurrency: LOAD.lookups, submissionsPerSecond: LOAD.rate });
      return { result, lines: formatLoad(result) };
    },
  },
  {
    name: 'pages',
    description: 'the status page against the JSON status lookup over loopback HTTP (one caller, keep-alive), and the bytes of its first view',
    async run(_options, progress) {
      const result = await pagesLocalPlatform(PAGES, progress);
      return { result, lines: formatPages(result) };
    },
  },
];

function parseArgs(argv: readonly string[]): { names: string[]; options: RunOptions } {
  const names: string[] = [];
  let rounds = 25;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') {
      rounds = Number(argv[++i]);
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number of at least 1');
    } else {
      names.push(argv[i]);
    }
  }
  const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`no benchmark called ${unknown.join(', ')}; there is ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  return { names, options: { rounds } };
}

async function main(): Promise<void> {
  const { names, options } = parseArgs(process.argv.slice(2));
  const chosen = names.length > 0 ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  const results: Record<string, unknown> = {};
  for (const benchmark of chosen) {
    console.error(`${benchmark.name}: ${benchmark.description}`);
    const { result, lines } = await benchmark.run(options, (message) => console.error(`  ${message}`));
    results[benchmark.name] = result;
    console.log(['', ...lines, ''].join('\n'));
  }
  // Where and when, so numbers from different machines are not compared as if alike.
  const file = path.resolve(__dirname, '..', '.bench', 'results.json');
  mkdirSync(path.dirname(file), { recursive: true });
  const machine = { platform: process.platform, arch: process.arch, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown' };
  writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, machine, benchmarks: results }, null, 2)}\n`);
  console.error(`results written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
