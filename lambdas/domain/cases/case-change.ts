// What a change to a case may say, typed: which attributes it sets or removes and what it appends
// to the case's lists. The stage, its history and what identifies the case are not among them:
// a stage changes only through the transitions module (transitions.ts), which hands the store a
// StageMove (stage-move.ts) that only it makes. Both case stores turn a change into the same flat write.
import type { AuditEntry, CaseRecord, NotificationRecord } from './case';
import { CaseConflict } from '../shared/errors';
import { StageMove } from './stage-move';

/** Attributes fixed when the case is made, or kept by the store and the transitions module. */
const FIXED = ['reference', 'journey', 'service', 'language', 'version', 'createdAt', 'updatedAt', 'stage', 'history', 'audit', 'applicant', 'details'] as const;
type Fixed = (typeof FIXED)[number];
export type ChangeableAttribute = Exclude<keyof CaseRecord, Fixed>;

export interface CaseChange {
  /** attributes to set */
  readonly set?: { readonly [K in ChangeableAttribute]?: CaseRecord[K] };
  /** attributes to remove (an attribute both set and removed is set) */
  readonly remove?: readonly ChangeableAttribute[];
  /** entries to add at the end of the case's lists; the audit trail is append-only */
  readonly append?: { readonly audit?: readonly AuditEntry[]; readonly notifications?: readonly NotificationRecord[] };
  /** a change of stage, made by transitions.ts: sets the stage and appends its history entry */
  readonly move?: StageMove;
}

/** A change as a store applies it: top-level sets, removes and list appends. */
export interface CaseWrite {
  readonly set: Readonly<Record<string, unknown>>;
  readonly remove: readonly string[];
  readonly append: Readonly<Record<string, readonly unknown[]>>;
}

const APPEND_ONLY = ['audit', 'history'];

export function caseWrite(change: CaseChange): CaseWrite {
  const set: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(change.set ?? {})) if (value !== undefined) set[attribute] = value;
  const append: Record<string, readonly unknown[]> = {};
  for (const [list, entries] of Object.entries(change.append ?? {})) if (entries && entries.length > 0) append[list] = entries;
  if (change.move !== undefined && !(change.move instanceof StageMove)) throw new Error('a case changes stage only through the transitions module');
  if (change.move) {
    set.stage = change.move.stage;
    set.lastMilestoneAt = change.move.at;
    append.history = [{ at: change.move.at, stage: change.move.stage }];
  }
  // The types already say so; this holds for callers that cast their way past them.
  const removed = (change.remove ?? []) as readonly string[];
  for (const list of APPEND_ONLY) {
    if ((change.set as Record<string, unknown> | undefined)?.[list] !== undefined || removed.includes(list)) throw new Error(`the ${list} of a case can only be appended to`);
  }
  if ('stage' in (change.set ?? {}) || removed.includes('stage')) throw new Error('a case changes stage only through the transitions module');
  const fixed = [...Object.keys(change.set ?? {}), ...removed].find((attribute) => (FIXED as readonly string[]).includes(attribute));
  if (fixed) throw new Error(`the ${fixed} of a case is fixed when it is made`);
  const remove = (change.remove ?? []).filter((attribute) => set[attribute] === undefined);
  return { set, remove, append };
}

/** A write lost a race: the case changed between the read and the conditional write. */
export const LOST_RACE = Symbol('lost race');

/** How a case store's update goes: how often it tries, and the case as the caller last read it. */
export interface UpdateOptions {
  /** lost races before CaseConflict (5) */
  readonly attempts?: number;
  /**
   * the case as the caller has just read or written it: the first attempt starts from it instead
   * of reading it again (a read saved); if it is out of date, the write loses the race and the
   * case is read as usual. If `decide` asks for no change, nothing is written and `record` is the
   * case as given: only as fresh as the caller's copy
   */
  readonly from?: CaseRecord;
}

/**
 * Optimistic concurrency, as every case store does it: read the case (or start from the one the
 * caller has), ask `decide` what to change, write it only if the case did not change in between;
 * on a lost race read and ask again, up to `attempts` times, then CaseConflict.
 */
export async function optimisticUpdate(
  reference: string,
  options: UpdateOptions,
  read: () => Promise<CaseRecord>,
  decide: (current: CaseRecord) => CaseChange | undefined,
  write: (current: CaseRecord, change: CaseWrite) => Promise<CaseRecord | typeof LOST_RACE>,
): Promise<{ record: CaseRecord; changed: boolean }> {
  const attempts = options.attempts ?? 5;
  // a case in hand is only a starting point for the same case (a store writes to the case it was given)
  if (options.from && options.from.reference !== reference) throw new Error(`an update of ${reference} was given ${options.from.reference} to start from`);
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && options.from?.journey ? options.from : await read();
    const change = decide(current);
    if (!change) return { record: current, changed: false };
    const written = await write(current, caseWrite(change));
    if (written !== LOST_RACE) return { record: written, changed: true };
    if (attempt >= attempts) throw new CaseConflict(reference);
  }
}
