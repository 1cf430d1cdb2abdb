// The benchmarks' figures as one document: bench/results.json (every figure, for programs) and
// bench/RESULTS.md (the same to read), with the goals the platform is designed for, each
// reported as met or missed (never asserted: a machine's speed is not a test).
import { BUDGET, PAGE_BUDGET, formatColdStart, type ColdStartResult } from './cold-start';
import { formatCost, type JourneyCost } from './cost';
import { formatJourneys, type JourneysResult } from './journeys';
import { formatLoad, type LoadResult } from './load';
import { formatPages, type PagesResult } from './pages';
import { RATIO_GOAL, THROUGHPUT_RATIO_GOAL, formatStatusLookup, type StatusLookupResult } from './status-lookup';

/** When a benchmark's figures were taken, and how long it ran. */
interface Stamp {
  readonly at: string;
  readonly seconds: number;
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  /** undefined: not measured yet */
  readonly met: boolean | undefined;
}

export interface Results {
  at: string;
  node: string;
  machine: { readonly platform: string; readonly arch: string; readonly cpus: number; readonly cpu: string; readonly memoryGb: number };
  goals: readonly Goal[];
  coldStart?: ColdStartResult & { readonly ratio: number } & Stamp;
  statusLookup?: StatusLookupResult & Stamp;
  journeys?: JourneysResult & Stamp;
  costPer1000Journeys?: JourneyCost & { readonly smsSegmentsPerEnglishText: number; readonly maxSegmentsPerEnglishText: number } & Stamp;
  mixedLoad?: LoadResult & Stamp;
  pages?: PagesResult & Stamp;
}

/** A benchmark's own figures, before they are stamped with when they were taken. */
export type Figures = { [K in 'coldStart' | 'statusLookup' | 'journeys' | 'costPer1000Journeys' | 'mixedLoad' | 'pages']?: Omit<NonNullable<Results[K]>, keyof Stamp> };

const x = (n: number) => `${n.toFixed(2)}x`;

/** The goals of issue 13, each with what the latest figures say. */
export function goalsOf(results: Results): Goal[] {
  const { statusLookup, coldStart, journeys, costPer1000Journeys: cost } = results;
  const goal = (text: string, measured: (() => { measured: string; met: boolean }) | undefined): Goal =>
    measured ? { goal: text, ...measured() } : { goal: text, measured: 'not measured yet', met: undefined };
  const worst = <T extends { ratio: number; bundle: string }>(verdicts: readonly T[]) => verdicts.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return [
    goal(`status lookup over HTTP: p50 at one caller ≤ ${RATIO_GOAL}x a raw GetItem`, statusLookup && (() => ({ measured: x(statusLookup.ratio), met: statusLookup.ratio <= RATIO_GOAL }))),
    goal(
      `status lookup over HTTP: requests/s at 100 callers ≥ ${THROUGHPUT_RATIO_GOAL}x a raw GetItem`,
      statusLookup && (() => ({ measured: x(statusLookup.throughputRatio), met: statusLookup.throughputRatio >= THROUGHPUT_RATIO_GOAL })),
    ),
    goal(
      `cold start: every function ≤ ${BUDGET}x a bare GetItem handler`,
      coldStart &&
        (() => {
          const slowest = worst([coldStart.budget, ...(coldStart.functionBudgets ?? [])]);
          return { measured: `slowest ${slowest.bundle} ${x(slowest.ratio)}; status lookup ${x(coldStart.budget.ratio)}`, met: slowest.verdict === 'PASS' };
        }),
    ),
    goal(
      `cold start: every page ≤ ${PAGE_BUDGET}x`,
      coldStart &&
        (() => {
          const slowest = worst(coldStart.pageBudgets);
          return { measured: `slowest ${slowest.bundle} ${x(slowest.ratio)}`, met: slowest.verdict === 'PASS' };
        }),
    ),
    goal('journeys through the local engine: ≥ 50 a second', journeys && (() => ({ measured: `${journeys.perSecond}/s at ${journeys.runs[journeys.runs.length - 1].journeys}`, met: journeys.perSecond >= 50 }))),
    goal(
      'journeys: the rate within 10% from 1,000 to 10,000',
      journeys && (() => ({ measured: journeys.runs.map((run) => `${run.perSecond}/s at ${run.journeys}`).join(', '), met: Math.abs(journeys.growth - 1) <= 0.1 })),
    ),
    goal('AWS charges per 1,000 journeys, SMS aside: ≤ $0.30', cost && (() => ({ measured: `$${cost.usd.toFixed(3)}`, met: cost.usd <= 0.3 }))),
    goal(
      'SMS: ≤ 1 segment per English milestone text',
      cost && (() => ({ measured: `longest ${cost.maxSegmentsPerEnglishText}; ${cost.smsSegmentsPerEnglishText.toFixed(2)} on average`, met: cost.maxSegmentsPerEnglishText <= 1 })),
    ),
  ];
}

const verdict = (met: boolean | undefined) => (met === undefined ? '–' : met ? 'met' : '**missed**');

/** The short table `npm run bench` prints at the end, and the top of RESULTS.md. */
export function summaryTable(results: Results): string[] {
  return ['| goal | measured | |', '| --- | --- | --- |', ...results.goals.map((goal) => `| ${goal.goal} | ${goal.measured} | ${verdict(goal.met)} |`)];
}

export function resultsMarkdown(results: Results): string {
  const { machine } = results;
  const section = (title: string, stamp: Stamp | undefined, lines: () => readonly string[], fenced = false) =>
    stamp ? [`## ${title}`, '', `Measured ${stamp.at.slice(0, 16).replace('T', ' ')} UTC, in ${stamp.seconds} s.`, '', ...(fenced ? ['```text', ...lines(), '```'] : lines()), ''] : [];
  return [
    '# Benchmark results',
    '',
    `The latest \`npm run bench\`, written by it: ${results.at.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} cores (${machine.cpu}, ${machine.arch}, ${machine.memoryGb} GB), Node ${results.node}.`,
    'Every figure, raw samples included, is in `results.json`; what each benchmark does and how to read it is in `README.md`.',
    'The goals are reported, not asserted: a missed goal is a finding, not a failed build.',
    '',
    ...summaryTable(results),
    '',
    ...section('Status lookup', results.statusLookup, () => formatStatusLookup(results.statusLookup!)),
    ...section('Cold start', results.coldStart, () => formatColdStart(results.coldStart!), true),
    ...section('Journeys', results.journeys, () => formatJourneys(results.journeys!)),
    ...section('Cost per 1,000 journeys', results.costPer1000Journeys, () => formatCost(results.costPer1000Journeys!)),
    ...section('Mixed load', results.mixedLoad, () => formatLoad(results.mixedLoad!)),
    ...section('Pages', results.pages, () => formatPages(results.pages!)),
  ].join('\n');
}

const README_START = '<!-- latest bench: written by npm run bench -->';
const README_END = '<!-- end of latest bench -->';

/** The README with the latest goals table and the machine it came from between its markers (unchanged without them). */
export function withLatestTable(readme: string, results: Results): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return readme;
  const { machine } = results;
  const table = [
    README_START,
    `Measured ${results.at.slice(0, 10)} on ${machine.cpus} cores (${machine.cpu}, ${machine.arch}, ${machine.memoryGb} GB), Node ${results.node}; every figure in [bench/RESULTS.md](bench/RESULTS.md).`,
    '',
    ...summaryTable(results),
    '',
  ].join('\n');
  return readme.slice(0, start) + table + readme.slice(end);
}
