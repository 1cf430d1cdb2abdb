// CDK assertions for the SMS delivery receipts (lib/sms-receipts.ts), on the prod stage as
// bin/app.ts builds it: SNS may write its SMS delivery-status logs to exactly the two log groups
// it names, the account's SMS attributes name that role and log every successful text, the log
// groups are made if SNS has not made them already and either way kept a month on the logs key
// (never created by CloudFormation, so an account that has texted before, or a prod deployed again
// after a teardown, does not fail on them), each is subscribed to the SmsReceipts function, whose
// failures are kept in the FailedReceipts queue, and alarmed on.
import type { CfnElement } from 'aws-cdk-lib';
import { flat, synthesiseStage, type Synthesised } from './support/synth';
import { SMS_DELIVERY_LOG_ACTIONS } from '../lib/sms-receipts';

// CloudFormation is free-form JSON.
type Json = any;

let prod: Synthesised;
let app: Json;

beforeAll(() => {
  prod = synthesiseStage({ stage: 'prod' });
  // the stage's stacks in its region as one (the alarms are the monitoring stack's), each weak reference between them followed
  app = prod.regional;
}, 120_000);

afterAll(() => prod?.dispose());

const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);
const ofType = (type: string): [string, Json][] => Object.entries(app.Resources).filter(([, resource]: [string, Json]) => resource.Type === type);
/** The one resource of `type` whose logical id starts with `prefix`. */
const only = (type: string, prefix: string): [string, Json] => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  expect([prefix, found.length]).toEqual([prefix, 1]);
  return found[0];
};

const DELIVERED = 'sns/eu-west-2/${AWS::AccountId}/DirectPublishToPhoneNumber';
const FAILED = `${DELIVERED}/Failure`;
/** The log group's ARN, and its streams' (log-group:<name>:*), as CloudWatch Logs names them. */
const groupArn = (name: string) => `arn:aws:logs:eu-west-2:\${AWS::AccountId}:log-group:${name}`;
/** The SDK calls the custom resources make on the log group `name`, by event (Create, Update, Delete), each as JSON with ${...} for references. */
const callsOn = (template: Json, name: string): Record<string, Json[]> => {
  const calls: Record<string, Json[]> = { Create: [], Update: [], Delete: [] };
  for (const [, resource] of Object.entries<Json>(template.Resources).filter(([, r]) => r.Type === 'Custom::AWS')) {
    for (const event of Object.keys(calls)) {
      const call = resource.Properties[event] && JSON.parse(flat(resource.Properties[event]));
      if (call?.parameters?.logGroupName === name) calls[event].push({ ...call, dependsOn: resource.DependsOn ?? [] });
    }
  }
  return calls;
};
const receiptsFunction = () => only('AWS::Lambda::Function', 'SmsReceipts');
const deliveryStatusRole = (): [string, Json] => {
  const roles = ofType('AWS::IAM::Role').filter(([, role]) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('sns.amazonaws.com'));
  expect(roles).toHaveLength(1);
  return roles[0];
};

