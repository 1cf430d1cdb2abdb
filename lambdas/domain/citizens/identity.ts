// A citizen proves a case is theirs with its reference and their date of birth. Only once the
// action they ask for is open on the case (citizen-actions.ts, from its public attributes) is the
// date of birth looked at, so a refusal for any other reason reads the same to a right date and a
// wrong one. A wrong one gets exactly the answer an unknown reference gets. A date of birth is a
// small secret (about 27,400 dates in 75 years, 365 in a known year), so wrong ones are counted
// per case, whoever sends them and from wherever: after a few in a day, the case's protected
// actions pause for a day for everyone, and the citizen is texted that someone tried.
import { timingSafeEqual } from 'node:crypto';
import type { CaseRecord, DateOfBirthTries } from '../cases/case';
import { readableDate, readableTime } from '../services/content';
import { PublicError, caseNotFound } from '../shared/errors';
import { METRIC } from '../shared/metrics';
import { milestoneEvent } from '../cases/milestones';
import { announce, type TransitionDeps } from '../cases/transitions';

/** Wrong dates of birth for one case, within WRONG_DATES_WINDOW_HOURS, that pause it. */
export const WRONG_DATES_BEFORE_PAUSE = 5;
export const WRONG_DATES_WINDOW_HOURS = 24;
/** How long a case's protected actions stay paused (the citizen's text says so: catalogue/content, "actions-paused"). */
export const PAUSE_HOURS = 24;

const HOUR_MS = 3_600_000;

/** Whether the date of birth is the applicant's, compared in constant time. */
export function matchesDateOfBirth(record: Pick<CaseRecord, 'applicant'>, dateOfBirth: string): boolean {
  const expected = Buffer.from(record.applicant?.dateOfBirth ?? '0000-00-00');
  const given = Buffer.from(dateOfBirth.padEnd(expected.length).slice(0, expected.length));
  return timingSafeEqual(expected, given) && dateOfBirth.length === expected.length;
}

/** Until when the case's protected actions are paused, if they are at `now`. */
export function pausedUntil(record: Pick<CaseRecord, 'dateOfBirthTries'>, now: Date): string | undefined {
  const until = record.dateOfBirthTries?.pausedUntil;
  return until && Date.parse(until) > now.getTime() ? until : undefined;
}

/** The tries after one more wrong date of birth: counted within the window, paused at the limit. */
export function afterWrongDate(tries: DateOfBirthTries | undefined, now: Date): DateOfBirthTries {
  const at = now.toISOString();
  const fresh = !tries || now.getTime() - Date.parse(tries.since) >= WRONG_DATES_WINDOW_HOURS * HOUR_MS || (tries.pausedUntil !== undefined && tries.pausedUntil <= at);
  const wrong = fresh ? 1 : tries.wrong + 1;
  const since = fresh ? at : tries.since;
  return wrong >= WRONG_DATES_BEFORE_PAUSE ? { wrong, since, pausedUntil: new Date(now.getTime() + PAUSE_HOURS * HOUR_MS).toISOString() } : { wrong, since };
}

/** The answer while a case is paused: the same whatever date of birth is sent (none is looked at). */
export function casePaused(reference: string, until: string, now: Date): PublicError {
  return new PublicError(
    'too-many-tries',
    `Too many wrong dates of birth have been sent for ${reference}, so we have paused changes to it online until ${readableTime(until)} on ${readableDate(until, 'en')} (UK time). We have told the citizen by text. If this is your case, try again then, or contact us.`,
    [],
    { pausedUntil: until, retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000)) },
  );
}

/**
 * Proves the case is the citizen's, or throws: the case is paused (429, whatever the date), or the
 * date of birth is wrong (the unknown reference's 404), which is counted on the case first. The
 * wrong date that reaches the limit pauses the case and texts the citizen, once per pause.
 */
export async function proveOwnership(deps: TransitionDeps, record: CaseRecord, dateOfBirth: string, now: Date): Promise<void> {
  const until = pausedUntil(record, now);
  if (until) throw casePaused(record.reference, until, now);
  if (matchesDateOfBirth(record, dateOfBirth)) return;
  const at = now.toISOString();
  let paused: string | undefined;
  const { record: counted, changed } = await deps.store.update(
    record.reference,
    (current) => {
      paused = undefined;
      // paused a moment ago by someone else's tries: nothing more to count
      if (pausedUntil(current, now)) return undefined;
      const tries = afterWrongDate(current.dateOfBirthTries, now);
      paused = tries.pausedUntil;
      return {
        set: { dateOfBirthTries: tries },
        ...(paused
          ? { append: { audit: [{ at, actor: 'platform', action: 'paused-after-wrong-dates-of-birth', reason: `${tries.wrong} wrong dates of birth since ${tries.since}: changes online paused until ${paused}.` }] } }
          : {}),
      };
    },
    { from: record },
  );
  if (changed) deps.metrics.count(METRIC.wrongDatesOfBirth);
  if (changed && paused) {
    deps.metrics.count(METRIC.casesPausedForDatesOfBirth);
    await announce(deps, milestoneEvent(counted, 'actions-paused', paused, at));
  }
  throw caseNotFound(record.reference);
}
