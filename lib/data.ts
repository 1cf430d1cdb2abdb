// The stateful part: the one case table. Everything else in the stack can be replaced freely;
// this is retained on delete and protected from deletion, with point-in-time recovery.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { CASE_TABLE } from '../lambdas/adapters/aws/case-table';

export class CaseData extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Cases', {
      partitionKey: { name: CASE_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: CASE_TABLE.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
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
