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
  readonly stage: string;
  /** retained when the stack goes (prod); emptied and destroyed with it otherwise */
  readonly keepsData: boolean;
}

/**
 * The assets bucket's name, the same in both stacks of a stage: the web stack names it rather than
 * referring to the data stack's bucket (see above), and so do the permissions that write to it.
 */
export function assetsBucketName(scope: Construct, stage: string): string {
  const stack = Stack.of(scope);
  return `journey-tracker-${stage}-assets-${stack.account}-${stack.region}`;
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
    this.assets = new Bucket(this, 'Assets', {
      bucketName: assetsBucketName(this, props.stage),
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
