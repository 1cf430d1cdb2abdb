// The local platform is a server on a developer's laptop, holding citizens' data behind fixed
// development tokens. Each of its servers (the site with the API, the pages, the development
// sign-in and /_local; the Step Functions and SNS stand-ins; DynamoDB) listens on loopback and
// answers only requests addressed to loopback's names, so a page on another site cannot rebind its
// own name to 127.0.0.1 and read them (DNS rebinding); the AWS stand-ins refuse what web pages send.
import http from 'node:http';
import net from 'node:net';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Platform } from '../local/platform';
import { anApplication, startTestPlatform, storedItems, type Api } from './support/platform';

let platform: Platform;
let api: Api;
let port: number;

beforeAll(async () => {
  ({ platform, api } = await startTestPlatform());
  port = Number(new URL(platform.url).port);
}, 60_000);
afterAll(() => platform?.stop());

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request with exactly these headers, Host included (fetch chooses the Host itself). */
function request(endpoint: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const at = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: at.hostname, port: at.port, path, method: options.method ?? 'GET', headers: options.headers, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const hostOf = (endpoint: string) => new URL(endpoint).host;

const expectMisdirected = (answer: Answer) => {
  expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({ status: 421, type: 'application/json; charset=utf-8' });
  expect(JSON.parse(answer.body).error).toEqual({ code: 'misdirected-request', message: expect.stringMatching(/only to this machine's own names: localhost .*127\.0\.0\.1 and \[::1\].*Use http:\/\/localhost:\d+/) });
};

describe('the site (API, pages, /_local, the development sign-in)', () => {
  const ADDRESSES = ['/', '/status/APP-7K3M-9Q2X-4FJT', '/cases?queue=awaiting-decision', '/caseworker', '/performance.json', '/_local/outbox', '/_local/dead-letters', '/dev-sign-in/.well-known/jwks.json', '/assets/nothing.css'];
  const STRANGERS = ['attacker.example', 'attacker.example:3000', 'localhost.attacker.example', '127.0.0.1.nip.io', 'localhost@attacker.example', 'localhost:3000@attacker.example', '192.168.1.20', '0.0.0.0', '[::1].attacker.example', ''];

  it.each(STRANGERS.map((host) => [host || '(empty)', host]))('refuses every address for Host: %s with a 421 JSON error', async (_name, host) => {
    for (const path of ADDRESSES) expectMisdirected(await request(platform.url, path, { headers: { host, authorization: 'Bearer dev-caseworker' } }));
  });

  it('refuses a request with no Host at all', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end('GET /_local/outbox HTTP/1.0\r\n\r\n'));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.[01] 421 /);
    expect(answer).not.toContain('"messages"');
  });

  it('refuses a request line naming another host, whatever the Host header says', async () => {
    expectMisdirected(await request(platform.url, 'http://attacker.example/_local/outbox', { headers: { host: `localhost:${port}` } }));
  });

  it('refuses before any handler runs: a valid application to another name stores nothing', async () => {
    await platform.settled();
    const before = await storedItems(platform);
    const answer = await request(platform.url, '/applications', { method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/json' }, body: JSON.stringify(anApplication()) });
    expectMisdirected(answer);
    await platform.settled();
    expect(await storedItems(platform)).toBe(before);
  });

  it.each([
    ['localhost with the port', () => `localhost:${port}`],
    ['localhost without it', () => 'localhost'],
    ['LOCALHOST in capitals', () => `LOCALHOST:${port}`],
    ['localhost. with the final dot', () => `localhost.:${port}`],
    ['a name under localhost', () => `journeys.localhost:${port}`],
    ['127.0.0.1', () => `127.0.0.1:${port}`],
    ['127.0.0.1 without the port', () => '127.0.0.1'],
    ['[::1]', () => `[::1]:${port}`],
  ])('answers to %s', async (_name, host) => {
    const outbox = await request(platform.url, '/_local/outbox', { headers: { host: host() } });
    expect(outbox.status).toBe(200);
    expect(JSON.parse(outbox.body)).toHaveProperty('messages');
    const status = await request(platform.url, '/', { headers: { host: host(), accept: 'text/html' } });
    expect(status.status).toBe(200);
  });

  it('listens on loopback only', () => {
    for (const endpoint of [platform.url, platform.awsEndpoint, platform.dynamoEndpoint]) expect(new URL(endpoint).hostname).toBe('127.0.0.1');
  });
});

describe('/_local and the development sign-in, for pages of other sites', () => {
  it('refuses a redrive of the dead letters posted by another site, by its Origin or Sec-Fetch-Site (in any case)', async () => {
    const fromElsewhere: Record<string, string>[] = [{ origin: 'http://attacker.example' }, { origin: `http://localhost:${port + 1}` }, { 'sec-fetch-site': 'Cross-Site' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of fromElsewhere) {
      const answer = await request(platform.url, '/_local/dead-letters/redrive', { method: 'POST', headers: { host: `localhost:${port}`, ...headers } });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).error.code).toBe('cross-site');
    }
  });

  it('still lets the developer use them: curl, and a page of the platform itself', async () => {
    expect((await request(platform.url, '/_local/dead-letters/redrive', { method: 'POST', headers: { host: `127.0.0.1:${port}` } })).status).toBe(202);
    expect((await request(platform.url, '/_local/outbox', { headers: { host: `localhost:${port}`, origin: `HTTP://LOCALHOST:${port}`, 'sec-fetch-site': 'Same-Origin' } })).status).toBe(200);
    expect((await request(platform.url, '/_local/outbox', { headers: { host: `localhost:${port}`, 'sec-fetch-site': 'none' } })).status).toBe(200);
  });

  it('refuses the development sign-in\'s form posted by another site', async () => {
    const answer = await request(platform.url, '/dev-sign-in/authorize', { method: 'POST', headers: { host: `localhost:${port}`, origin: 'https://attacker.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=dev-senior' });
    expect(answer.status).toBe(403);
  });
});

describe('the Step Functions and SNS stand-ins', () => {
  it('answer the AWS SDK', async () => {
    const sfn = new SFNClient({ endpoint: platform.awsEndpoint });
    const sns = new SNSClient({ endpoint: platform.awsEndpoint });
    try {
      expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.length).toBeGreaterThan(0);
      expect((await sns.send(new ListTopicsCommand({}))).Topics?.length).toBeGreaterThan(0);
    } finally {
      sfn.destroy();
      sns.destroy();
    }
  });

  it('refuse a request addressed to another name', async () => {
    expectMisdirected(await request(platform.awsEndpoint, '/', { method: 'POST', headers: { host: 'attacker.example', 'x-amz-target': 'AWSStepFunctions.ListStateMachines', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' }));
    expectMisdirected(await request(platform.awsEndpoint, '/', { method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListTopics' }));
  });

  it('refuse what a web page sends, even to 127.0.0.1: a form publishing a text, a script reading the journeys', async () => {
    const host = hostOf(platform.awsEndpoint);
    const texts = platform.sns.outbox().length;
    const publish = await request(platform.awsEndpoint, '/', { method: 'POST', headers: { host, origin: 'null', 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=Publish&PhoneNumber=%2B447700900123&Message=hello' });
    expect(publish.status).toBe(403);
    expect(platform.sns.outbox().length).toBe(texts);
    const read = await request(platform.awsEndpoint, '/', { method: 'POST', headers: { host, 'sec-fetch-site': 'cross-site', 'x-amz-target': 'AWSStepFunctions.ListExecutions', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(read.status).toBe(403);
    expect(JSON.parse(read.body).error.code).toBe('web-page-refused');
  });

  it('answer a body that is not a JSON object with a 400, not a failure', async () => {
    const answer = await request(platform.awsEndpoint, '/', { method: 'POST', headers: { host: hostOf(platform.awsEndpoint), 'x-amz-target': 'AWSStepFunctions.DescribeExecution', 'content-type': 'application/x-amz-json-1.0' }, body: 'null' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).__type).toMatch(/SerializationException$/);
  });
});

describe('the local DynamoDB', () => {
  it('refuses a web page\'s CORS preflight, which dynalite alone would allow from anywhere', async () => {
    const preflight = await request(platform.dynamoEndpoint, '/', {
      method: 'OPTIONS',
      headers: { host: hostOf(platform.dynamoEndpoint), origin: 'https://attacker.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a request addressed to another name', async () => {
    expectMisdirected(await request(platform.dynamoEndpoint, '/', { method: 'POST', headers: { host: 'attacker.example', 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' }));
  });

  it('still answers the AWS SDK: the functions\' and a test\'s', async () => {
    const before = await storedItems(platform);
    expect((await api.submit(anApplication())).status).toBe(202);
    expect(await storedItems(platform)).toBeGreaterThan(before);
  });
});