describe('SMS delivery receipts', () => {
  it('makes the two log groups SNS writes SMS delivery-status logs to, as SNS names them, only if SNS has not made them already, and keeps each a month on the logs key either way', () => {
    const { data } = prod.stacks;
    const logsKey = `\${${data.getLogicalId(data.keys.logs.node.defaultChild as CfnElement)}.Arn}`;
    for (const name of [DELIVERED, FAILED]) {
      // never CloudFormation's to create: it would fail on a group SNS made, or that prod kept after a teardown
      expect(ofType('AWS::Logs::LogGroup').filter(([, group]) => group.Properties.LogGroupName && flat(group.Properties.LogGroupName) === name)).toEqual([]);
      const { Create, Update, Delete } = callsOn(app, name);
      const withoutOrder = (calls: Json[]) => calls.map(({ dependsOn: _dependsOn, physicalResourceId: _id, ...call }) => call).sort((a, b) => a.action.localeCompare(b.action));
      const expected = [
        { service: 'CloudWatchLogs', action: 'associateKmsKey', parameters: { logGroupName: name, kmsKeyId: logsKey } },
        { service: 'CloudWatchLogs', action: 'createLogGroup', parameters: { logGroupName: name, kmsKeyId: logsKey }, ignoreErrorCodesMatching: 'ResourceAlreadyExistsException' },
        { service: 'CloudWatchLogs', action: 'putRetentionPolicy', parameters: { logGroupName: name, retentionInDays: 30 } },
      ];
      expect([name, withoutOrder(Create)]).toEqual([name, expected]);
      expect([name, withoutOrder(Update)]).toEqual([name, expected]);
      // prod keeps them, with the receipts of the texts before a teardown
      expect([name, Delete]).toEqual([name, []]);
      // each call may do what it does to this group only
      const policies = ofType('AWS::IAM::Policy').filter(([, policy]) => Create.some((call) => call.dependsOn.includes(policy.Properties.PolicyName)));
      expect(policies.flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement).map((statement: Json) => [statement.Action, list(statement.Resource).map(flat)]).sort()).toEqual(
        [['logs:AssociateKmsKey'], ['logs:CreateLogGroup'], ['logs:PutRetentionPolicy']].map(([action]) => [action, [groupArn(name), `${groupArn(name)}:*`]]).sort(),
      );
    }
  });

  it('gives a group its retention and key only once it is there, and subscribes to it only then', () => {
    for (const name of [DELIVERED, FAILED]) {
      const ids = Object.entries<Json>(app.Resources).filter(([, r]) => r.Type === 'Custom::AWS' && flat(r.Properties.Create).includes(`"logGroupName":"${name}"`));
      expect(ids).toHaveLength(3);
      const made = ids.find(([, r]) => flat(r.Properties.Create).includes('createLogGroup'))![0];
      for (const [id, resource] of ids.filter(([candidate]) => candidate !== made)) expect([id, resource.DependsOn]).toEqual([id, expect.arrayContaining([made])]);
      const filters = ofType('AWS::Logs::SubscriptionFilter').filter(([, filter]) => flat(filter.Properties.LogGroupName) === name);
      expect(filters).toHaveLength(1);
      for (const [id] of ids) expect([name, filters[0][1].DependsOn]).toEqual([name, expect.arrayContaining([id])]);
    }
  });

  it('deletes the groups with a dev stage that owns them, and only then', () => {
    const owning = synthesiseStage({ stage: 'dev', context: { smsDeliveryReceiptsStages: ['dev'] } });
    try {
      for (const name of [DELIVERED, FAILED]) {
        const { Delete } = callsOn(owning.regional, name);
        expect([name, Delete.map(({ action, parameters, ignoreErrorCodesMatching }: Json) => ({ action, parameters, ignoreErrorCodesMatching }))]).toEqual([
          name,
          [{ action: 'deleteLogGroup', parameters: { logGroupName: name }, ignoreErrorCodesMatching: 'ResourceNotFoundException' }],
        ]);
      }
    } finally {
      owning.dispose();
    }
  }, 120_000);

  it('lets the logs key be used by CloudWatch Logs for those log groups', () => {
    const statement = Object.values(prod.templates.data.Resources as Record<string, Json>)
      .filter((resource) => resource.Type === 'AWS::KMS::Key')
      .flatMap((key) => key.Properties.KeyPolicy.Statement)
      .find((s: Json) => s.Sid === 'CloudWatchLogsUseTheKey');
    const pattern = flat(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']);
    const matches = (arn: string) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(arn);
    for (const name of [DELIVERED, FAILED]) expect([name, matches(`arn:aws:logs:eu-west-2:\${AWS::AccountId}:log-group:${name}`)]).toEqual([name, true]);
  });

  it('lets SNS, and only SNS, write the delivery logs to exactly those two log groups and their streams', () => {
    const [roleId, role] = deliveryStatusRole();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' } }]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, policy]) => list(policy.Properties.Roles).some((r: Json) => r.Ref === roleId))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement.Effect).toBe('Allow');
    expect(list(statement.Action).sort()).toEqual([...SMS_DELIVERY_LOG_ACTIONS].sort());
    expect(SMS_DELIVERY_LOG_ACTIONS).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy']);
    // each group, and its streams (log-group:<name>:*)
    expect(list(statement.Resource).map(flat).sort()).toEqual([groupArn(DELIVERED), groupArn(FAILED), `${groupArn(DELIVERED)}:*`, `${groupArn(FAILED)}:*`].sort());
  });

  it("names that role in the account's SMS attributes on create and update, logging every successful text, and changes nothing on delete", () => {
    const [roleId] = deliveryStatusRole();
    const [id, resource] = only('Custom::AWS', 'SmsReceiptsSmsDeliveryStatusLogging');
    for (const event of ['Create', 'Update']) {
      const call = JSON.parse(flat(resource.Properties[event]).replace(`\${${roleId}.Arn}`, 'ROLE'));
      expect([event, call]).toEqual([
        event,
        {
          service: 'SNS',
          action: 'setSMSAttributes',
          parameters: { attributes: { DeliveryStatusIAMRole: 'ROLE', DeliveryStatusSuccessSamplingRate: '100' } },
          physicalResourceId: { id: 'sms-delivery-status-logging' },
        },
      ]);
    }
    expect(resource.Properties.Delete).toBeUndefined();
    expect(resource.Properties.InstallLatestAwsSdk).toBe(false);
    // its policy: SetSMSAttributes (the account's settings have no ARN), and passing the one role to SNS
    const policies = ofType('AWS::IAM::Policy').filter(([, policy]) => (resource.DependsOn ?? []).includes(policy.Properties.PolicyName));
    expect(policies).toHaveLength(1);
    expect([id, policies[0][1].Properties.PolicyDocument.Statement]).toEqual([
      id,
      [
        { Action: 'sns:SetSMSAttributes', Effect: 'Allow', Resource: '*' },
        { Action: 'iam:PassRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [roleId, 'Arn'] }, Condition: { StringEquals: { 'iam:PassedToService': 'sns.amazonaws.com' } } },
      ],
    ]);
  });

  it('subscribes the SmsReceipts function to every event of each log group, and lets CloudWatch Logs invoke it from those groups only', () => {
    const [fnId] = receiptsFunction();
    const filters = ofType('AWS::Logs::SubscriptionFilter');
    expect(filters.map(([, filter]) => [flat(filter.Properties.LogGroupName), filter.Properties.DestinationArn, filter.Properties.FilterPattern]).sort()).toEqual(
      [DELIVERED, FAILED].map((name) => [name, { 'Fn::GetAtt': [fnId, 'Arn'] }, '']).sort(),
    );
    const permissions = ofType('AWS::Lambda::Permission').filter(([, permission]) => permission.Properties.Principal === 'logs.amazonaws.com');
    expect(permissions.map(([, permission]) => [permission.Properties.FunctionName, flat(permission.Properties.SourceArn)]).sort()).toEqual(
      [DELIVERED, FAILED].map((name) => [{ 'Fn::GetAtt': [fnId, 'Arn'] }, `${groupArn(name)}:*`]).sort(),
    );
  });

  it('keeps receipts it could not record after two retries in the encrypted FailedReceipts queue, and alarms on them waiting there', () => {
    const [fnId] = receiptsFunction();
    const [queueId, queue] = only('AWS::SQS::Queue', 'SmsReceiptsFailedReceipts');
    const messagesKey = prod.stacks.data.getLogicalId(prod.stacks.data.keys.messages.node.defaultChild as CfnElement);
    expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [messagesKey, 'Arn'] });
    const configs = ofType('AWS::Lambda::EventInvokeConfig').filter(([, config]) => config.Properties.FunctionName.Ref === fnId);
    expect(configs.map(([, config]) => [config.Properties.MaximumRetryAttempts, config.Properties.DestinationConfig.OnFailure.Destination])).toEqual([[2, { 'Fn::GetAtt': [queueId, 'Arn'] }]]);
    const [, alarm] = only('AWS::CloudWatch::Alarm', 'MonitoringFailedReceiptsVisible');
    expect(alarm.Properties).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }] });
  });

  it('alarms on the function failing or being throttled, saying a delivery is unknown until it is recorded', () => {
    const [fnId] = receiptsFunction();
    for (const metric of ['Errors', 'Throttles']) {
      const [, alarm] = only('AWS::CloudWatch::Alarm', `MonitoringSmsReceipts${metric}`);
      expect([metric, alarm.Properties]).toMatchObject([metric, { Namespace: 'AWS/Lambda', MetricName: metric, Threshold: 5, Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }] }]);
      expect(flat(alarm.Properties.AlarmDescription)).toContain('FailedReceipts');
    }
  });

  it('leaves the account\'s delivery logs to the one stage that owns them: dev, by default, deploys the function but switches nothing on', () => {
    const dev = synthesiseStage({ stage: 'dev' });
    try {
      const devApp = dev.templates.app as Json;
      const types = Object.values(devApp.Resources).map((resource: Json) => resource.Type);
      expect(types).not.toContain('AWS::Logs::SubscriptionFilter');
      expect(types).not.toContain('Custom::AWS');
      expect(JSON.stringify(devApp)).not.toContain('DirectPublishToPhoneNumber');
      expect(Object.keys(devApp.Resources).some((id) => id.startsWith('SmsReceipts') && devApp.Resources[id].Type === 'AWS::Lambda::Function')).toBe(true);
      // and a stage named in cdk.json's smsDeliveryReceiptsStages owns them
      const owning = synthesiseStage({ stage: 'dev', context: { smsDeliveryReceiptsStages: ['dev'] } });
      try {
        expect(Object.values(owning.templates.app.Resources).filter((resource: Json) => resource.Type === 'AWS::Logs::SubscriptionFilter')).toHaveLength(2);
      } finally {
        owning.dispose();
      }
    } finally {
      dev.dispose();
    }
  }, 240_000);
});
