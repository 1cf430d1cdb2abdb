// Guards over every journey: a stage a journey can reach without citizen text in a supported
// language, or a callback wait without a timeout and a catch for it, fails the build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JOURNEY_DEFINITIONS, JOURNEY_STEPS, STAGES_OUTSIDE_STEPS } from '../lambdas/journeys';
import { CONTENT } from '../lambdas/domain/content';
import { LANGUAGES } from '../lambdas/domain/language';
import type { Journey } from '../lambdas/domain/reference';
import type { Stage } from '../lambdas/domain/case';

const journeys = Object.keys(JOURNEY_DEFINITIONS) as Journey[];
const definition = (journey: Journey) => JSON.parse(readFileSync(path.join(__dirname, '..', JOURNEY_DEFINITIONS[journey]), 'utf8'));

function taskStates(journey: Journey): [string, any][] {
  return Object.entries<any>(definition(journey).States).filter(([, state]) => state.Type === 'Task');
}

/** The stages a journey can reach: where cases start, plus every stage its steps can set. */
function reachableStages(journey: Journey): Stage[] {
  const stages = new Set<Stage>(STAGES_OUTSIDE_STEPS[journey]);
  for (const [, state] of taskStates(journey)) {
    const key = /\$\{(\w+)\}/.exec(JSON.stringify(state.Parameters ?? state.Resource))?.[1] as keyof typeof JOURNEY_STEPS;
    expect(JOURNEY_STEPS).toHaveProperty(key);
    for (const stage of JOURNEY_STEPS[key].stages) stages.add(stage);
  }
  return [...stages];
}

describe.each(journeys)('the %s journey', (journey) => {
  it('has citizen text in every supported language for every stage it can reach', () => {
    const missing = LANGUAGES.flatMap((language) =>
      reachableStages(journey)
        .filter((stage) => {
          const text = CONTENT[language].journeys[journey]?.stages[stage];
          return !text?.title || !text.description || !text.nextSteps || !text.responsible;
        })
        .map((stage) => `${language}:${stage}`),
    );
    expect(missing).toEqual([]);
  });

  it('gives every callback wait a timeout and a catch for it', () => {
    const waits = taskStates(journey).filter(([, state]) => String(state.Resource).endsWith('.waitForTaskToken'));
    expect(waits.length).toBeGreaterThan(0);
    for (const [name, state] of waits) {
      expect([name, Boolean(state.TimeoutSeconds || state.TimeoutSecondsPath)]).toEqual([name, true]);
      const catches = (state.Catch ?? []).flatMap((c: any) => c.ErrorEquals);
      expect([name, catches.some((e: string) => e === 'States.Timeout' || e === 'States.ALL')]).toEqual([name, true]);
    }
  });

  it('retries every step with full jitter and catches what still fails', () => {
    for (const [name, state] of taskStates(journey)) {
      const retriers = (state.Retry ?? []).filter((r: any) => r.MaxAttempts !== 0);
      expect([name, retriers.length > 0 && retriers.every((r: any) => r.JitterStrategy === 'FULL')]).toEqual([name, true]);
      if (name !== 'PutOnHold') expect([name, (state.Catch ?? []).some((c: any) => c.ErrorEquals.includes('States.ALL'))]).toEqual([name, true]);
    }
  });

  it('has an SMS in every supported language for every milestone it texts about', () => {
    const english = Object.keys(CONTENT.en.journeys[journey]!.sms).sort();
    for (const language of LANGUAGES) expect([language, Object.keys(CONTENT[language].journeys[journey]!.sms).sort()]).toEqual([language, english]);
  });
});
