// A change of stage, as the case stores take it: they set the stage and append its history entry
// from one. Only domain/cases/transitions.ts makes one (test/architecture.test.ts holds it to that), so
// every change of stage also publishes its milestone.
import type { Stage } from './case';

export class StageMove {
  // A private member makes the type nominal: a plain object of the same shape is not a StageMove
  // (and the stores check `instanceof` for callers that cast).
  private declare readonly nominal: never;

  constructor(
    readonly stage: Stage,
    readonly at: string,
  ) {}
}
