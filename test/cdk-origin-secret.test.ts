// CDK assertions for the rotation of the secret CloudFront sends the API (lib/origin-secret-rotation.ts),
// on the prod stage as bin/app.ts builds it, read as one template across its stacks in the region:
// Secrets Manager rotates it monthly with the registry's rotation function, which only Secrets
// Manager may invoke, for that secret; the function may change that one secret, that one web ACL
// and that one distribution; the web ACL's rule accepts either of two values, both the secret;
// and a failed rotation alarms.
import { ROTATIONS, functionNamed } from '../lambdas/functions';
import { ENV } from '../lambdas/environment';
import { FORWARDED_BY_HEADER } from '../lib/web';
import { ROTATION_TIMEOUT_SECONDS } from '../lib/platform-function';
import { flat, synthesiseStage, type Synthesised } from './support/synth';

// CloudFormation is free-form JSON.
type Json = any;

let prod: Synthesised;
let resources: Record<string, Json>;

beforeAll(() => {
  prod = synthesiseStage({ stage: 'prod' });
  resources = prod.regional.Resources;
}, 120_000);

afterAll(() => prod?.dispose());

const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);
const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const only = (type: string): [string, Json] => {
  const found = ofType(type);
  expect([type, found.length]).toEqual([type, 1]);
  return found[0];
};
const spec = functionNamed('OriginSecretRotation');
const rotationFunction = (): [string, Json] => {
  const found = ofType('AWS::Lambda::Function').filter(([, fn]) => fn.Properties.Description === spec.description);
  expect(found).toHaveLength(1);
  return found[0];
};
const statementsOf = (fnId: string): Json[] => {
  const role = resources[fnId].Properties.Role['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => list(policy.Properties.Roles).some((r: Json) => r.Ref === role))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
};

describe('the origin secret', () => {
  it('is rotated every 30 days by the registry\'s rotation function, and not as soon as it is deployed (the first value is resolved into both ends by the deploy)', () => {
    expect(ROTATIONS.map((rotation) => rotation.name)).toEqual(['OriginSecretRotation']);
    const [secretId] = only('AWS::SecretsManager::Secret');
    const [, schedule] = only('AWS::SecretsManager::RotationSchedule');
    const [fnId, fn] = rotationFunction();
    expect(schedule.Properties).toEqual({ SecretId: { Ref: secretId }, RotationLambdaARN: { 'Fn::GetAtt': [fnId, 'Arn'] }, RotationRules: { ScheduleExpression: 'rate(30 days)' }, RotateImmediatelyOnUpdate: false });
    // Secrets Manager checks it may invoke the function when the schedule is made
    const [permissionId] = ofType('AWS::Lambda::Permission').find(([, permission]) => permission.Properties.Principal === 'secretsmanager.amazonaws.com')!;
    expect(schedule.DependsOn).toEqual(expect.arrayContaining([fnId, permissionId]));
    // testSecret waits for CloudFront to deploy to every edge
    expect(fn.Properties.Timeout).toBe(ROTATION_TIMEOUT_SECONDS);
    expect(ROTATION_TIMEOUT_SECONDS).toBe(900);
  });

  it('lets only Secrets Manager invoke the rotation function, and only for this secret', () => {
    const [secretId] = only('AWS::SecretsManager::Secret');
    const [fnId] = rotationFunction();
    const permissions = ofType('AWS::Lambda::Permission').filter(([, permission]) => JSON.stringify(permission.Properties.FunctionName).includes(`"${fnId}"`));
    expect(permissions.map(([, permission]) => permission.Properties)).toEqual([
      { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, Principal: 'secretsmanager.amazonaws.com', SourceArn: { Ref: secretId } },
    ]);
  });

  it('lets the rotation change exactly the one secret, the one web ACL and the one distribution, and nothing on "*" but X-Ray', () => {
    const [fnId] = rotationFunction();
    const [secretId] = only('AWS::SecretsManager::Secret');
    const [aclId] = only('AWS::WAFv2::WebACL');
    const [distributionId] = only('AWS::CloudFront::Distribution');
    const granted = statementsOf(fnId)
      .filter((statement) => !list(statement.Action).every((action: string) => action.startsWith('logs:') || action.startsWith('xray:')))
      .map((statement) => [statement.Effect, list(statement.Action).sort(), list(statement.Resource).map(flat)]);
    expect(granted).toEqual([
      ['Allow', ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'], [`\${${secretId}}`]],
      ['Allow', ['wafv2:GetWebACL', 'wafv2:UpdateWebACL'], [`\${${aclId}.Arn}`]],
      ['Allow', ['cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'], [`arn:aws:cloudfront::\${AWS::AccountId}:distribution/\${${distributionId}}`]],
    ]);
    const onEverything = statementsOf(fnId).filter((statement) => list(statement.Resource).includes('*'));
    expect(onEverything.flatMap((statement) => list(statement.Action)).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('tells the rotation function which web ACL, distribution and header, and nothing else', () => {
    const [, fn] = rotationFunction();
    const [aclId, acl] = only('AWS::WAFv2::WebACL');
    const [distributionId] = only('AWS::CloudFront::Distribution');
    const variables = fn.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual([ENV.originSecretRotation, ENV.stage].sort());
    expect(JSON.parse(flat(variables[ENV.originSecretRotation]))).toEqual({
      webAcl: { name: acl.Properties.Name, id: `\${${aclId}.Id}`, scope: 'REGIONAL' },
      distributionId: `\${${distributionId}}`,
      headerName: FORWARDED_BY_HEADER,
    });
  });

  it("is what CloudFront sends the API, and either of the two values the API's web ACL accepts, both the secret", () => {
    const [secretId] = only('AWS::SecretsManager::Secret');
    const secret = `{{resolve:secretsmanager:\${${secretId}}:SecretString:::}}`;
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const headers = distribution.Properties.DistributionConfig.Origins.flatMap((origin: Json) => origin.OriginCustomHeaders ?? []);
    expect(headers.map((header: Json) => [header.HeaderName, flat(header.HeaderValue)])).toEqual([[FORWARDED_BY_HEADER, secret]]);
    const [, acl] = only('AWS::WAFv2::WebACL');
    const exemptions = (acl.Properties.Rules as Json[]).filter((rule) => rule.Statement.RateBasedStatement).map((rule) => rule.Statement.RateBasedStatement.ScopeDownStatement.AndStatement.Statements.find((s: Json) => s.NotStatement).NotStatement.Statement);
    expect(exemptions.length).toBeGreaterThan(0);
    for (const exemption of exemptions) {
      expect(exemption.OrStatement.Statements.map((s: Json) => [s.ByteMatchStatement.FieldToMatch.SingleHeader.Name, s.ByteMatchStatement.PositionalConstraint, flat(s.ByteMatchStatement.SearchString)])).toEqual([
        [FORWARDED_BY_HEADER, 'EXACTLY', secret],
        [FORWARDED_BY_HEADER, 'EXACTLY', secret],
      ]);
    }
  });

  it('alarms when a rotation fails, at its first error, saying nobody is turned away and what to do', () => {
    const [fnId] = rotationFunction();
    for (const metric of ['Errors', 'Throttles']) {
      const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, alarm]) => alarm.Properties.MetricName === metric && JSON.stringify(alarm.Properties.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fnId } }]));
      expect([metric, alarms.length]).toEqual([metric, 1]);
      const [[, alarm]] = alarms;
      expect([metric, alarm.Properties.Threshold, alarm.Properties.AlarmName]).toEqual([metric, 1, `journey-tracker-prod-OriginSecretRotation${metric}`]);
      expect(flat(alarm.Properties.AlarmDescription)).toMatch(/nobody is turned away.*aws secretsmanager rotate-secret/);
    }
  });

  it('no longer acknowledges cdk-nag\'s finding that the secret is not rotated', () => {
    const [, secret] = only('AWS::SecretsManager::Secret');
    expect(JSON.stringify(secret.Metadata ?? {})).not.toContain('SMG4');
  });
});
