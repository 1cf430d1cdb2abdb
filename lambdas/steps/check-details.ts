// Journey step: automated checks on the details, which may flag the case as complex, and the
// service standard that the caseworker's decision is held to.
import { checkCase } from '../domain/journeys/journey-steps';
import { countingDeps } from '../adapters/aws/deps';
import { step } from './runtime';

const deps = countingDeps();

export interface CheckDetailsInput {
  readonly reference: string;
}

export const handler = step(({ reference }: CheckDetailsInput) => checkCase(deps, reference));
