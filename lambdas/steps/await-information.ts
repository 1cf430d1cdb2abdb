// Journey step (callback): a caseworker asked the citizen for more information. The case leaves
// the caseworker queue and shows the caseworker's words and the date to answer by; the task
// token waits for the citizen's answer.
import { informationDeadline } from '../domain/service-standards';
import { moveToStage, renewWait } from './stages';
import { serviceOf, step } from './runtime';

export interface AwaitInformationInput {
  readonly reference: string;
  readonly taskToken: string;
  readonly request: { readonly reason: string; readonly by: string };
}

export const handler = step(async ({ reference, taskToken, request }: AwaitInformationInput) => {
  if (await renewWait(reference, 'information-needed', 'information', taskToken)) return { reference, stage: 'information-needed' };
  const record = await moveToStage(
    reference,
    'information-needed',
    (current, at) => ({
      set: {
        awaiting: 'information',
        taskToken,
        informationRequest: { reason: request.reason, by: request.by, at },
        expectedBy: informationDeadline(serviceOf(current), current.journey, new Date(at)).date,
      },
      remove: ['queue', 'queuedAt', 'delay'],
    }),
    (current) => current.taskToken === taskToken,
  );
  return { reference: record.reference, stage: record.stage };
});
