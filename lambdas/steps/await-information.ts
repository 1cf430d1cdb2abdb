// Journey step (callback): a caseworker asked the citizen for more information; the task token
// waits for the citizen's answer.
import { askForInformation, type InformationWait } from '../domain/journeys/journey-steps';
import { transitionDeps } from '../adapters/aws/deps';
import { step } from './runtime';

const deps = transitionDeps();

export const handler = step(async (input: InformationWait) => {
  const record = await askForInformation(deps, input);
  return { reference: record.reference, stage: record.stage };
});
