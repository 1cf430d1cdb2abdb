// The local DynamoDB's own process: dynalite, LevelDB and dynalite's HTTP server take a good
// share of the CPU under load, and DynamoDB in AWS is a separate service, so locally it has its
// own event loop (and, on a machine with more than one core, its own core) rather than sharing
// the platform's. Started by local/dynamodb.ts with `child_process.fork`. Plain CommonJS, so
// plain `node` runs it with nothing compiled or preloaded, from jest, tsx or node alike.
//
// Protocol, over the IPC channel that fork opens:
//   argv   [dataDir]   the LevelDB folder; none keeps the tables in memory
//   child  -> { type: 'listening', port } once dynalite serves on 127.0.0.1:port
//   child  -> { type: 'failed', message } when it cannot start (then it exits)
//   parent -> { type: 'close' }   close dynalite cleanly (LevelDB included) and exit
// When the channel closes without a close (the parent died, even by SIGKILL), the child closes
// and exits by itself: no orphaned process keeps the data folder locked.
'use strict';

const { createRequire } = require('node:module');
const dynalite = require('dynalite');

const dataDir = process.argv[2] || undefined;

/** How long a start waits for a data folder another process still holds (see freeFolder). */
const LOCK_WAIT_MS = 15_000;
/** How long a close waits for dynalite and LevelDB before the process exits regardless. */
const CLOSE_WAIT_MS = 10_000;

let server;
let closing;

/** Sends a message to the parent; resolves once it is written (so an exit after it loses nothing). */
function send(message) {
  return new Promise((resolve) => (process.connected ? process.send(message, () => resolve()) : resolve()));
}

/**
 * Waits until the data folder's LevelDB can be opened. After a SIGKILL of the platform, the
 * previous child may still be closing the same folder when the platform starts again; LevelDB
 * allows one process at a time, and dynalite opens its store in the background, so a refused
 * open would only show as failed requests. Opening it here first (and closing it again) turns
 * that into a short wait, and anything else (a corrupt folder, no permission) into a failed start
 * with its reason.
 */
async function freeFolder(folder) {
  // the same LevelDB module dynalite opens the folder with
  const { Level } = createRequire(require.resolve('dynalite'))('level');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const probe = new Level(folder);
    try {
      await probe.open();
      await probe.close();
      return;
    } catch (error) {
      const locked = error && error.cause && error.cause.code === 'LEVEL_LOCKED';
      if (!locked) throw error.cause || error;
      if (Date.now() > deadline) throw new Error(`the data folder ${folder} is in use by another process (is the platform running already?)`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function start() {
  if (dataDir) await freeFolder(dataDir);
  server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  await send({ type: 'listening', port: server.address().port });
}

/** Closes dynalite (its server, then LevelDB once the requests under way are done) and exits. */
function close() {
  if (closing) return;
  closing = true;
  const exit = (code) => process.exit(code);
  setTimeout(() => {
    console.error('The local DynamoDB did not close in time; exiting (LevelDB recovers its log on the next start).');
    exit(1);
  }, CLOSE_WAIT_MS).unref();
  if (!server || !server.listening) return exit(0);
  server.close((error) => {
    if (error) console.error('The local DynamoDB did not close cleanly:', error);
    exit(error ? 1 : 0);
  });
  server.closeAllConnections(); // the SDK keeps connections alive; close would wait for them
}

process.on('message', (message) => {
  if (message && message.type === 'close') close();
});
process.on('disconnect', close);
// Ctrl-C in a terminal (and a stop signal sent to the process group) reaches this process as
// well as the platform's. The platform stops in order, letting the steps under way write first,
// and then closes this; were it gone instead, the closed channel closes this. So neither signal
// closes the store under the platform's feet.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

start().catch(async (error) => {
  await send({ type: 'failed', message: error && error.message ? error.message : String(error) });
  process.exit(1);
});
