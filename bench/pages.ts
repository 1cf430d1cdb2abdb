// The status page over HTTP, against the JSON status lookup it is built on, on the local
// platform: one case, one caller, the two requests interleaved on one keep-alive connection, so
// the difference is the page's own work (the template, the words, the bigger body). Then the
// first view of the page, everything a browser with an empty cache downloads (the HTML, the
// styles, the script and anything the styles point to), in bytes on the wire, gzip accepted.
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startPlatform } from '../local/platform';
import { PUBLIC_LOOKUP_LIMIT } from '../lambdas/http/rate-limits';
import { settledCase, stageOf } from './load';
import { quantile } from './cold-start';

/** The status page's p50 may be at most this many times the JSON lookup's. */
export const LATENCY_BUDGET = 2;
/** Everything the first view of the status page downloads, compressed, in KB (1024 bytes). */
export const FIRST_VIEW_BUDGET_KB = 100;

export interface PagesOptions {
  /** measured requests of each kind */
  readonly requests: number;
  /** requests of each kind sent first and discarded: loads the handlers, warms the connection */
  readonly warmup: number;
}

export interface RequestLatency {
  readonly request: string;
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  /** the response body, uncompressed */
  readonly bodyBytes: number;
}

export interface FirstViewFile {
  readonly path: string;
  /** what pointed to it: the page itself, a <link>, a <script>, an <img>, a url() in a stylesheet */
  readonly from: string;
  readonly status: number;
  /**
   * For a url() in the styles: whether a rule that names it matches a class on the page (a
   * browser fetches a background or mask image only then). Counted in the total either way.
   */
  readonly usedByPage?: boolean;
  readonly type: string;
  /** 'gzip' when the server compressed it; 'gzip (bench)' when it did not and the benchmark counted it gzipped; 'identity' otherwise */
  readonly encoding: 'gzip' | 'gzip (bench)' | 'identity';
  /** body bytes counted against the budget (headers excluded) */
  readonly wireBytes: number;
  /** body bytes as the server sent them */
  readonly servedBytes: number;
  readonly uncompressedBytes: number;
}

export interface PagesResult {
  readonly options: PagesOptions;
  /** the case's stage while it was measured (before and after) */
  readonly stage: string;
  readonly stageAfter: string;
  readonly json: RequestLatency;
  readonly page: RequestLatency;
  readonly latency: {
    readonly limit: number;
    /** page p50 over JSON p50 */
    readonly ratio: number;
    /** page time over JSON time for each interleaved pair: median, p10, p90 */
    readonly pairedRatio: { readonly median: number; readonly p10: number; readonly p90: number };
    readonly verdict: 'PASS' | 'OVER';
  };
  readonly firstView: {
    readonly limitKb: number;
    readonly files: readonly FirstViewFile[];
    readonly totalKb: number;
    /** the total with every file as the server sent it (the HTML uncompressed, if it sends it so) */
    readonly servedKb: number;
    /** resources inlined as data: URIs in the styles; their bytes are in the stylesheet's */
    readonly inlined: number;
    /** addresses on other sites, which were not fetched (and which the pages' CSP would refuse) */
    readonly elsewhere: readonly string[];
    /** addresses that were named but answered other than 200: not counted */
    readonly missing: readonly FirstViewFile[];
    readonly verdict: 'PASS' | 'OVER';
  };
}

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly ms: number;
}

