// The whole platform on one machine: dynalite for DynamoDB, the journeys' ASL files on
// aws-local-stepfunctions, a local SNS with an SMS outbox, and the API from the shared route
// table. Handlers reach the stand-ins only through the SDK's standard endpoint settings. It runs
// the sources, or (`assembly`) what `cdk synth` built from them: the deployed definitions and the
// bundled functions.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { FUNCTION_MEMORY_MB, FUNCTIONS, JOURNEYS, JOURNEY_DEFINITION, RECEIPTS, SCHEDULED, STEPS, SUBSCRIBERS } from '../lambdas/functions';
import { ENV, environmentOf, journeyStateMachineEnv } from '../lambdas/environment';
import { ensureCaseTable, ensureSessionTable, startDynamo } from './dynamodb';
import { DEV_SIGN_IN_PATH, DevSignIn } from './dev-sign-in';
import { invoke, loadedFiles, unloadHandlers, useBundles, useInvocationHooks } from './lambda-runtime';
import { FunctionLogs } from './function-logs';
import { UsageMeter, type Usage } from './usage';
import { LocalSns, SnsError, errorXml } from './sns';
import { LocalStepFunctions, SfnError, liveAliasArn, type JourneyDefinition } from './step-functions';
import { readAssembly, type Deployed } from './assembly';
import { ExecutionJournal } from './execution-journal';
import { readBody, send, serveApi } from './api-server';
import { gzipSync } from 'node:zlib';
import { RATE_LIMITS, RateLimiter, type RateLimit } from '../lambdas/http/rate-limits';
import { buildAssets } from '../web/build';
import { serveAsset } from './assets';
import { answersTo, fromAnotherSite, guarded, hostName, refuse } from './loopback.cjs';

const ROOT = path.resolve(__dirname, '..');
const TABLE_NAME = 'journey-cases';
const SESSION_TABLE_NAME = 'journey-sessions';
const TOPIC_ARN = 'arn:aws:sns:eu-west-2:000000000000:journey-milestones';
const functionArn = (entry: string) => `arn:aws:lambda:eu-west-2:000000000000:function:${entry.replace(/\//g, '-')}`;

export interface PlatformOptions {
  /** API port; 0 picks a free one */
  readonly port?: number;
  /**
   * the address the site listens on: 127.0.0.1 (loopback only) unless told otherwise. Every
   * server answers only requests addressed to a loopback name, and to this address when it is
   * another (local/loopback.cjs)
   */
  readonly host?: string;
  /** where dynalite and the outbox keep their files; undefined keeps DynamoDB in memory */
  readonly dataDir?: string;
  /** for tests: callback-wait timeouts in seconds, by state name */
  readonly taskTimeoutSeconds?: Readonly<Record<string, number>>;
  /** for tests: retry intervals in ms, by state name */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  /** the rate limits per client (as WAF's rate rules in AWS; RATE_LIMITS when none); tests of load raise them */
  readonly rateLimit?: RateLimit | readonly RateLimit[];
  /** for tests: wrap a step function, e.g. to make it fail */
  readonly interceptStep?: (entry: string, payload: unknown, run: () => Promise<unknown>) => Promise<unknown>;
  /**
   * a synthesised cloud assembly (`cdk synth -o <dir>`) to run instead of the sources: each
   * journey's definition as deployed and each function's bundle (local/assembly.ts)
   */
  readonly assembly?: string;
  /** count what the platform does as AWS would bill it (`usage()`): for the benchmarks; the local DynamoDB's process then asks dynalite for each request's consumed capacity */
  readonly meter?: boolean;
}

export interface Platform {
  readonly url: string;
  /** where a browser reaches the site with cookies that work over plain HTTP, e.g. http://localhost:3000 */
  readonly siteUrl: string;
  readonly awsEndpoint: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** where each function's log goes (a file per function, as a log group per function in AWS); undefined without a data folder */
  readonly logsDir?: string;
  /** how many journeys were resumed from the journal at start */
  readonly resumed: number;
  readonly sfn: LocalStepFunctions;
  readonly sns: LocalSns;
  /** runs the renewal-reminder job now, as its schedule would at `time` */
  runReminders(time?: Date): Promise<unknown>;
  /** runs a scheduled job of the registry (by its name there, e.g. StillWorkingTexts) now, as its schedule would at `time` */
  runJob(name: string, time?: Date): Promise<unknown>;
  /** the handlers loaded so far, by registry entry, and the file each came from (a bundle when run from an assembly) */
  handlerFiles(): ReadonlyMap<string, string>;
  /** resolves when nothing is under way (no step, scheduled run or receipt running, no delivery queued) and the functions' logs are in their files */
  settled(): Promise<void>;
  /** what the platform has done so far, counted as AWS bills it (started with `meter: true`; otherwise all zero) */
  usage(): Promise<Usage>;
  stop(): Promise<void>;
}

