// Starting a journey: the execution is named after the reference, so a retry cannot start a
// second journey for the same case. Execution input carries no personal data (it shows in the
// Step Functions console and history).
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { JourneyInput } from '../domain/submissions';

export async function startJourney(sfn: SFNClient, stateMachineArn: string, input: JourneyInput): Promise<void> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name: input.reference, input: JSON.stringify(input) }));
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return; // started by an earlier attempt
    throw error;
  }
}