/** One GET on the given agent, timed from the request to the last byte of the body. No decompression. */
function get(agent: http.Agent, base: URL, address: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: base.hostname, port: base.port, path: address, method: 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const round = (value: number, places = 2) => Number(value.toFixed(places));
const kb = (bytes: number) => round(bytes / 1024, 1);

function latencyOf(request: string, samples: readonly number[], bodyBytes: number): RequestLatency {
  return { request, count: samples.length, p50: round(quantile(samples, 0.5), 3), p99: round(quantile(samples, 0.99), 3), bodyBytes };
}

/** Both addresses in turn, `warmup` times discarded then `requests` times measured; the order alternates. */
async function measureLatency(agent: http.Agent, base: URL, reference: string, options: PagesOptions) {
  const jsonPath = `/status/${reference}`;
  const pagePath = `/track/${reference}`;
  const requests = {
    json: { path: jsonPath, headers: { accept: 'application/json', 'accept-language': 'en-GB,en;q=0.9' }, type: 'application/json' },
    page: { path: pagePath, headers: { accept: 'text/html', 'accept-language': 'en-GB,en;q=0.9' }, type: 'text/html' },
  };
  const samples = { json: [] as number[], page: [] as number[] };
  const bodyBytes = { json: 0, page: 0 };
  const pairs: number[] = [];
  for (let i = 0; i < options.warmup + options.requests; i++) {
    const times: Partial<Record<'json' | 'page', number>> = {};
    for (const kind of i % 2 === 0 ? (['json', 'page'] as const) : (['page', 'json'] as const)) {
      const request = requests[kind];
      const reply = await get(agent, base, request.path, request.headers);
      if (reply.status !== 200 || !String(reply.headers['content-type']).startsWith(request.type)) {
        throw new Error(`GET ${request.path} answered ${reply.status} ${reply.headers['content-type']}: ${reply.body.toString('utf8').slice(0, 300)}`);
      }
      times[kind] = reply.ms;
      bodyBytes[kind] = reply.body.length;
    }
    if (i >= options.warmup) {
      samples.json.push(times.json!);
      samples.page.push(times.page!);
      pairs.push(times.page! / times.json!);
    }
  }
  return {
    json: latencyOf(`GET ${jsonPath.replace(reference, '{reference}')} (JSON)`, samples.json, bodyBytes.json),
    page: latencyOf(`GET ${pagePath.replace(reference, '{reference}')} (page)`, samples.page, bodyBytes.page),
    pairs,
  };
}

// What an HTML page makes a browser fetch on first view: styles, scripts, icons, images.
const FETCHED_RELS = /\b(stylesheet|icon|apple-touch-icon|preload|modulepreload|manifest)\b/i;

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/\s([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
    found[match[1].toLowerCase()] = (match[2] ?? match[3] ?? match[4]).replaceAll('&amp;', '&');
  }
  return found;
}

/** The addresses an HTML page loads, with what pointed to each. */
export function htmlResources(html: string): Found[] {
  const found: Found[] = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const { rel, href } = attributes(tag);
    if (href && rel && FETCHED_RELS.test(rel)) found.push({ address: href, from: `<link rel=${rel}>` });
  }
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const { src } = attributes(tag);
    if (src) found.push({ address: src, from: '<script src>' });
  }
  for (const [tag] of html.matchAll(/<img\b[^>]*>/gi)) {
    const { src } = attributes(tag);
    if (src) found.push({ address: src, from: '<img src>' });
  }
  return found;
}

interface Found {
  readonly address: string;
  readonly from: string;
  /** for a url() in a stylesheet, the selectors of the rules that name it */
  readonly selectors?: string[];
}

/** The selector of the rule around position `at` in minified or plain CSS ("@font-face" for a font). */
function selectorAround(css: string, at: number): string {
  const open = css.lastIndexOf('{', at);
  const start = Math.max(css.lastIndexOf('}', open), css.lastIndexOf('{', open - 1), css.lastIndexOf(';', open)) + 1;
  return css.slice(start, open).trim();
}

/** The addresses a stylesheet loads (url() and @import), and how many it inlines as data: URIs. */
export function cssResources(css: string): { addresses: Found[]; inlined: number } {
  const byAddress = new Map<string, Found & { selectors: string[] }>();
  let inlined = 0;
  for (const match of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)/gi)) {
    const address = (match[1] ?? match[2] ?? match[3]).trim();
    if (address.startsWith('data:')) {
      inlined++;
    } else if (address && !address.startsWith('#')) {
      const found = byAddress.get(address) ?? { address, from: 'url() in CSS', selectors: [] };
      found.selectors.push(selectorAround(css, match.index));
      byAddress.set(address, found);
    }
  }
  const addresses: Found[] = [...byAddress.values()];
  for (const match of css.matchAll(/@import\s+(?:"([^"]+)"|'([^']+)')/gi)) addresses.push({ address: match[1] ?? match[2], from: '@import in CSS' });
  return { addresses, inlined };
}

