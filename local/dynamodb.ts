// The local DynamoDB: dynalite (real DynamoDB validation, conditions and indexes) on LevelDB,
// persisted on disk, with the case table created from the same shape CDK deploys.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { SESSION_TABLE } from '../lambdas/adapters/aws/session-table';
import type { UsageMeter } from './usage';

/**
 * Starts dynalite on a free port, in a process of its own (local/dynalite-server.cjs): as in AWS,
 * DynamoDB's work (dynalite, LevelDB, its HTTP server) does not run on the platform's event loop.
 * With a meter, the functions reach it through a proxy in this process that asks for each
 * request's consumed capacity (as on-demand bills it: the table and its index) and counts it;
 * what the functions get back is dynalite's answer.
 */
export async function startDynamo(dataDir: string | undefined, meter?: UsageMeter): Promise<{ endpoint: string; close: () => Promise<void> }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const { child, port } = await startServer(dataDir);
  const proxy = meter ? metering(port, meter) : undefined;
  if (proxy) {
    try {
      await listen(proxy);
    } catch (error) {
      await stopServer(child);
      throw error;
    }
  }
  return {
    endpoint: `http://127.0.0.1:${proxy ? (proxy.address() as AddressInfo).port : port}`,
    close: async () => {
      if (proxy) await close(proxy);
      await stopServer(child);
    },
  };
}

const SERVER = path.join(__dirname, 'dynalite-server.cjs');

/** A server that has not closed in this long after being asked is killed (LevelDB recovers its log on the next start). */
const STOP_WAIT_MS = 15_000;

/** Forks the dynalite process and waits for its port, or for the reason it could not start. */
function startServer(dataDir: string | undefined): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(SERVER, dataDir ? [dataDir] : [], {
    // this Node, without the parent's loaders or flags (tsx's, jest's): the child is plain CommonJS
    execPath: process.execPath,
    execArgv: [],
    // dynalite says nothing unless something is wrong: only its errors reach the terminal
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const failed = (reason: string) => {
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      reject(new Error(`the local DynamoDB did not start: ${reason}`));
    };
    const onMessage = (message: { type?: string; port?: number; message?: string }) => {
      if (message.type === 'failed') failed(message.message ?? 'no reason given');
      if (message.type !== 'listening' || typeof message.port !== 'number') return;
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
      // a failed send (the channel gone) is seen by its exit; unheard, it would end this process
      child.on('error', () => undefined);
      child.on('exit', (code, signal) => {
        if (!stopping.has(child)) console.error(`The local DynamoDB (dynalite, process ${child.pid}) stopped unexpectedly (${signal ?? `exit code ${code}`}): its requests will fail.`);
      });
      resolve({ child, port: message.port });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => failed(`its process exited (${signal ?? `exit code ${code}`}) before it served`);
    const onError = (error: Error) => failed(error.message);
    child.on('message', onMessage).on('exit', onExit).on('error', onError);
  });
}

/** Processes asked to stop: their exit is expected. */
const stopping = new WeakSet<ChildProcess>();

/** Asks the dynalite process to close (its server, then LevelDB) and waits for it to exit. */
function stopServer(child: ChildProcess): Promise<void> {
  stopping.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_WAIT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // without its channel the child is closing already (it closes when the channel does)
    if (child.connected) child.send({ type: 'close' }, () => undefined);
  });
}

const listen = (server: http.Server) => new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
const close = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // the SDK keeps connections alive; close would wait for them
  });

/** Operations that consume read units; every other data operation consumes write units. */
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const METERED = new Set([...READS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

interface Consumed {
  readonly CapacityUnits?: number;
}

function metering(port: number, meter: UsageMeter): http.Server {
  const agent = new http.Agent({ keepAlive: true });
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let body = Buffer.concat(chunks);
      if (METERED.has(operation)) {
        const request = JSON.parse(body.toString('utf8') || '{}');
        request.ReturnConsumedCapacity = 'INDEXES';
        body = Buffer.from(JSON.stringify(request));
      }
      const forward = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, agent, headers: { ...req.headers, 'content-length': body.length } }, (answer) => {
        const reply: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => reply.push(chunk));
        answer.on('end', () => {
          const bytes = Buffer.concat(reply);
          if (METERED.has(operation)) {
            let units = 0;
            if (answer.statusCode === 200) {
              const consumed = (JSON.parse(bytes.toString('utf8')) as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
              units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
            } else if (/ConditionalCheckFailed/.test(bytes.toString('utf8'))) {
              units = 1; // a write refused by its condition is still billed (dynalite says nothing of it)
            }
            meter.dynamoRequest(operation, READS.has(operation) ? units : 0, READS.has(operation) ? 0 : units);
          }
          res.writeHead(answer.statusCode ?? 500, answer.headers);
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

/** Whether the table (and its indexes) can be used: undefined when there is no such table. */
async function active(client: DynamoDBClient, tableName: string): Promise<boolean | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus === 'ACTIVE' && (Table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    return undefined;
  }
}

/**
 * Waits for a table just created to become ACTIVE, as against DynamoDB in AWS. dynalite (even
 * with createTableMs 0) answers CreateTable with CREATING and marks the table ACTIVE a moment
 * later; in its own process a request can arrive in that moment and be told the table does not
 * exist.
 */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await active(client, tableName))) {
    if (Date.now() > deadline) throw new Error(`the table ${tableName} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Creates the table with create() unless it is there already, and waits until it can be used. */
async function ensure(client: DynamoDBClient, tableName: string, create: () => Promise<unknown>): Promise<void> {
  const state = await active(client, tableName);
  if (state === undefined) await create();
  if (state !== true) await untilActive(client, tableName);
}

/** The console's sessions (dynalite has no TTL: an ended session stays until the data folder goes, and is refused). */
export async function ensureSessionTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await ensure(client, tableName, () =>
    client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: SESSION_TABLE.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: SESSION_TABLE.partitionKey, KeyType: 'HASH' }],
      }),
    ),
  );
}

export async function ensureCaseTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const index = CASE_TABLE.queueIndex;
  await ensure(client, tableName, () =>
    client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: CASE_TABLE.partitionKey, AttributeType: 'S' },
          { AttributeName: index.partitionKey, AttributeType: 'S' },
          { AttributeName: index.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: CASE_TABLE.partitionKey, KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...CASE_TABLE.queueIndexAttributes] },
          },
        ],
      }),
    ),
  );
}
