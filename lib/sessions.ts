// The caseworker console's sessions: one item per signed-in browser, found by a hash of its cookie
// (lambdas/adapters/aws/session-table.ts), gone some time after it expires (DynamoDB's TTL; reads
// check the times themselves).
//
// Unlike the case table, this is disposable, so it is destroyed with the stack and has no
// point-in-time recovery: losing it only signs everyone out, and restoring it would bring back
// sessions that had been signed out or revoked.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { SESSION_TABLE } from '../lambdas/adapters/aws/session-table';

export class ConsoleSessions extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Sessions', {
      partitionKey: { name: SESSION_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // AWS managed for now, as the case table; a customer-managed key is a later change (the
      // binder grants through the table, so the key's grant would follow).
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: SESSION_TABLE.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
