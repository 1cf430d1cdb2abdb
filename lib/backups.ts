// AWS Backup for the case table, where the stage keeps data (prod): daily backups kept five weeks
// and monthly ones kept a year, in a vault of its own encrypted with a key of its own (the data
// stack's backups key) and retained with the data. The vault's access policy refuses everyone,
// administrators included, the deletion of a recovery point or a shorter lifecycle for it: backups
// go only when their lifecycle says so. Point-in-time recovery (35 days, lib/data.ts) covers a bad
// write; these cover a table deleted or corrupted unnoticed for longer.
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';

export interface BackupsProps {
  readonly table: ITable;
  /** the vault's key (DataKeys.backups) */
  readonly key: IKey;
  readonly stage: string;
}

export class Backups extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    this.vault = new BackupVault(this, 'Vault', {
      // The vault is kept when its stack goes, and a vault's name is unique in the account and
      // region: so the name ends with the last part of the stack's id, new for each stack created,
      // and a stage deployed again after a teardown makes a vault of its own beside the old one
      // (whose recovery points stay restorable). 33 characters of the 50 a name may have.
      backupVaultName: `journey-tracker-${props.stage}-${Fn.select(4, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))))}`,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
      blockRecoveryPointDeletion: true,
    });
    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: `journey-tracker-${props.stage}-cases`,
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({ ruleName: 'Daily', scheduleExpression: Schedule.cron({ hour: '2', minute: '0' }), deleteAfter: Duration.days(35) }),
        new BackupPlanRule({ ruleName: 'Monthly', scheduleExpression: Schedule.cron({ day: '1', hour: '3', minute: '0' }), deleteAfter: Duration.days(365) }),
      ],
    });
    const selection = this.plan.addSelection('CaseTable', { resources: [BackupResource.fromDynamoDbTable(props.table)] });
    acknowledge(selection, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]':
        "AWS Backup's own managed policy for the role it backs up with, as AWS documents it: AWS keeps it in step with what each service's backup needs.",
    });
  }
}
