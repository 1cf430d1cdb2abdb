// The props of every construct in the app, in one place, so the shape of the stack reads from
// one file: what each concern needs from the others.
import type { StackProps } from 'aws-cdk-lib';
import type { IRestApi, RestApi, Stage } from 'aws-cdk-lib/aws-apigateway';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Journey } from '../lambdas/domain/reference';
import type { BuiltAssets } from '../web/build';
import type { PlatformFunction, PlatformResources } from './platform-function';

/** The state machine that runs each journey. */
export type JourneyStateMachines = Readonly<Record<Journey, StateMachine>>;

export interface NotificationsProps {
  readonly table: ITable;
  /** AWS accounts of other agencies allowed to subscribe to the milestone feed */
  readonly feedSubscriberAccounts?: readonly string[];
}

export interface JourneysProps {
  readonly resources: PlatformResources;
}

export interface CaseworkersProps {
  /** the site's address without a trailing slash (Web.siteUrl): the console is there, and sign-in returns there */
  readonly siteUrl: string;
  /** the hosted sign-in domain's prefix (<prefix>.auth.<region>.amazoncognito.com); the stack's name and account when none */
  readonly signInDomainPrefix?: string;
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
  /** a dynamic reference to the secret, resolved by CloudFormation at deploy time */
  readonly headerValue: string;
}

export interface FirewallProps {
  readonly stage: Stage;
  /**
   * Requests CloudFront forwards come from CloudFront's addresses, which many citizens share, and
   * CloudFront's own web ACL has limited them per citizen already: this one leaves them out.
   */
  readonly forwardedBy?: ForwardedBy;
}

export interface MonitoringProps {
  readonly api: RestApi;
  readonly stateMachines: JourneyStateMachines;
  /** every function of the registry, each of which gets an error alarm */
  readonly functions: readonly PlatformFunction[];
  readonly deadLetterQueues: readonly IQueue[];
  /** where alarm notifications are emailed; none when empty */
  readonly alarmEmail?: string;
}

export interface JourneyTrackerStackProps extends StackProps {
  /** the CloudFront web ACL's ARN, from the EdgeFirewallStack in us-east-1 (read across regions with Fn::GetStackOutput) */
  readonly edgeWebAclArn: string;
  /** the site's own domain name and certificate ARN (in us-east-1); CloudFront's own name when none */
  readonly siteDomain?: { readonly name: string; readonly certificateArn: string };
  /** the hosted sign-in domain's prefix (-c signInDomainPrefix); the stack's name and account when none */
  readonly signInDomainPrefix?: string;
  readonly alarmEmail?: string;
  /** AWS accounts of other agencies allowed to subscribe to the milestone feed */
  readonly feedSubscriberAccounts?: readonly string[];
}
