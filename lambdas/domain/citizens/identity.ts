// A citizen proves a case is theirs with its reference and their date of birth. Only once the
// action they ask for is open on the case (citizen-actions.ts, from its public attributes) is the
// date of birth looked at, so a refusal for any other reason reads the same to a right date and a
// wrong one. A wrong one gets exactly the answer an unknown reference gets. A date of birth is a
// small secret (about 27,400 dates in 75 years, 365 in a known year), so dates are counted per
// case, whoever sends them and from wherever: after a few wrong ones, the case's protected actions
// pause for a day for everyone, and the citizen is texted that someone tried.
//
// Every check is reserved on the case before its date is compared, and settled after, so however
// many are sent at once, no more dates are compared than the case has tries left: a burst of
// guesses gets the same few answers as guesses sent one by one, and the rest a 429.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { CaseRecord, DateOfBirthTries } from '../cases/case';
import { readableDate, readableTime } from '../services/content';
import { CaseConflict, PublicError, caseNotFound } from '../shared/errors';
import { METRIC } from '../shared/metrics';
import { milestoneEvent } from '../cases/milestones';
import { announce, type TransitionDeps } from '../cases/transitions';

/** Wrong dates of birth for one case, within WRONG_DATES_WINDOW_DAYS, that pause it. */
export const WRONG_DATES_BEFORE_PAUSE = 5;
/** Long enough that a guesser cannot stay just under the limit for long: 4 tries a month is a known birth year in 7 years. */
export const WRONG_DATES_WINDOW_DAYS = 30;
/** How long a case's protected actions stay paused (the citizen's text says so: catalogue/content, "actions-paused"). */
export const PAUSE_HOURS = 24;
/** A check not settled in this time was left by a request that died: it counts as a wrong date. */
const CHECK_SECONDS = 30;

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

/** The tries as they stand at `now`: a check never settled folded in as wrong, a past window or pause forgotten. */
function current(tries: DateOfBirthTries | undefined, now: Date): { wrong: number; since: string; checking: readonly { id: string; at: string }[] } {
  const at = now.toISOString();
  const live = (tries?.checking ?? []).filter((check) => now.getTime() - Date.parse(check.at) < CHECK_SECONDS * 1000);
  const abandoned = (tries?.checking?.length ?? 0) - live.length;
  const fresh = !tries || now.getTime() - Date.parse(tries.since) >= WRONG_DATES_WINDOW_DAYS * 24 * HOUR_MS || (tries.pausedUntil !== undefined && tries.pausedUntil <= at);
  return fresh ? { wrong: abandoned, since: at, checking: live } : { wrong: tries.wrong + abandoned, since: tries.since, checking: live };
}

/** The tries with one check more under way, or why there is no room for one. */
export function reserveCheck(tries: DateOfBirthTries | undefined, id: string, now: Date): DateOfBirthTries | 'paused' | 'busy' {
  if (tries?.pausedUntil && Date.parse(tries.pausedUntil) > now.getTime()) return 'paused';
  const { wrong, since, checking } = current(tries, now);
  if (wrong >= WRONG_DATES_BEFORE_PAUSE) return pauseFrom(wrong, since, checking, now);
  if (wrong + checking.length >= WRONG_DATES_BEFORE_PAUSE) return 'busy';
  return { wrong, since, checking: [...checking, { id, at: now.toISOString() }] };
}

/** The tries once check `id` is settled: a wrong date counted, and at the limit the pause. */
export function settleCheck(tries: DateOfBirthTries | undefined, id: string, right: boolean, now: Date): DateOfBirthTries {
  const { wrong, since, checking } = current(tries, now);
  const others = checking.filter((check) => check.id !== id);
  // a check that outlived CHECK_SECONDS was folded in as wrong already: do not count it twice
  const counted = right || others.length === checking.length ? wrong : wrong + 1;
  if (counted < WRONG_DATES_BEFORE_PAUSE) return { wrong: counted, since, ...(others.length ? { checking: others } : {}) };
  // paused already (by a check settled a moment before this one): the pause stands as it is
  const standing = tries?.pausedUntil && Date.parse(tries.pausedUntil) > now.getTime() ? tries.pausedUntil : undefined;
  return standing ? { wrong: counted, since, pausedUntil: standing, ...(others.length ? { checking: others } : {}) } : pauseFrom(counted, since, others, now);
}

