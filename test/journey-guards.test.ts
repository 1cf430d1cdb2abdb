// Guards over every journey: a stage a journey can reach without citizen text in a supported
// language, a callback wait without a timeout and a catch for it, or a second copy of the journey
// definition, fails the build.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JOURNEYS, JOURNEY_DEFINITION, STEPS, stagesOutsideSteps } from '../lambdas/functions';
import { CONTENT } from '../lambdas/domain/services/content';
import { LANGUAGES } from '../lambdas/domain/shared/language';
import type { Journey } from '../lambdas/domain/shared/reference';
import type { Stage } from '../lambdas/domain/cases/case';

const journeys = JOURNEYS;
// Every journey runs the one definition; what differs lives in the steps, which read the case.
const definition = JSON.parse(readFileSync(path.join(__dirname, '..', JOURNEY_DEFINITION), 'utf8'));

function taskStates(): [string, any][] {
  return Object.entries<any>(definition.States).filter(([, state]) => state.Type === 'Task');
}

describe('the journey definitions', () => {
  it('are one: no two files in statemachines/ define the same states', () => {
    const folder = path.join(__dirname, '..', 'statemachines');
    const files = readdirSync(folder).filter((file) => file.endsWith('.json'));
    const shapes = files.map((file) => [file, Object.keys(JSON.parse(readFileSync(path.join(folder, file), 'utf8')).States ?? {}).sort().join()]);
    const copies = shapes.filter(([file, shape]) => shapes.some(([other, otherShape]) => other !== file && otherShape === shape)).map(([file]) => file);
    expect(copies).toEqual([]);
    // Every journey runs the one file: a second definition, even with renamed states, is a copy.
    expect(files).toEqual([path.basename(JOURNEY_DEFINITION)]);
  });

  it('gives every callback wait a timeout and a catch for it', () => {
    const waits = taskStates().filter(([, state]) => String(state.Resource).endsWith('.waitForTaskToken'));
    expect(waits.length).toBeGreaterThan(0);
    for (const [name, state] of waits) {
      expect([name, Boolean(state.TimeoutSeconds || state.TimeoutSecondsPath)]).toEqual([name, true]);
      const catches = (state.Catch ?? []).flatMap((c: any) => c.ErrorEquals);
      expect([name, catches.some((e: string) => e === 'States.Timeout' || e === 'States.ALL')]).toEqual([name, true]);
    }
  });

  it('retries every step with full jitter and catches what still fails', () => {
    for (const [name, state] of taskStates()) {
      const retriers = (state.Retry ?? []).filter((r: any) => r.MaxAttempts !== 0);
      expect([name, retriers.length > 0 && retriers.every((r: any) => r.JitterStrategy === 'FULL')]).toEqual([name, true]);
      if (name !== 'PutOnHold') expect([name, (state.Catch ?? []).some((c: any) => c.ErrorEquals.includes('States.ALL'))]).toEqual([name, true]);
    }
  });

  it('names only steps that the function registry defines, and every step it defines', () => {
    const used = new Set([...readFileSync(path.join(__dirname, '..', JOURNEY_DEFINITION), 'utf8').matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
    expect([...used].sort()).toEqual(STEPS.map((step) => step.substitution).sort());
  });
});

/** The stages a journey can reach: where cases start, plus every stage its steps can set. */
function reachableStages(journey: Journey): Stage[] {
  const stages = new Set<Stage>(stagesOutsideSteps(journey));
  for (const [, state] of taskStates()) {
    const key = /\$\{(\w+)\}/.exec(JSON.stringify(state.Parameters ?? state.Resource))?.[1];
    const step = STEPS.find((candidate) => candidate.substitution === key);
    expect([key, step]).toEqual([key, expect.anything()]);
    for (const stage of step!.stages) stages.add(stage);
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

  it('has an SMS in every supported language for every milestone it texts about', () => {
    const english = Object.keys(CONTENT.en.journeys[journey]!.sms).sort();
    for (const language of LANGUAGES) expect([language, Object.keys(CONTENT[language].journeys[journey]!.sms).sort()]).toEqual([language, english]);
  });
});
