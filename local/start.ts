// `npm start`: the whole platform on this machine, on http://localhost:3000 (PORT overrides),
// with its data kept under .local-data/ between runs. ASSEMBLY=<dir> runs what `cdk synth -o
// <dir>` built instead of the sources: the deployed journey definitions and function bundles.
// It listens on loopback only; HOST=<an address of this machine> listens there instead.
import path from 'node:path';
import { startPlatform } from './platform';
import { PAGES, ROUTES } from '../lambdas/functions';
import { answersTo, hostName } from './loopback.cjs';
import { exampleDetails, requireService, serviceCodesOffering } from '../lambdas/domain/services/catalogue';

/** An application to try the API with: the catalogue's first service that takes them, with its examples. */
function exampleApplication() {
  const service = requireService(serviceCodesOffering('application')[0]);
  return { service: service.code, applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123', language: 'en' }, details: exampleDetails(service) };
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = path.resolve(__dirname, '..', process.env.DATA_DIR ?? '.local-data');
  const assembly = process.env.ASSEMBLY ? path.resolve(process.env.ASSEMBLY) : undefined;
  const host = process.env.HOST ?? '127.0.0.1';
  const platform = await startPlatform({ port, host, dataDir, assembly });
  const base = platform.siteUrl;
  // (a client on the network can send any Host it likes: the loopback names stop browsers, not it)
  const exposed = !answersTo(hostName(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host));
  const lines = [
    '',
    'Journey tracker is running locally.',
    '',
    `  Pages               ${base}/   (open it in a browser: check a status, apply, renew, appeal, answer; ?lang=cy for Welsh)`,
    ...PAGES.filter((p) => p.access === 'public' && !p.entry.includes('caseworker')).map((p) => `    ${p.routes.map((r) => `${r.method} ${r.path}`).join(', ')}`),
    `  Caseworker console  ${base}/caseworker   (sign in as dev-caseworker or dev-senior: the development sign-in stands in for Cognito)`,
    `  API                 ${base}`,
    ...ROUTES.map((r) => `    ${r.method.padEnd(5)} ${r.path.padEnd(30)} ${r.access === 'caseworker' ? '(caseworker) ' : ''}${r.description}`),
    `  SMS outbox          ${base}/_local/outbox   (file: ${path.relative(process.cwd(), path.join(dataDir, 'outbox.jsonl'))})`,
    `  DynamoDB (dynalite) ${platform.dynamoEndpoint}   data in ${path.relative(process.cwd(), dataDir)}/dynamodb`,
    `  Function logs       ${path.relative(process.cwd(), path.join(dataDir, 'logs'))}/   (one file per function, as its log group in AWS: its log lines and metrics)`,
    `  Step Functions, SNS ${platform.awsEndpoint}   (local stand-ins; every journey runs ${assembly ? `its definition in ${path.relative(process.cwd(), assembly)}` : 'statemachines/journey.asl.json'})`,
    ...(assembly ? [`  Running             the functions and journeys synthesised in ${path.relative(process.cwd(), assembly) || '.'}, not the sources`] : []),
    '',
    ...(exposed
      ? [
          `HOST=${host}: listening there, not on loopback only. Anyone on the network who can reach it can read`,
          'citizens\' data here with the development tokens: use it only on a network you trust.',
          '',
        ]
      : []),
    'Caseworker API tokens: Authorization: Bearer dev-caseworker   or   Bearer dev-senior',
    '',
    'Try:',
    `  curl -s -X POST ${base}/applications -H 'content-type: application/json' \\`,
    `    -d '${JSON.stringify(exampleApplication())}'`,
    '',
    `Ctrl-C stops it; what it stored stays in ${path.relative(process.cwd(), dataDir) || '.'}/.`,
    '',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error?.code === 'EADDRINUSE' ? `Port ${process.env.PORT ?? 3000} is in use. Set PORT to use another, e.g. PORT=3100 npm start` : error);
  process.exit(1);
});