const pauseFrom = (wrong: number, since: string, checking: readonly { id: string; at: string }[], now: Date): DateOfBirthTries => ({
  wrong,
  since,
  pausedUntil: new Date(now.getTime() + PAUSE_HOURS * HOUR_MS).toISOString(),
  ...(checking.length ? { checking } : {}),
});

/** The answer while a case is paused: the same whatever date of birth is sent (none is looked at). */
export function casePaused(reference: string, until: string, now: Date): PublicError {
  return new PublicError(
    'too-many-tries',
    `Too many wrong dates of birth have been sent for ${reference}, so we have paused changes to it online until ${readableTime(until)} on ${readableDate(until, 'en')} (UK time). We have told the citizen by text. If this is your case, try again then, or contact us.`,
    [],
    { pausedUntil: until, retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000)) },
  );
}

/** The answer while the case's tries are all taken by checks under way: no date is looked at. */
export const checksUnderWay = (reference: string): PublicError =>
  new PublicError('too-many-tries', `Too many dates of birth are being checked for ${reference} at once. Try again in a minute.`, [], { retryAfterSeconds: 60 });

/**
 * Proves the case is the citizen's, or throws: the case is paused (429, whatever the date), its
 * tries are all taken by checks under way (429), or the date of birth is wrong (the unknown
 * reference's 404), counted on the case. The wrong date that reaches the limit pauses the case
 * and texts the citizen, once per pause.
 */
export async function proveOwnership(deps: TransitionDeps, record: CaseRecord, dateOfBirth: string, now: Date): Promise<void> {
  const until = pausedUntil(record, now);
  if (until) throw casePaused(record.reference, until, now);
  const id = randomUUID();
  let refused: { readonly until: string } | 'busy' | undefined;
  let reserved: CaseRecord;
  try {
    ({ record: reserved } = await deps.store.update(
      record.reference,
      (latest) => {
        const tries = reserveCheck(latest.dateOfBirthTries, id, now);
        if (tries === 'busy') refused = tries;
        else if (tries === 'paused') refused = { until: latest.dateOfBirthTries!.pausedUntil! };
        // over the limit by checks that were never settled: paused now, and this one compares nothing
        else refused = tries.pausedUntil ? { until: tries.pausedUntil } : undefined;
        return typeof tries === 'string' ? undefined : { set: { dateOfBirthTries: tries } };
      },
      { from: record, attempts: 10 },
    ));
  } catch (error) {
    // checks racing for the case's last tries: this one compares nothing
    if (error instanceof CaseConflict) throw checksUnderWay(record.reference);
    throw error;
  }
  if (refused === 'busy') throw checksUnderWay(record.reference);
  if (refused) throw casePaused(record.reference, refused.until, now);

  const right = matchesDateOfBirth(record, dateOfBirth);
  const at = now.toISOString();
  let paused: string | undefined;
  const { record: settled } = await deps.store.update(
    record.reference,
    (latest) => {
      const tries = settleCheck(latest.dateOfBirthTries, id, right, now);
      paused = latest.dateOfBirthTries?.pausedUntil === tries.pausedUntil ? undefined : tries.pausedUntil;
      return {
        set: { dateOfBirthTries: tries },
        ...(paused
          ? { append: { audit: [{ at, actor: 'platform', action: 'paused-after-wrong-dates-of-birth', reason: `${tries.wrong} wrong dates of birth since ${tries.since}: changes online paused until ${paused}.` }] } }
          : {}),
      };
    },
    { from: reserved, attempts: 10 },
  );
  if (right) return;
  deps.metrics.count(METRIC.wrongDatesOfBirth);
  if (paused) {
    deps.metrics.count(METRIC.casesPausedForDatesOfBirth);
    await announce(deps, milestoneEvent(settled, 'actions-paused', paused, at));
  }
  throw caseNotFound(record.reference);
}
