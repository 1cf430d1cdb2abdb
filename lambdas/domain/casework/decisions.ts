// A caseworker's decision: only on a case waiting for one, and only by someone the one rule of who
// may act allows (who-may-act.ts: a senior caseworker once the case has been escalated; on an
// appeal never the person who made the first decision).
import { DECIDED_STAGES, type AuditEntry, type CaseRecord, type Outcome } from '../cases/case';
import type { Caseworker } from './sessions';
import { completeWait, type CallbackDeps } from '../cases/callbacks';
import { PublicError } from '../shared/errors';
import { requireService } from '../services/catalogue';
import { informationDeadline } from '../services/service-standards';
import { whyNotYours } from './who-may-act';

/** An outcome as a sentence says it: "decided this case a moment ago (refused)". */
export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = { approve: 'approved', refuse: 'refused', 'request-information': 'asked for information' };

export interface DecisionRequest {
  readonly outcome: Outcome;
  readonly reason: string;
}

/** Who decides: a caseworker, as the sign-in and the API's authoriser name them. */
export type Decider = Caseworker;

export async function decide(deps: CallbackDeps, reference: string, who: Decider, request: DecisionRequest) {
  const now = deps.clock();
  const at = now.toISOString();
  const decision = { outcome: request.outcome, reason: request.reason, by: who.id, at };
  await completeWait(deps, reference, {
    check: (current) => {
      refuseIfNotDecidable(current, who);
      requireService(current.service); // before the claim: the output below needs its standards
    },
    change: { append: { audit: [{ at, actor: who.id, action: `decided:${request.outcome}`, reason: request.reason }] } },
    // A request for information waits the information standard from now, when it is asked.
    output: (claimed) => (request.outcome === 'request-information' ? { ...decision, informationSeconds: informationDeadline(requireService(claimed.service), claimed.journey, now).seconds } : decision),
    notApplied: (why) => ({
      audit: { at, actor: who.id, action: 'decision-not-applied', reason: why === 'timed-out' ? 'The service standard passed first.' : 'The journey was no longer waiting for a decision.' },
      error: new PublicError(
        'conflict',
        why === 'timed-out'
          ? 'Your decision was not applied: the case passed its service standard while you were deciding and has moved to the senior review queue. Open the case again.'
          : 'Your decision was not applied: the journey was no longer waiting for a decision on this case. Open the case again to see where it is.',
      ),
    }),
  });
  return decision;
}

function refuseIfNotDecidable(current: CaseRecord, who: Decider): void {
  const problem = whyNotDecidable(current, who);
  if (problem) throw problem;
}

/**
 * A decision sent a moment ago that the journey has not recorded yet: the claim on the journey's
 * wait is written at once, the change of stage by the journey's next step. Not one that was then
 * found not to apply (the audit says so), and not one from before the case was queued again.
 */
export function pendingDecision(record: CaseRecord): AuditEntry | undefined {
  const last = record.audit.findLast((entry) => entry.action.startsWith('decided:') || entry.action === 'decision-not-applied');
  const waitingAgain = Boolean(record.taskToken) || record.awaiting === 'decision';
  const undecidedStage = record.stage === 'awaiting-decision' || record.stage === 'escalated';
  return last?.action.startsWith('decided:') && !waitingAgain && undecidedStage && last.at >= (record.queuedAt ?? '') ? last : undefined;
}

/** Why `who` cannot decide the case now, or undefined when they can: the API refuses with it, the console says it. */
export function whyNotDecidable(current: CaseRecord, who: Decider): PublicError | undefined {
  if (current.awaiting === 'decision' && current.taskToken) return whyNotYours(current, who);
  const lastDecision = current.audit.findLast((entry) => entry.action.startsWith('decided:'));
  if (current.decision || DECIDED_STAGES.includes(current.stage)) {
    const outcome = current.decision ? OUTCOME_WORDS[current.decision.outcome] : current.stage;
    return new PublicError('conflict', `This case has already been decided: ${outcome}${lastDecision ? ` by ${lastDecision.actor}` : ''}. It cannot be decided again.`);
  }
  const pending = pendingDecision(current);
  if (pending) {
    const outcome = OUTCOME_WORDS[pending.action.slice('decided:'.length) as Outcome];
    return new PublicError('conflict', `${pending.actor} decided this case a moment ago (${outcome}). Your decision was not applied.`);
  }
  if (current.awaiting === 'information') {
    return new PublicError('conflict', 'This case is waiting for information from the citizen. It returns to the queue when they answer or their time runs out.');
  }
  return new PublicError('conflict', `This case is not waiting for a decision (it is at "${current.stage}").`);
}
