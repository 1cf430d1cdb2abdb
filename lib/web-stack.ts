// The web stack of a stage: what citizens and caseworkers reach over HTTPS. The API and its pages
// (lib/api.ts), the console's sign-in client, the site in front of them (CloudFront, lib/web.ts),
// the API stage's own web ACL (lib/firewall.ts), and the monthly rotation of the secret by which
// that web ACL knows CloudFront's requests (lib/origin-secret-rotation.ts). The CloudFront web ACL is the edge stack's,
// in us-east-1 (lib/edge-firewall.ts); the journeys and the milestone topic the functions start
// and publish to are the journeys stack's (lib/journeys-stack.ts).
//
// The order breaks what would be a circle, which is why the API and the site share a stack: the
// console's sign-in needs the site's address and the console's app client, the client needs the
// site's address too, and the site (CloudFront) sends requests to the API, whose stage depends on
// every function. So: the REST API alone, then the site (whose origin names the REST API, not its
// stage), then the user pool's console client, and only then the functions and routes.
import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { API_STAGE_NAME, Api } from './api';
import { ConsoleSignIn } from './caseworkers';
import { EncryptLogGroups } from './keys';
import { Firewall } from './firewall';
import { OriginSecretRotation } from './origin-secret-rotation';
import { Web } from './web';
import { buildAssets } from '../web/build';
import { CONSOLE_PATHS } from '../lambdas/adapters/aws/sign-in-config';
import type { PlatformFunction } from './platform-function';
import type { DataStack } from './data-stack';
import type { Deployment } from './deployment';
import type { JourneysStack } from './journeys-stack';

export interface WebStackProps extends StackProps {
  readonly deployment: Deployment;
  /** the stage's stateful stack: keys, tables, caseworker accounts, buckets */
  readonly data: DataStack;
  /** the journeys the API starts and answers, and the milestone topic it publishes to */
  readonly journeys: JourneysStack;
  /** the CloudFront web ACL's ARN, from the EdgeFirewallStack in us-east-1 (read across regions with Fn::GetStackOutput) */
  readonly edgeWebAclArn: string;
  /** the site's own domain name and certificate ARN (in us-east-1); CloudFront's own name when none */
  readonly siteDomain?: { readonly name: string; readonly certificateArn: string };
}

export class WebStack extends Stack {
  readonly api: Api;
  readonly web: Web;
  readonly firewall: Firewall;
  readonly originSecretRotation: OriginSecretRotation;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { data, deployment, journeys } = props;
    // every log group of this stack, on the logs key
    Aspects.of(this).add(new EncryptLogGroups(data.keys.logs, { keepsData: deployment.keepsData }));
    // Built while the app is synthesised; the pages are told the fingerprinted names.
    const assets = buildAssets();
    this.api = new Api(this, 'Api', { stage: deployment.stage });
    this.web = new Web(this, 'Web', {
      api: this.api.restApi,
      apiStageName: API_STAGE_NAME,
      assets,
      assetsBucketName: data.buckets.assets.bucketName,
      accessLogs: data.buckets.accessLogs,
      webAclArn: props.edgeWebAclArn,
      domain: props.siteDomain && { name: props.siteDomain.name, certificate: Certificate.fromCertificateArn(this, 'SiteCertificate', props.siteDomain.certificateArn) },
    });
    const { userPool, signInDomain, apiClient } = data.caseworkers;
    const consoleSignIn = new ConsoleSignIn(this, 'ConsoleSignIn', { userPool, signInDomain, siteUrl: this.web.siteUrl });
    this.api.addRoutes({
      resources: {
        ...journeys.resources,
        stateMachines: journeys.journeys.stateMachines,
        assetPaths: assets.paths,
        sessionTable: data.sessions.table,
        signIn: consoleSignIn.signIn,
        publicConcurrency: deployment.publicConcurrency,
      },
      caseworkerPool: userPool,
    });
    this.firewall = new Firewall(this, 'Firewall', { stage: this.api.restApi.deploymentStage, forwardedBy: this.web.forwardedBy, logsKey: data.keys.logs });
    this.originSecretRotation = new OriginSecretRotation(this, 'OriginSecret', {
      resources: {
        ...journeys.resources,
        originSecret: { secret: this.web.forwardedBySecret, webAcl: this.firewall.webAcl, distribution: this.web.distribution, headerName: this.web.forwardedBy.headerName },
      },
    });

    new CfnOutput(this, 'SiteUrl', { value: this.web.url, description: 'The site: the citizen pages, and the API at the same paths, e.g. <SiteUrl>status/APP-...' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url, description: 'Base URL of the API, e.g. <ApiUrl>status/APP-...' });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId, description: 'Caseworker accounts: add people with admin-create-user and a group' });
    new CfnOutput(this, 'UserPoolClientId', { value: apiClient.userPoolClientId, description: 'App client for the JSON caseworker API (SRP sign-in; its ID token is the Bearer token)' });
    new CfnOutput(this, 'CaseworkerSignInUrl', { value: `${this.web.siteUrl}${CONSOLE_PATHS.home}`, description: 'The caseworker console: caseworkers sign in here' });
    new CfnOutput(this, 'SignInDomain', { value: signInDomain.baseUrl(), description: "The user pool's hosted sign-in, where the console sends caseworkers to sign in" });
  }

  /** this stack's functions of the registry: the API's and the pages', and the origin secret's rotation */
  get functions(): readonly PlatformFunction[] {
    return [...this.api.functions, ...this.originSecretRotation.functions];
  }
}
