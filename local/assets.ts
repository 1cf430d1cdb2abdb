// The static assets locally, as CloudFront serves them from the assets bucket in AWS: only the
// fingerprinted files, cached for a year (a new build has new names), compressed when the browser
// accepts it.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { send } from './api-server';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };
const cache = new Map<string, { body: Buffer; gzipped: Buffer }>();

export function serveAsset(req: IncomingMessage, res: ServerResponse, dir: string): void {
  const name = path.basename(new URL(req.url ?? '/', 'http://localhost').pathname);
  const extension = path.extname(name);
  const type = Object.hasOwn(TYPES, extension) ? TYPES[extension] : undefined;
  const file = path.join(dir, name);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: { code: 'method-not-allowed', message: 'Use GET for this address.' } }, { allow: 'GET' });
  if (!type || name === 'manifest.json' || !existsSync(file)) return send(res, 404, { error: { code: 'not-found', message: 'There is no such asset.' } });
  let entry = cache.get(file);
  if (!entry) {
    const body = readFileSync(file);
    entry = { body, gzipped: gzipSync(body, { level: 9 }) };
    cache.set(file, entry);
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? entry.gzipped : entry.body;
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    vary: 'Accept-Encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
