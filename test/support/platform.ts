// Starts the local platform for a test file (DynamoDB in memory, a free port) and talks to it
// over HTTP the way a citizen's browser or a caseworker's console would.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { startPlatform, type Platform, type PlatformOptions } from '../../local/platform';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

export class Api {
  constructor(readonly url: string) {}

  async request(method: string, route: string, options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.url + route, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the test will say so
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  submit(application: unknown = anApplication(), headers: Record<string, string> = {}) {
    return this.request('POST', '/applications', { body: application, headers });
  }

  status(reference: string, query = '') {
    return this.request('GET', `/status/${encodeURIComponent(reference)}${query}`);
  }

  case(reference: string, token = 'dev-caseworker') {
    return this.request('GET', `/cases/${reference}`, { token });
  }

  decide(reference: string, outcome: string, reason = 'Checked against the records.', token = 'dev-caseworker') {
    return this.request('POST', `/cases/${reference}/decision`, { body: { outcome, reason }, token });
  }

  /** Waits until the citizen's status reaches a stage. */
  async stage(reference: string, stage: string, timeoutMs = 15_000): Promise<any> {
    return eventually(async () => (await this.status(reference)).body, (body) => body?.stage?.code === stage, timeoutMs, `${reference} to reach ${stage}`);
  }
}

export function anApplication(overrides: { applicant?: Record<string, unknown>; details?: Record<string, unknown>; [key: string]: unknown } = {}) {
  const { applicant, details, ...rest } = overrides;
  return {
    service: 'parking-permit',
    applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123', language: 'en', ...applicant },
    details: { vehicleRegistration: 'AB12 CDE', addressLine1: '1 High Street', postcode: 'CF10 1AA', zone: 'A', vehicleKeeper: 'applicant', ...details },
    ...rest,
  };
}

export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000, what = 'a condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  } while (Date.now() < until);
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last).slice(0, 500)}`);
}

export async function startTestPlatform(options: PlatformOptions = {}): Promise<{ platform: Platform; api: Api }> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'journey-test-'));
  const platform = await startPlatform({ port: 0, ...options, dataDir });
  return { platform, api: new Api(platform.url) };
}

/**
 * Runs `use` against the platform restarted on the same data, as `npm start` would start it in a
 * new process. Handlers read their endpoints once, when loaded, and jest keeps one module registry
 * per test file (unloading from require.cache does not reach it), so the restarted platform gets
 * a registry of its own, where the handlers load afresh.
 */
export async function afterRestart(dataDir: string, use: (restarted: { platform: Platform; api: Api }) => Promise<void>): Promise<void> {
  await jest.isolateModulesAsync(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startTestPlatform: start } = require('./platform') as { startTestPlatform: typeof startTestPlatform };
    const restarted = await start({ dataDir });
    try {
      await use(restarted);
    } finally {
      await restarted.platform.stop();
    }
  });
}

/** How many items the platform's table holds (cases and idempotency keys): to show a refused request stored nothing. */
export async function storedItems(platform: Platform): Promise<number> {
  const db = new DynamoDBClient({ endpoint: platform.dynamoEndpoint });
  try {
    return (await db.send(new ScanCommand({ TableName: platform.tableName, Select: 'COUNT', ConsistentRead: true }))).Count ?? 0;
  } finally {
    db.destroy();
  }
}