const classesOf = (html: string): Set<string> => new Set([...html.matchAll(/\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].flatMap((m) => (m[1] ?? m[2]).split(/\s+/).filter(Boolean)));

/** Whether any of the selectors could match the page: every class it names is on the page (fonts always count). */
function usedBy(selectors: readonly string[], classes: ReadonlySet<string>): boolean {
  return selectors.some((rule) =>
    rule.startsWith('@font-face') ||
    rule.split(',').some((selector) => [...selector.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)].every((m) => classes.has(m[1]))),
  );
}

// Text compresses; fonts (woff2) and images (png, jpeg) already are, and are counted as sent.
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|manifest\+json)|image\/svg\+xml)/;

async function measureFirstView(agent: http.Agent, base: URL, pagePath: string): Promise<PagesResult['firstView']> {
  const files: FirstViewFile[] = [];
  const missing: FirstViewFile[] = [];
  const elsewhere: string[] = [];
  let inlined = 0;
  let classes = new Set<string>();
  const queue: Found[] = [{ address: pagePath, from: 'the page' }];
  const seen = new Set<string>();
  for (let next = queue.shift(); next; next = queue.shift()) {
    // found addresses are resolved against the file that named them before they are queued
    const url = new URL(next.address, base);
    if (url.origin !== base.origin) {
      elsewhere.push(url.href);
      continue;
    }
    const address = url.pathname + url.search;
    if (seen.has(address)) continue;
    seen.add(address);
    const isPage = files.length === 0 && missing.length === 0;
    const reply = await get(agent, base, address, { accept: isPage ? 'text/html' : '*/*', 'accept-encoding': 'gzip', 'accept-language': 'en-GB,en;q=0.9' });
    const type = String(reply.headers['content-type'] ?? 'unknown').split(';')[0];
    const gzipped = reply.headers['content-encoding'] === 'gzip';
    const body = gzipped ? gunzipSync(reply.body) : reply.body;
    const ours = !gzipped && COMPRESSIBLE.test(type);
    const file: FirstViewFile = {
      path: address,
      from: next.from,
      status: reply.status,
      ...(next.selectors ? { usedByPage: usedBy(next.selectors, classes) } : {}),
      type,
      encoding: gzipped ? 'gzip' : ours ? 'gzip (bench)' : 'identity',
      // gzip at zlib's default level, as a server compressing on the fly would
      wireBytes: ours ? gzipSync(body).length : reply.body.length,
      servedBytes: reply.body.length,
      uncompressedBytes: body.length,
    };
    if (reply.status !== 200) {
      if (isPage) throw new Error(`GET ${address} answered ${reply.status}: ${body.toString('utf8').slice(0, 300)}`);
      missing.push(file);
      continue;
    }
    files.push(file);
    const text = body.toString('utf8');
    if (type === 'text/html') {
      classes = classesOf(text);
      queue.push(...htmlResources(text).map((r) => ({ ...r, address: new URL(r.address, url).href })));
    }
    if (type === 'text/css') {
      const found = cssResources(text);
      inlined += found.inlined;
      queue.push(...found.addresses.map((r) => ({ ...r, address: new URL(r.address, url).href })));
    }
  }
  const total = files.reduce((sum, file) => sum + file.wireBytes, 0);
  return {
    limitKb: FIRST_VIEW_BUDGET_KB,
    files,
    totalKb: kb(total),
    servedKb: kb(files.reduce((sum, file) => sum + file.servedBytes, 0)),
    inlined,
    elsewhere,
    missing,
    verdict: total <= FIRST_VIEW_BUDGET_KB * 1024 ? 'PASS' : 'OVER',
  };
}