// Handlers are loaded once per process and read their endpoints from the environment, so one
// process runs one platform at a time.
let running = false;

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  if (running) throw new Error('a local platform is already running in this process; stop it first');
  running = true;
  let deployed: Deployed | undefined;
  let deployedVariables: Record<string, string> = {};
  try {
    // read (and refused, saying why) before anything starts
    deployed = options.assembly === undefined ? undefined : readAssembly(options.assembly, functionArn);
    if (deployed) deployedVariables = deployedEnvironment(deployed);
  } catch (error) {
    running = false;
    throw error;
  }
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : undefined;
  const metering = options.meter ? new UsageMeter() : undefined;
  const dynamo = await startDynamo(dataDir ? path.join(dataDir, 'dynamodb') : undefined, { metered: Boolean(metering) });
  // What the functions write goes to their own files (as to their log groups in AWS), not the terminal.
  const logsDir = dataDir ? path.join(dataDir, 'logs') : undefined;
  const logs = logsDir ? new FunctionLogs(logsDir, metering && ((_entry, text) => metering.logged(text))) : undefined;
  const nameOf = new Map(FUNCTIONS.map((fn) => [fn.entry, fn.name]));
  useInvocationHooks({ logs, onInvoked: metering && ((entry, ms) => metering.invoked(nameOf.get(entry) ?? entry, FUNCTION_MEMORY_MB, ms)) });

  const entryByArn = new Map<string, string>();
  const inFlight = new Set<Promise<unknown>>();
  /** An invocation under way (a step, a scheduled run, a receipt): stop() waits for it, so nothing writes to a closed store. */
  const tracked = <T>(call: Promise<T>): Promise<T> => {
    inFlight.add(call);
    call.then(() => inFlight.delete(call), () => inFlight.delete(call));
    return call;
  };
  const substitutions: Record<string, string> = {};
  for (const step of STEPS) {
    substitutions[step.substitution] = functionArn(step.entry);
    entryByArn.set(functionArn(step.entry), step.entry);
  }
  // one definition, one state machine per journey, as in AWS; from an assembly, each as deployed
  // (its substitutions made already, with the same local function ARNs)
  const journeys: JourneyDefinition[] = deployed
    ? deployed.journeys.map(({ journey, definition }) => ({ name: `${journey}-journey`, definition }))
    : JOURNEYS.map((journey) => ({ name: `${journey}-journey`, file: path.join(ROOT, JOURNEY_DEFINITION) }));
  if (deployed) useBundles(new Map([...deployed.functions.values()].map((fn) => [fn.spec.entry, fn.bundle])));
  const sfn = new LocalStepFunctions({
    journeys,
    substitutions,
    taskTimeoutSeconds: options.taskTimeoutSeconds,
    retryIntervalOverrides: options.retryIntervalOverrides,
    journal: dataDir ? new ExecutionJournal(path.join(dataDir, 'executions.jsonl')) : undefined,
    // read here, once: the local Step Functions takes its configuration as options
    debug: Boolean(process.env.DEBUG_JOURNEYS),
    meter: metering,
    invokeFunction: (arn, payload) => {
      const entry = entryByArn.get(arn);
      if (!entry) throw Object.assign(new Error(`Function not found: ${arn}`), { name: 'Lambda.ResourceNotFoundException' });
      const run = () => invoke(entry, payload);
      return tracked(options.interceptStep ? options.interceptStep(entry, payload, run) : run());
    },
  });
  const sns = new LocalSns(path.join(dataDir ?? path.join(ROOT, '.local-data', 'tmp'), 'outbox.jsonl'), {
    // deliveries under way and dead letters survive a restart, as the executions do
    deliveriesFile: dataDir ? path.join(dataDir, 'deliveries.jsonl') : undefined,
    meter: metering,
  });

  // The stand-ins for SFN (awsJson1_0, told apart by X-Amz-Target) and SNS (query protocol), on
  // loopback, for the SDK and the CLI only: a web page's request is refused, as is any addressed
  // to a name other than loopback's.
  const aws = http.createServer(guarded((req, res) => void serveAws(req, res, sfn, sns), { sdkOnly: true }));
  await listen(aws, 0, '127.0.0.1');
  const awsEndpoint = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;

  // Where each function's resources are, named as CDK's binder names them from the registry's
  // needs; the handlers run in this one process, so they share one environment.
  // The pages' styles and script, built (or reused) as CDK builds them for the assets bucket.
  const assets = buildAssets();
  const resources: Record<string, string> = {
    [ENV.caseTable]: TABLE_NAME,
    [ENV.assetPaths]: JSON.stringify(assets.paths),
    [ENV.milestoneTopic]: TOPIC_ARN,
    [ENV.sessionTable]: SESSION_TABLE_NAME,
    // executions start on the journeys' `live` aliases, as CDK's binder tells the functions
    ...Object.fromEntries(JOURNEYS.map((journey) => [journeyStateMachineEnv(journey), liveAliasArn(`${journey}-journey`)])),
  };
  // (the sign-in's addresses need the port, so they are set once the server listens; the origin
  // secret's rotation has nothing here to rotate: CloudFront and WAF do not run locally, and
  // nothing starts it)
  const functionEnvironment = Object.fromEntries(
    FUNCTIONS.flatMap((fn) => fn.needs.flatMap((need) => environmentOf(need, fn.journeys)))
      .filter((name) => name !== ENV.signIn && name !== ENV.originSecretRotation)
      .map((name) => [name, resources[name]]),
  );
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SFN: awsEndpoint,
    AWS_ENDPOINT_URL_SNS: awsEndpoint,
    ...functionEnvironment,
    ...deployedVariables,
  });
  const admin = new DynamoDBClient({ endpoint: dynamo.endpoint });
  await ensureCaseTable(admin, TABLE_NAME);
  await ensureSessionTable(admin, SESSION_TABLE_NAME);
  admin.destroy();

  // The SMS provider's receipts: in AWS its delivery-status log lines reach the receipts function
  // through a CloudWatch Logs subscription, seconds after the text; here a moment after, in the
  // same shape (gzipped JSON), once more if the function fails. Waited for on stop, as steps are.
  for (const receipts of RECEIPTS) {
    const receive = async (event: ReturnType<typeof deliveryStatusLogEvent>) => {
      await new Promise((resolve) => setTimeout(resolve, RECEIPT_DELAY_MS));
      await invoke(receipts.entry, event);
    };
    sns.onText = (text) => {
      const event = deliveryStatusLogEvent(text);
      return tracked(receive(event).catch(() => receive(event)).catch(() => undefined));
    };
  }
  for (const subscriber of SUBSCRIBERS) {
    sns.subscribe({ topicArn: TOPIC_ARN, name: subscriber.name, filterPolicy: subscriber.filterPolicy, deliver: (event) => invoke(subscriber.entry, event) });
  }
  const resumed = sfn.resume();

  const limiter = new RateLimiter(options.rateLimit ?? RATE_LIMITS);
  let signIn: DevSignIn | undefined;
  const host = options.host ?? '127.0.0.1';
  // the address as it goes in a URL; where this machine reaches the server (a wildcard's own address names no one)
  const reachable = WILDCARDS.has(host) ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  // a wildcard listens everywhere but still answers only to loopback names; another address answers to itself too
  const alsoAnswersTo = answersTo(hostName(reachable)) ? [] : [reachable];
  // Before anything runs (the rate limiter, a handler, the outbox): only requests addressed to
  // this machine, so no page on another site can rebind its name to it and read what it serves.
  const api = http.createServer(guarded((req, res) => {
    // What only the local platform has (the outbox, the dead letters, the development sign-in's
    // forms) is not for pages of other sites either, even when they name localhost.
    const localOnly = req.url?.startsWith('/_local/') || (req.url?.startsWith(`${DEV_SIGN_IN_PATH}/`) && req.method !== 'GET' && req.method !== 'HEAD');
    if (localOnly && fromAnotherSite(req, alsoAnswersTo)) {
      return refuse(res, 403, 'cross-site', 'A page of another website cannot use the local platform\'s own addresses. Open them yourself, at the address npm start printed.');
    }
    if (req.url?.startsWith('/_local/outbox')) {
      if (req.method !== 'GET') return send(res, 405, { error: { code: 'method-not-allowed', message: 'The outbox is read-only: use GET.' } }, { allow: 'GET' });
      return send(res, 200, { messages: sns.outbox() });
    }
    if (req.url === '/_local/dead-letters' && req.method === 'GET') {
      return send(res, 200, { deadLetters: sns.deadLetters.map(({ event: _event, ...letter }) => letter) });
    }
    if (req.url === '/_local/dead-letters/redrive' && req.method === 'POST') {
      const count = sns.deadLetters.length;
      void sns.redrive();
      return send(res, 202, { redriving: count });
    }
    if (req.url?.startsWith('/assets/')) return serveAsset(req, res, assets.dir);
    if (req.url?.startsWith(`${DEV_SIGN_IN_PATH}/`) && signIn) {
      return void signIn.serve(req, res).catch(() => send(res, 500, { error: { code: 'internal', message: 'The development sign-in failed.' } }));
    }
    const call = (entry: string, event: APIGatewayProxyEvent) => {
      metering?.apiRequest(`${event.httpMethod} ${event.resource}`);
      return invoke(entry, event) as Promise<APIGatewayProxyResult>;
    };
    serveApi(req, res, call, limiter, { stylesheet: assets.paths['styles.css'] }).catch(() =>
      send(res, 500, { error: { code: 'internal', message: 'Something went wrong on our side. Try again in a few minutes.' } }),
    );
  }, { alsoAnswersTo }));
  api.requestTimeout = 30_000;

  // EventBridge Scheduler's stand-in: each scheduled job on a timer, and once at start.
  const runScheduled = (entry: string, time = new Date()) => tracked(invoke(entry, { time: time.toISOString() }));
  const timers = SCHEDULED.map((job) => {
    void runScheduled(job.entry).catch(() => undefined);
    const timer = setInterval(() => void runScheduled(job.entry).catch(() => undefined), job.everyMinutes * 60_000);
    timer.unref();
    return timer;
  });
  const runJob = async (name: string, time = new Date()) => {
    const job = SCHEDULED.find((fn) => fn.name === name);
    if (!job) throw new Error(`no scheduled job called ${name} in lambdas/functions.ts (${SCHEDULED.map((fn) => fn.name).join(', ')})`);
    return runScheduled(job.entry, time);
  };
  const runReminders = (time = new Date()) => runJob('RenewalReminders', time);
  await listen(api, options.port ?? 3000, host);
  const port = (api.address() as AddressInfo).port;
  const url = `http://${reachable}:${port}`;
  // Caseworkers sign in at localhost (a secure context, so the console's Secure cookies work over
  // plain HTTP); the functions reach the provider on the address the server listens on.
  const siteUrl = `http://localhost:${port}`;
  signIn = new DevSignIn(siteUrl, url);
  process.env[ENV.signIn] = JSON.stringify(signIn.config);

  return {
    url,
    siteUrl,
    resumed,
    awsEndpoint,
    dynamoEndpoint: dynamo.endpoint,
    tableName: TABLE_NAME,
    sfn,
    sns,
    runReminders,
    runJob,
    logsDir,
    handlerFiles: loadedFiles,
    async settled() {
      // a turn of the event loop between checks: a journey's next step starts just after its last ends
      const idle = async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return inFlight.size === 0 && sns.pending() === 0;
      };
      while (!(await idle())) {
        await Promise.allSettled([...inFlight]);
        await sns.settled().catch(() => undefined);
      }
      await logs?.flush();
    },
    // unmetered, every count is zero (a meter told nothing)
    usage: async () => (metering ?? new UsageMeter()).usage(await dynamo.usage()),
    async stop() {
      for (const timer of timers) clearInterval(timer);
      sfn.stop();
      // let steps already running finish their writes, as Lambda would
      await Promise.allSettled([...inFlight]);
      await sns.settled().catch(() => undefined);
      await Promise.all([close(api), close(aws)]);
      await dynamo.close();
      unloadHandlers();
      await logs?.close();
      running = false;
    },
  };
}

