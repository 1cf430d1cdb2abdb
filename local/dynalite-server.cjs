// The local DynamoDB's own process: dynalite, LevelDB and dynalite's HTTP server take a good
// share of the CPU under load, and DynamoDB in AWS is a separate service, so locally it has its
// own event loop (and, on a machine with more than one core, its own core) rather than sharing
// the platform's. Started by local/dynamodb.ts with `child_process.fork`. Plain CommonJS, so
// plain `node` runs it with nothing compiled or preloaded, from jest, tsx or node alike.
//
// Protocol, over the IPC channel that fork opens:
//   argv   [--meter] [dataDir]   the LevelDB folder (none keeps the tables in memory); --meter
//          counts the request units each request consumes (see `metering`)
//   child  -> { type: 'listening', port } once dynalite serves on 127.0.0.1:port (only to
//             requests addressed to loopback, and never to a web page: see `forSdkOnly`)
//   child  -> { type: 'failed', message } when it cannot start (then it exits)
//   parent -> { type: 'close' }   close dynalite cleanly (LevelDB included) and exit
//   parent -> { type: 'usage', id }   child -> { type: 'usage', id, usage: { readUnits, writeUnits, requests } }
// When the channel closes without a close (the parent died, even by SIGKILL), the child closes
// and exits by itself: no orphaned process keeps the data folder locked.
'use strict';

const http = require('node:http');
const { createRequire } = require('node:module');
const dynalite = require('dynalite');
const { guarded } = require('./loopback.cjs');

const metered = process.argv[2] === '--meter';
const dataDir = process.argv[metered ? 3 : 2] || undefined;

/** How long a start waits for a data folder another process still holds (see freeFolder). */
const LOCK_WAIT_MS = 15_000;
/** How long a close waits for dynalite and LevelDB before the process exits regardless. */
const CLOSE_WAIT_MS = 10_000;

let server;
let proxy;
let closing;

/** Operations that consume read units; every other data operation consumes write units. */
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const METERED = new Set([...READS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const usage = { readUnits: 0, writeUnits: 0, requests: {} };

/**
 * The request units DynamoDB on-demand would bill, from dynalite itself: a proxy in front of it
 * asks for each data request's consumed capacity (the table's: dynalite reports no index's) and counts it, and
 * passes dynalite's answer on unchanged. Here, not in the platform's process, so counting costs
 * the platform's event loop nothing.
 */
function metering(port) {
  const agent = new http.Agent({ keepAlive: true });
  return http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] || '').split('.')[1] || '';
      let body = Buffer.concat(chunks);
      const counted = METERED.has(operation);
      if (counted) {
        const request = JSON.parse(body.toString('utf8') || '{}');
        // (dynalite answers with the table's units only: an index's writes are not in them)
        request.ReturnConsumedCapacity = 'INDEXES';
        body = Buffer.from(JSON.stringify(request));
      }
      const forward = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, agent, headers: { ...req.headers, 'content-length': body.length } }, (answer) => {
        const reply = [];
        answer.on('data', (chunk) => reply.push(chunk));
        answer.on('end', () => {
          const bytes = Buffer.concat(reply);
          if (counted) {
            let units = 0;
            if (answer.statusCode === 200) {
              const consumed = JSON.parse(bytes.toString('utf8')).ConsumedCapacity;
              units = [consumed || []].flat().reduce((sum, c) => sum + (c.CapacityUnits || 0), 0);
            } else if (/ConditionalCheckFailed/.test(bytes.toString('utf8'))) {
              units = 1; // a write refused by its condition is still billed (dynalite says nothing of it)
            }
            usage.requests[operation] = (usage.requests[operation] || 0) + 1;
            if (READS.has(operation)) usage.readUnits += units;
            else usage.writeUnits += units;
          }
          res.writeHead(answer.statusCode || 500, answer.headers);
          res.end(bytes);
        });
      });
      forward.on('error', () => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'the local DynamoDB did not answer' }));
      });
      forward.end(body);
    });
  });
}

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

/**
 * Puts local/loopback.cjs's guard in front of a server's own request listener. dynalite answers
 * any page's CORS preflight with Access-Control-Allow-Origin: *, so without it any web page the
 * developer opens could read and write the tables through the browser, given the port.
 */
function forSdkOnly(httpServer) {
  const listeners = httpServer.listeners('request');
  httpServer.removeAllListeners('request');
  for (const listener of listeners) httpServer.on('request', guarded(listener, { sdkOnly: true }));
  return httpServer;
}

async function start() {
  if (dataDir) await freeFolder(dataDir);
  server = forSdkOnly(dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  if (metered) {
    proxy = forSdkOnly(metering(server.address().port));
    await new Promise((resolve, reject) => proxy.listen(0, '127.0.0.1', resolve).once('error', reject));
  }
  await send({ type: 'listening', port: (proxy || server).address().port });
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
  if (proxy) {
    proxy.close();
    proxy.closeAllConnections();
  }
  if (!server || !server.listening) return exit(0);
  server.close((error) => {
    if (error) console.error('The local DynamoDB did not close cleanly:', error);
    exit(error ? 1 : 0);
  });
  server.closeAllConnections(); // the SDK keeps connections alive; close would wait for them
}

process.on('message', (message) => {
  if (message && message.type === 'close') close();
  if (message && message.type === 'usage') send({ type: 'usage', id: message.id, usage });
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
