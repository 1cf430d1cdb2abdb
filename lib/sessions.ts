// The caseworker console's sessions: one item per signed-in browser, found by a hash of its cookie
// (lambdas/adapters/aws/session-table.ts), gone some time after it expires (DynamoDB's TTL; reads
// check the times themselves).
//
// Unlike the case table, this is disposable, so it is destroyed with the stack and has no
// point-in-time recovery: losing it only signs everyone out, and restoring it would bring back
// sessions that had been signed out or revoked.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SESSION_TABLE } from '../lambdas/adapters/aws/session-table';
import { acknowledge } from './acknowledge';

export class ConsoleSessions extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: { readonly key: IKey }) {
    super(scope, id);
    this.table = new Table(this, 'Sessions', {
      partitionKey: { name: SESSION_TABLE.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // the cases key: a session names its caseworker (the binder grants the key through the table)
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      timeToLiveAttribute: SESSION_TABLE.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(this.table, {
      'AwsSolutions-DDB3': 'Disposable on purpose: losing the sessions only signs caseworkers out, and restoring them would bring back sessions that had been signed out or revoked.',
    });
  }
}