/**
 * What the deployed functions are given beyond the resources the platform stands in for: the
 * plain values of their templates' variables (one process, so one environment: functions may not
 * disagree). A function that lacks a variable its needs name, or is given one from a resource the
 * platform has no stand-in for, is refused: it would not run here as it runs in AWS.
 */
function deployedEnvironment(deployed: Deployed): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { spec, environment, where } of deployed.functions.values()) {
    const needed = spec.needs.flatMap((need) => environmentOf(need, spec.journeys));
    const lacking = needed.filter((name) => !(name in environment));
    if (lacking.length > 0) throw new Error(`The deployed function ${spec.name} (${where}) is not given ${lacking.join(', ')}, which its needs in lambdas/functions.ts name`);
    for (const [name, value] of Object.entries(environment)) {
      if (needed.includes(name)) continue; // the platform's stand-in for that resource
      if (typeof value !== 'string') throw new Error(`The deployed function ${spec.name} (${where}) is given ${name} from ${JSON.stringify(value)}, which the local platform has no stand-in for`);
      if (name in values && values[name] !== value) throw new Error(`The deployed functions disagree on ${name} (${JSON.stringify(values[name])}, and ${JSON.stringify(value)} for ${spec.name}); locally every function runs in one process, with one environment`);
      values[name] = value;
    }
  }
  return values;
}

