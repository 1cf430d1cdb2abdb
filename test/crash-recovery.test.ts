// The local platform survives SIGKILL in the middle of journeys: started as `npm start` would
// start it, killed, started again on the same data: every case is still there, a journey that
// was waiting for a caseworker can be decided, and journeys under way finish.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Api, anApplication, eventually } from './support/platform';

const ROOT = path.join(__dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'journey-crash-'));
let port: number;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as net.AddressInfo;
      server.close(() => resolve(free));
    });
  });
}

/**
 * Starts the platform in its own process, as `npm start` does, and waits until it serves. Node
 * runs it with tsx as a loader (not the tsx command, which would be a second process that
 * SIGKILL leaves behind).
 */
async function start(): Promise<Api> {
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child!.stderr!.on('data', (chunk) => (seen += chunk));
    child!.stdout!.on('data', (chunk) => {
      seen += chunk;
      if (seen.includes('is running locally')) resolve();
    });
    child!.once('exit', (code) => reject(new Error(`the platform exited with ${code}: ${seen}`)));
  });
  return new Api(`http://127.0.0.1:${port}`);
}

function kill(): Promise<void> {
  return new Promise((resolve) => {
    child!.once('exit', () => resolve());
    child!.kill('SIGKILL');
  });
}

beforeAll(async () => {
  port = await freePort();
});
afterAll(async () => {
  if (child && child.exitCode === null) await kill();
});

it('keeps every case and finishes every journey after a SIGKILL mid-journey', async () => {
  let api = await start();
  const waiting = (await api.submit(anApplication())).body.reference;
  await api.stage(waiting, 'awaiting-decision');
  const askedForInformation = (await api.submit(anApplication())).body.reference;
  await api.stage(askedForInformation, 'awaiting-decision');
  await api.decide(askedForInformation, 'request-information', 'Send your V5C.');
  await api.stage(askedForInformation, 'information-needed');
  const justSubmitted = (await api.submit(anApplication())).body.reference; // its journey is under way
  await kill();

  api = await start();
  for (const reference of [waiting, askedForInformation, justSubmitted]) expect((await api.status(reference)).status).toBe(200);

  // the journey that was waiting for a caseworker can be decided, and it finishes
  await eventually(async () => (await api.decide(waiting, 'approve', 'Checked after the restart.')).status, (status) => status === 200, 15_000);
  await api.stage(waiting, 'approved');

  // the journey under way reaches the caseworker queue and can be decided too
  await api.stage(justSubmitted, 'awaiting-decision');
  await eventually(async () => (await api.decide(justSubmitted, 'refuse', 'Outside the zone.')).status, (status) => status === 200, 15_000);
  await api.stage(justSubmitted, 'refused');

  // the citizen can still answer the request for information, and the case returns to the queue
  await eventually(
    async () => (await api.request('POST', `/status/${askedForInformation}/information`, { body: { dateOfBirth: '1990-04-01', information: 'Sent by post.' } })).status,
    (status) => status === 202,
    15_000,
  );
  await api.stage(askedForInformation, 'awaiting-decision');
  const history = (await api.case(askedForInformation)).body.history.map((h: any) => h.stage);
  expect(history.filter((stage: string) => stage === 'information-needed')).toHaveLength(1); // resumed, not repeated
}, 90_000);
