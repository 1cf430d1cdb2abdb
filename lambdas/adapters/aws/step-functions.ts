// Step Functions: starting a journey (the execution is named after the reference, so a retry
// cannot start a second journey for the same case) and answering a task token (Step Functions'
// "this token is no longer usable" errors become one domain error).
import { ExecutionAlreadyExists, InvalidToken, SendTaskSuccessCommand, StartExecutionCommand, TaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { TokenNotUsable } from '../../domain/shared/errors';
import type { JourneyEngine, JourneyInput } from '../../domain/ports';
import type { Journey } from '../../domain/shared/reference';

export class SfnJourneyEngine implements JourneyEngine {
  constructor(
    private readonly sfn: SFNClient,
    /** the state machine of each journey this function may start */
    private readonly stateMachines: Partial<Record<Journey, string>>,
  ) {}

  async start(input: JourneyInput): Promise<void> {
    const stateMachineArn = this.stateMachines[input.journey];
    if (!stateMachineArn) throw new Error(`this function cannot start ${input.journey} journeys`);
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn, name: input.reference, input: JSON.stringify(input) }));
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return; // started by an earlier attempt
      throw error;
    }
  }

  async answer(taskToken: string, output: unknown): Promise<void> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      if (error instanceof TaskTimedOut) throw new TokenNotUsable('timed-out');
      if (error instanceof TaskDoesNotExist || error instanceof InvalidToken) throw new TokenNotUsable('unknown');
      throw error;
    }
  }
}
