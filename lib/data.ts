// The one case table, in the data stack. With point-in-time recovery in every stage, encrypted
// with the cases key; where the stage keeps data (prod), retained on delete and protected from
// deletion (and backed up: lib/backups.ts).
import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';

export interface CaseDataProps {
  readonly key: IKey;
  /** retained on delete and protected from deletion (prod); destroyed with its stack otherwise */
  readonly keepsData: boolean;
}

export class CaseData extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: CaseDataProps) {
    super(scope, id);
    this.table = new Table(this, 'Cases', {
      partitionKey: { name: CASE_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      timeToLiveAttribute: CASE_TABLE.timeToLiveAttribute,
      deletionProtection: props.keepsData,
      removalPolicy: props.keepsData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: CASE_TABLE.queueIndex.name,
      partitionKey: { name: CASE_TABLE.queueIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CASE_TABLE.queueIndex.sortKey, type: AttributeType.STRING },
      // INCLUDE rather than ALL keeps personal data out of the queue index.
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...CASE_TABLE.queueIndexAttributes],
    });
  }
}
