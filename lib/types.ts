// The props of every construct in the app, in one place, so the shape of the stack reads from
// one file: what each concern needs from the others.
import type { StackProps } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Journey } from '../lambdas/domain/reference';
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

export interface ApiProps {
  /** with the journeys' state machines, which the API starts and answers */
  readonly resources: PlatformResources;
  readonly caseworkerPool: IUserPool;
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
  readonly alarmEmail?: string;
  /** AWS accounts of other agencies allowed to subscribe to the milestone feed */
  readonly feedSubscriberAccounts?: readonly string[];
}