/** Starts a fresh local platform (the lookup limit lifted: one client sends everything), makes one case and measures. */
export async function pagesLocalPlatform(options: PagesOptions, progress: (message: string) => void = () => {}): Promise<PagesResult> {
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < (name === 'warmup' ? 0 : 1)) throw new Error(`pages: ${name} must be a whole number (got ${value})`);
  }
  const platform = await startPlatform({
    port: 0,
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'journey-pages-')),
    rateLimit: { ...PUBLIC_LOOKUP_LIMIT, requests: Number.MAX_SAFE_INTEGER },
  });
  // one caller, one connection kept open, as a browser reuses its connection
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const base = new URL(platform.url);
    const { reference, stage } = await settledCase(platform.url, 'pages', 500);
    progress(`case ${reference} is '${stage}'; ${options.warmup} warm-up and ${options.requests} measured requests of each, interleaved`);
    const { json, page, pairs } = await measureLatency(agent, base, reference, options);
    const ratio = page.p50 / json.p50;
    const measured = await measureFirstView(agent, base, `/track/${reference}`);
    // no identifier in the results (they are published): the page's address as the route names it
    const firstView = { ...measured, files: measured.files.map((file) => ({ ...file, path: file.path.replace(reference, '{reference}') })) };
    const stageAfter = (await stageOf(platform.url, reference)) ?? 'not found';
    return {
      options,
      stage,
      stageAfter,
      json,
      page,
      latency: {
        limit: LATENCY_BUDGET,
        ratio: round(ratio, 3),
        pairedRatio: { median: round(quantile(pairs, 0.5), 3), p10: round(quantile(pairs, 0.1), 3), p90: round(quantile(pairs, 0.9), 3) },
        verdict: ratio <= LATENCY_BUDGET ? 'PASS' : 'OVER',
      },
      firstView,
    };
  } finally {
    agent.destroy();
    await platform.stop();
  }
}

export function formatPages(result: PagesResult): string[] {
  const { latency, firstView } = result;
  const html = firstView.files[0];
  const lines = [
    `Pages: the status page against the JSON status lookup, one caller over loopback HTTP with keep-alive, ${result.options.requests} measured requests of each (interleaved, after ${result.options.warmup} warm-up), case at '${result.stage}'${result.stageAfter === result.stage ? '' : ` then '${result.stageAfter}'`}`,
    '',
    '| request | count | p50 ms | p99 ms | body KB |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...[result.json, result.page].map((r) => `| ${r.request} | ${r.count} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${kb(r.bodyBytes).toFixed(1)} |`),
    '',
    `${latency.verdict}: the status page's p50 is ${latency.ratio.toFixed(2)}x the JSON lookup's (budget ${latency.limit.toFixed(2)}x); ` +
      `per pair ${latency.pairedRatio.median.toFixed(2)}x (p10 ${latency.pairedRatio.p10.toFixed(2)}, p90 ${latency.pairedRatio.p90.toFixed(2)})`,
    '',
    `First view of the status page: ${firstView.files.length} files, gzip accepted, body bytes on the wire (headers not counted)`,
    '',
    '| file | from | type | encoding | wire KB | uncompressed KB |',
    '| --- | --- | --- | --- | ---: | ---: |',
    ...firstView.files.map(
      (f) =>
        `| ${f.path} | ${f.from}${f.usedByPage === false ? ' (no rule naming it matches the page)' : ''} | ${f.type} | ${f.encoding} | ${kb(f.wireBytes).toFixed(1)} | ${kb(f.uncompressedBytes).toFixed(1)} |`,
    ),
    `| **total** | | | | **${firstView.totalKb.toFixed(1)}** | ${kb(firstView.files.reduce((sum, f) => sum + f.uncompressedBytes, 0)).toFixed(1)} |`,
    '',
    `${firstView.verdict}: the first view is ${firstView.totalKb.toFixed(1)} KB compressed (budget ${firstView.limitKb} KB)`,
  ];
  if (html.encoding === 'gzip (bench)') {
    lines.push(`  the server sent the HTML uncompressed (${kb(html.servedBytes).toFixed(1)} KB); it is counted gzipped by the benchmark. As served, the first view is ${firstView.servedKb.toFixed(1)} KB`);
  } else if (html.encoding === 'gzip') {
    lines.push('  the server compressed the HTML itself');
  }
  if (firstView.inlined > 0) lines.push(`  ${firstView.inlined} url() in the styles are inlined data: URIs, counted in the stylesheet`);
  if (![...firstView.files, ...firstView.missing].some((f) => f.from.startsWith('url()'))) lines.push('  the styles load no fonts or images (no url() outside data: URIs)');
  for (const f of firstView.missing) {
    const use = f.usedByPage === undefined ? '' : f.usedByPage ? '; a rule naming it matches this page, so a browser asks for it' : '; no rule naming it matches this page, so a browser does not ask for it here';
    lines.push(`  warning: ${f.path} (${f.from}) answered ${f.status}: not counted${use}`);
  }
  if (firstView.elsewhere.length > 0) lines.push(`  warning: not fetched, on other sites: ${firstView.elsewhere.join(', ')}`);
  return lines;
}