async function serveAws(req: IncomingMessage, res: ServerResponse, sfn: LocalStepFunctions, sns: LocalSns): Promise<void> {
  const body = await readBody(req, 512 * 1024);
  if (body === 'too-large') return send(res, 413, { message: 'too large' });
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith('AWSStepFunctions.')) {
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      request = undefined;
    }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      return send(res, 400, { __type: 'com.amazonaws.states#SerializationException', message: 'The request body must be a JSON object.' }, { 'content-type': 'application/x-amz-json-1.0' });
    }
    try {
      const result = sfn.handle(target.slice('AWSStepFunctions.'.length), request as Record<string, unknown>);
      return send(res, 200, JSON.stringify(result, (_k, v) => (v instanceof Date ? v.getTime() / 1000 : v)), { 'content-type': 'application/x-amz-json-1.0' });
    } catch (error) {
      const type = error instanceof SfnError ? error.type : 'InternalFailure';
      return send(res, error instanceof SfnError ? 400 : 500, { __type: `com.amazonaws.states#${type}`, message: (error as Error).message }, { 'content-type': 'application/x-amz-json-1.0' });
    }
  }
  try {
    return send(res, 200, sns.handle(new URLSearchParams(body.toString('utf8'))), { 'content-type': 'text/xml' });
  } catch (error) {
    const failure = error instanceof SnsError ? error : new SnsError('InternalError', 'Internal error', 500);
    return send(res, failure.status, errorXml(failure), { 'content-type': 'text/xml' });
  }
}

