// The platform's own metrics in AWS carry the stage as well as the service, so each stage's alarms
// (lib/monitoring.ts) count only its own cases when dev and prod share an account; locally there
// is no stage, and the metrics are as before.
import { ENV } from '../lambdas/environment';

/** The embedded-metric-format lines a fresh adapter writes for one count, with STAGE as given. */
function emitted(stage: string | undefined, dimensions?: Record<string, string>): any[] {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (lines.push(String(chunk)), true));
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  const before = process.env[ENV.stage];
  try {
    if (stage === undefined) delete process.env[ENV.stage];
    else process.env[ENV.stage] = stage;
    jest.isolateModules(() => {
      const { CloudWatchMetrics } = require('../lambdas/adapters/aws/metrics');
      if (dimensions) new CloudWatchMetrics().count('DecidedWithinStandard', 0, dimensions);
      else new CloudWatchMetrics().count('CasesOnHold');
    });
  } finally {
    if (before === undefined) delete process.env[ENV.stage];
    else process.env[ENV.stage] = before;
    write.mockRestore();
    log.mockRestore();
  }
  return lines.flatMap((line) => line.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
}

it('counts under the service and the stage in AWS, where STAGE is set', () => {
  const [metric] = emitted('prod');
  expect(metric._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'JourneyTracker', Dimensions: [expect.arrayContaining(['service', 'stage'])] });
  expect(metric).toMatchObject({ service: 'journey-tracker', stage: 'prod', CasesOnHold: 1 });
});

it('counts under the service alone locally, where there is no stage', () => {
  const [metric] = emitted(undefined);
  expect(metric._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
  expect(metric.stage).toBeUndefined();
});

it('counts a decision under the service, the stage and the service journey, the dimensions its alarm watches', () => {
  const [metric] = emitted('prod', { serviceCode: 'parking-permit', journey: 'application' });
  expect([...metric._aws.CloudWatchMetrics[0].Dimensions[0]].sort()).toEqual(['journey', 'service', 'serviceCode', 'stage']);
  expect(metric).toMatchObject({ service: 'journey-tracker', stage: 'prod', serviceCode: 'parking-permit', journey: 'application', DecidedWithinStandard: 0 });
});
