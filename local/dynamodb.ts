// The local DynamoDB: dynalite (real DynamoDB validation, conditions and indexes) on LevelDB,
// persisted on disk, with the case table created from the same shape CDK deploys.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';
import { SESSION_TABLE } from '../lambdas/adapters/aws/session-table';
import type { Usage } from './usage';

/** The request units DynamoDB on-demand would bill for what was asked of it, and the requests by operation. */
export type DynamoUsage = Usage['dynamodb'];

export interface LocalDynamo {
  readonly endpoint: string;
  close(): Promise<void>;
  /** what was asked of it so far (all zero unless started metered) */
  usage(): Promise<DynamoUsage>;
}

/**
 * Starts dynalite on a free port, in a process of its own (local/dynalite-server.cjs): as in AWS,
 * DynamoDB's work (dynalite, LevelDB, its HTTP server) does not run on the platform's event loop.
 * Metered, that process also counts each request's consumed capacity (as on-demand bills it: the
 * table's: dynalite does not report an index's); what the functions get back is dynalite's answer.
 */
export async function startDynamo(dataDir: string | undefined, options: { readonly metered?: boolean } = {}): Promise<LocalDynamo> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const { child, port } = await startServer(dataDir, Boolean(options.metered));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => stopServer(child),
    usage: () => usageOf(child),
  };
}

let asked = 0;

/** Asks the dynalite process what it has counted (each question numbered, so answers cannot cross). */
function usageOf(child: ChildProcess): Promise<DynamoUsage> {
  if (!child.connected) return Promise.reject(new Error('the local DynamoDB has stopped: its usage cannot be read'));
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const done = () => {
      child.off('message', onMessage).off('exit', onExit);
      clearTimeout(timer);
    };
    const onMessage = (message: { type?: string; id?: number; usage?: DynamoUsage }) => {
      if (message.type !== 'usage' || message.id !== id || !message.usage) return;
      done();
      resolve(message.usage);
    };
    const onExit = () => {
      done();
      reject(new Error('the local DynamoDB stopped before it said what it counted'));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('the local DynamoDB did not say what it counted within 10 s'));
    }, 10_000);
    child.on('message', onMessage).on('exit', onExit);
    child.send({ type: 'usage', id }, (error) => error && onExit());
  });
}

const SERVER = path.join(__dirname, 'dynalite-server.cjs');

/** A server that has not closed in this long after being asked is killed (LevelDB recovers its log on the next start). */
const STOP_WAIT_MS = 15_000;

/** Forks the dynalite process and waits for its port, or for the reason it could not start. */
function startServer(dataDir: string | undefined, metered: boolean): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(SERVER, [...(metered ? ['--meter'] : []), ...(dataDir ? [dataDir] : [])], {
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