/** Addresses that listen on every interface. */
const WILDCARDS = new Set(['0.0.0.0', '::']);

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** How long after a text its local receipt comes (in AWS: seconds, through CloudWatch Logs). */
const RECEIPT_DELAY_MS = 100;

/**
 * A text's receipt as a CloudWatch Logs subscription delivers SNS's delivery-status log line: the
 * same JSON, gzipped and base64-encoded, so the receipts function reads it as it would in AWS.
 */
function deliveryStatusLogEvent(text: { readonly messageId: string; readonly phoneNumber: string; readonly delivered: boolean; readonly at: string }) {
  const line = {
    notification: { messageId: text.messageId, timestamp: text.at.replace('T', ' ').replace('Z', '') },
    delivery: { destination: text.phoneNumber, smsType: 'Transactional', providerResponse: text.delivered ? 'Message has been accepted by phone carrier' : 'Phone is currently unreachable/unavailable' },
    status: text.delivered ? 'SUCCESS' : 'FAILURE',
  };
  const data = { messageType: 'DATA_MESSAGE', logGroup: `sns/eu-west-2/000000000000/DirectPublishToPhoneNumber${text.delivered ? '' : '/Failure'}`, logEvents: [{ id: text.messageId, timestamp: Date.parse(text.at), message: JSON.stringify(line) }] };
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}
