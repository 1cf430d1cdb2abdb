// Who may use the caseworker API and console: a Cognito user pool that only an administrator adds
// people to, with the caseworker and senior caseworker groups the handlers check. Stateful (it
// holds the accounts), so it is in the data stack, retained where the stage keeps data.
//
// Two app clients, kept apart on purpose (docs/decisions.md, "The caseworker console's sign-in"):
// - the API client (SRP sign-in, no OAuth), with the pool: it issues the ID tokens the JSON
//   caseworker API takes as Bearer tokens;
// - the console client (ConsoleSignIn), in the web stack: it signs caseworkers in to the console
//   pages through the hosted sign-in, with the authorisation code grant and PKCE. Its redirect
//   addresses are the site's, so it is built after the site (lib/web-stack.ts).
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolGroup,
  StandardThreatProtectionMode,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CASEWORKER_GROUP, SENIOR_GROUP } from '../lambdas/domain/casework/sessions';
import { CONSOLE_PATHS, cognitoSignIn, type SignInConfig } from '../lambdas/adapters/aws/sign-in-config';
import { acknowledge } from './acknowledge';
import type { CaseworkersProps, ConsoleSignInProps } from './types';

export class Caseworkers extends Construct {
  readonly userPool: UserPool;
  /** the JSON caseworker API's client: SRP sign-in, its ID token is the Bearer token */
  readonly apiClient: UserPoolClient;
  /** the hosted sign-in: https://<prefix>.auth.<region>.amazoncognito.com */
  readonly signInDomain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: CaseworkersProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      // The username is what the audit trail records as the caseworker who acted.
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      // Caseworkers see citizens' personal data: a password alone is not enough.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: false },
      // Threat protection (compromised credentials, unusual sign-ins) for accounts that see
      // citizens' personal data: the Plus plan, a few pence a caseworker a month.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.keepsData,
      removalPolicy: props.keepsData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(this.userPool, {
      'AwsSolutions-COG1':
        "Symbols are not required, on purpose: the NCSC's password guidance favours length (12 here) over composition rules, which push people to predictable passwords; MFA (an authenticator app) is required as well.",
    });
    new UserPoolGroup(this, 'CaseworkerGroup', { userPool: this.userPool, groupName: CASEWORKER_GROUP, description: 'Caseworkers: work the queues and decide cases', precedence: 1 });
    new UserPoolGroup(this, 'SeniorGroup', { userPool: this.userPool, groupName: SENIOR_GROUP, description: 'Senior caseworkers: also decide escalated cases', precedence: 0 });
    // The construct id predates the console: changing it would replace the client and its id.
    this.apiClient = this.userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      // Signs in with SRP (the SDK or CLI), never through the hosted sign-in: no redirect addresses to keep safe.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // Cognito's hosted sign-in (the classic hosted UI), on a domain of Cognito's. It asks for the
    // password and the authenticator code, and has a caseworker set up the authenticator at
    // first sign-in (MFA is required).
    this.signInDomain = this.userPool.addDomain('SignInDomain', { cognitoDomain: { domainPrefix: signInDomainPrefix(Stack.of(this), props.signInDomainPrefix) } });
  }
}

/** The console's app client, and what the console's sign-in pages are told about it. */
export class ConsoleSignIn extends Construct {
  /** the console's client: the hosted sign-in, authorisation code and PKCE, no secret */
  readonly client: UserPoolClient;
  /** what the console's sign-in pages are told (the CASEWORKER_SIGN_IN variable) */
  readonly signIn: SignInConfig;

  constructor(scope: Construct, id: string, props: ConsoleSignInProps) {
    super(scope, id);
    this.client = new UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      // A public client: the secret would sit in every console function's environment for no
      // gain; PKCE (S256, sent by lambdas/pages/caseworker/sign-in) ties the code to the browser
      // session that asked for it instead.
      generateSecret: false,
      // The hosted sign-in's password form; no plain-password or custom flows.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.siteUrl}${CONSOLE_PATHS.callback}`],
        logoutUrls: [`${props.siteUrl}${CONSOLE_PATHS.signedOut}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // Short: the console reads the ID token once, at the callback, and then keeps its own
      // session (the session table); these tokens are never sent to the browser.
      // as long as the console's own sign-in cookie lasts: time for a first sign-in's new password and authenticator
      authSessionValidity: Duration.minutes(10),
      idTokenValidity: Duration.minutes(15),
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(1),
    });

    this.signIn = cognitoSignIn({
      region: Stack.of(this).region,
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      domainUrl: props.signInDomain.baseUrl(),
      siteUrl: props.siteUrl,
    });
  }
}

/** Cognito's rule for a domain prefix, and the words it reserves. */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;

/**
 * The hosted sign-in's domain prefix: the one given (-c signInDomainPrefix=...), else the stack's
 * name and the account, which no other stack in the region has (a prefix is unique in its region,
 * across all accounts).
 */
export function signInDomainPrefix(stack: Stack, given?: string): string {
  if (given) {
    if (!DOMAIN_PREFIX.test(given) || RESERVED_IN_PREFIX.test(given)) {
      throw new Error(`signInDomainPrefix "${given}": use lowercase letters, digits and hyphens (not at either end), 63 at most, without "aws", "amazon" or "cognito"`);
    }
    return given;
  }
  const name = stack.stackName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 50)
    .replace(/^-+|-+$/g, '');
  if (!name || RESERVED_IN_PREFIX.test(name)) {
    throw new Error(`The stack name ${stack.stackName} cannot start a sign-in domain prefix (it may not contain "aws", "amazon" or "cognito"): give one with -c signInDomainPrefix=...`);
  }
  // the account is a token when the CLI names none (an offline synth): CloudFormation fills it in
  return `${name}-${stack.account}`;
}
