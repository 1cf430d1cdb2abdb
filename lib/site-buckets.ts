// The site's buckets, in the data stack: the static assets CloudFront serves, and the access logs
// of CloudFront and of the assets bucket (who asked for what, when: kept for investigations).
//
// The assets bucket lets CloudFront's origin access control read it from any distribution of
// this account, not one named distribution: the distribution is in the web stack, and naming it
// here would make the data stack depend on the web stack, which depends on the data stack. The
// assets are public files (styles, script, fonts), so the wider grant gives away nothing.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SiteBucketsProps {
  /** retained when the stack goes (prod); emptied and destroyed with it otherwise */
  readonly keepsData: boolean;
}

/** How long access logs are kept: long enough to look into a complaint or an incident. */
export const ACCESS_LOG_DAYS = 90;

export class SiteBuckets extends Construct {
  readonly assets: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: SiteBucketsProps) {
    super(scope, id);
    const lifetime = props.keepsData ? { removalPolicy: RemovalPolicy.RETAIN } : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront's standard logs can only go to a bucket with S3-managed keys, and written with ACLs
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: false,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      ...lifetime,
    });
    // Named by CloudFormation, not by us: prod keeps the bucket when its stack goes, and a name of
    // our own would be in the way of the stage deployed again. The web stack imports it by the
    // name CloudFormation gave it (a weak reference), never as this object (see above).
    this.assets = new Bucket(this, 'Assets', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'assets-bucket/',
      // Only CloudFront reads it (origin access control); no website hosting.
      ...lifetime,
    });
    const stack = Stack.of(this);
    this.assets.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudFrontReadsTheAssets',
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.assets.arnForObjects('*')],
        conditions: { StringLike: { 'AWS:SourceArn': `arn:${stack.partition}:cloudfront::${stack.account}:distribution/*` } },
      }),
    );
  }
}
