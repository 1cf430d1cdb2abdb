// The props of every construct in the app, in one place, so the shape of the stack reads from
// one file: what each concern needs from the others.
import type { StackProps } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Journey } from '../lambdas/domain/reference';

/** The state machine that runs each journey that has a definition. */
export type JourneyStateMachines = Readonly<Partial<Record<Journey, StateMachine>>>;

export interface JourneyFunctionProps {
  /** the handler module under lambdas/, without extension, e.g. "api/get-status" */
  readonly entry: string;
  readonly description: string;
}

export interface NotificationsProps {
  readonly table: ITable;
  /** AWS accounts of other agencies allowed to subscribe to the milestone feed */
  readonly feedSubscriberAccounts?: readonly string[];
}

export interface JourneysProps {
  readonly table: ITable;
  readonly milestones: ITopic;
}

export interface ApiProps {
  readonly table: ITable;
  readonly milestones: ITopic;
  readonly stateMachines: JourneyStateMachines;
  readonly caseworkerPool: IUserPool;
}

export interface MonitoringProps {
  readonly api: RestApi;
  readonly stateMachines: JourneyStateMachines;
  readonly notifier: IFunction;
  readonly deadLetterQueues: readonly IQueue[];
  /** where alarm notifications are emailed; none when empty */
  readonly alarmEmail?: string;
}

export interface JourneyTrackerStackProps extends StackProps {
  readonly alarmEmail?: string;
  /** AWS accounts of other agencies allowed to subscribe to the milestone feed */
  readonly feedSubscriberAccounts?: readonly string[];
}
