// The props of the constructs that wire the stacks' concerns together, in one place, so the
// shape of the stacks reads from one file: what each concern needs from the others. (The stacks'
// own props are beside them: lib/data-stack.ts, lib/journeys-stack.ts, lib/web-stack.ts, lib/monitoring-stack.ts.)
import type { IRestApi, RestApi, Stage } from 'aws-cdk-lib/aws-apigateway';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IUserPool, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Journey } from '../lambdas/domain/shared/reference';
import type { BuiltAssets } from '../web/build';
import type { PlatformFunction, PlatformResources } from './platform-function';

/** The state machine that runs each journey. */
export type JourneyStateMachines = Readonly<Record<Journey, StateMachine>>;

export interface NotificationsProps {
  readonly table: ITable;
  /** encrypts the milestone topic and the dead-letter queues */
  readonly key: IKey;
  /** the stage, for the notifier's metrics */
  readonly stage?: string;
  /** AWS accounts of other agencies allowed to subscribe to the milestone feed */
  readonly feedSubscriberAccounts?: readonly string[];
}

export interface JourneysProps {
  readonly resources: PlatformResources;
}

export interface CaseworkersProps {
  /** the hosted sign-in domain's prefix (<prefix>.auth.<region>.amazoncognito.com); the stack's name and account when none */
  readonly signInDomainPrefix?: string;
  /** retained on delete and protected from deletion (prod) */
  readonly keepsData: boolean;
}

export interface ConsoleSignInProps {
  readonly userPool: IUserPool;
  readonly signInDomain: UserPoolDomain;
  /** the site's address without a trailing slash (Web.siteUrl): the console is there, and sign-in returns there */
  readonly siteUrl: string;
}

export interface ApiRoutesProps {
  /** with the journeys' state machines, which the API starts and answers, and the console's sessions and sign-in */
  readonly resources: PlatformResources;
  /** whose ID tokens the JSON caseworker API takes */
  readonly caseworkerPool: IUserPool;
}

export interface WebProps {
  /**
   * the pages and the API, the distribution's default origin. Only the REST API itself, not its
   * stage: the stage depends on every route's function, and the console's functions are told the
   * site's address, so a reference to the stage would be a circular dependency.
   */
  readonly api: IRestApi;
  /** the stage's name, the origin's path: a plain string, for the same reason */
  readonly apiStageName: string;
  /** the fingerprinted static assets (web/build.ts), uploaded to the assets bucket */
  readonly assets: BuiltAssets;
  /** the data stack's assets bucket's name (lib/site-buckets.ts, a weak reference), whose policy lets this account's distributions read it */
  readonly assetsBucketName: string;
  /** where CloudFront writes its access logs */
  readonly accessLogs: IBucket;
  /** the CloudFront web ACL (scope CLOUDFRONT, in us-east-1: lib/edge-firewall.ts) */
  readonly webAclArn: string;
  /** the site's own domain name; CloudFront's *.cloudfront.net name when none */
  readonly domain?: SiteDomain;
}

/** A domain name of our own for the site, with its ACM certificate (which CloudFront needs in us-east-1). */
export interface SiteDomain {
  readonly name: string;
  readonly certificate: ICertificate;
}

/** How the API's regional web ACL recognises a request CloudFront forwarded: a header with a secret value. */
export interface ForwardedBy {
  readonly headerName: string;
  /**
   * the two values the web ACL accepts, each a dynamic reference to the secret resolved by
   * CloudFormation at deploy time: the same value twice, until a rotation (lib/origin-secret-rotation.ts)
   * makes them the current and the new value for as long as CloudFront takes to change over
   */
  readonly headerValues: readonly [string, string];
}

export interface FirewallProps {
  readonly stage: Stage;
  /**
   * Requests CloudFront forwards come from CloudFront's addresses, which many citizens share, and
   * CloudFront's own web ACL has limited them per citizen already: this one leaves them out.
   */
  readonly forwardedBy?: ForwardedBy;
  /** encrypts the web ACL's log group; its key policy must let logs.<region>.amazonaws.com use it (lib/keys.ts, logsMayUse) */
  readonly logsKey: IKey;
}

export interface MonitoringProps {
  /** "dev" or "prod": in the dashboard's and every alarm's name, so two stages can share an account */
  readonly stage: string;
  readonly api: RestApi;
  /** the state machine that runs each journey */
  readonly stateMachines: Readonly<Record<Journey, IStateMachine>>;
  /** every function of the registry, each of which gets an errors and a throttles alarm */
  readonly functions: readonly PlatformFunction[];
  readonly deadLetterQueues: readonly IQueue[];
  /** the case table (with its queue index) and the console's session table */
  readonly caseTable: ITable;
  readonly sessionTable: ITable;
  /** the milestone topic: deliveries to its subscribers (the notifier, other agencies) that failed */
  readonly milestoneTopic: ITopic;
  /**
   * the key of the ops alarm topic this construct makes (DataKeys.messages). Its policy must let
   * cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*), or alarms change state
   * and nobody hears of it: lib/keys.ts grants that.
   */
  readonly masterKey: IKey;
  /** who is emailed the alarms; nobody when empty */
  readonly alarmEmail?: string;
  /** the account's SNS monthly SMS spend limit in USD (SetSMSAttributes MonthlySpendLimit): ops are warned at 80% */
  readonly smsMonthlySpendLimitUsd: number;
  /** the regional web ACL in front of the API stage (Firewall.metrics): alarms when its rate rules block */
  readonly firewall?: WebAclMetrics;
}

/** Where CloudWatch counts what a web ACL's rate rules blocked (AWS/WAFV2): the dimensions' values. */
export interface WebAclMetrics {
  /** the web ACL's name, which is its metric name too (WebACL) */
  readonly webAclName: string;
  /** the web ACL's region (Region) */
  readonly region: string;
  /** the rate rule's metric name (Rule): every lookup by reference or date of birth */
  readonly lookupRule: string;
}
