// Who may use the caseworker API: a Cognito user pool that only an administrator adds people
// to, with the caseworker and senior caseworker groups the handlers check. Stateful (it holds
// the accounts), so it is retained when the stack goes.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRecovery, Mfa, UserPool, UserPoolClient, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CASEWORKER_GROUP, SENIOR_GROUP } from '../lambdas/http/http';

export class Caseworkers extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
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
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new UserPoolGroup(this, 'CaseworkerGroup', { userPool: this.userPool, groupName: CASEWORKER_GROUP, description: 'Caseworkers: work the queues and decide cases', precedence: 1 });
    new UserPoolGroup(this, 'SeniorGroup', { userPool: this.userPool, groupName: SENIOR_GROUP, description: 'Senior caseworkers: also decide escalated cases', precedence: 0 });
    this.client = this.userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      // No hosted sign-in page yet, so no OAuth redirect URLs to keep safe.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }
}
