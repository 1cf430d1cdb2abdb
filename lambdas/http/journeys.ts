// Talking to the journeys. Starting one: the execution is named after the reference, so a retry
// cannot start a second journey for the same case, and its input carries no personal data (it
// shows in the Step Functions console). Answering one: Step Functions' "this token is no longer
// usable" errors become one domain error.
import { ExecutionAlreadyExists, InvalidToken, SendTaskSuccessCommand, StartExecutionCommand, TaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import type { JourneyInput } from '../domain/submissions';
import { TokenNotUsable } from '../domain/callbacks';

export async function startJourney(sfn: SFNClient, stateMachineArn: string, input: JourneyInput): Promise<void> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name: input.reference, input: JSON.stringify(input) }));
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return; // started by an earlier attempt
    throw error;
  }
}

export function taskSuccessSender(sfn: SFNClient) {
  return async (taskToken: string, output: string): Promise<void> => {
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output }));
    } catch (error) {
      if (error instanceof TaskTimedOut) throw new TokenNotUsable('timed-out');
      if (error instanceof TaskDoesNotExist || error instanceof InvalidToken) throw new TokenNotUsable('unknown');
      throw error;
    }
  };
}
