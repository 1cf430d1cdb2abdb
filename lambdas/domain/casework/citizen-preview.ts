// What the citizen will read if a caseworker sends a decision, a request for information or an
// explained delay: their status and the text message, in their language, made by the same code
// that will make them once it is sent, from the case as it would then be. Nothing is stored.
import type { CaseRecord, Outcome } from '../cases/case';
import { requireService } from '../services/catalogue';
import { statusWithDates, type StatusWithDates } from '../citizens/honest-dates';
import { followUp } from '../journeys/journey-steps';
import type { Milestone } from '../cases/milestones';
import { informationDeadline, pauseClock } from '../services/service-standards';
import { renderSms, smsSegments } from '../messages/sms';
import { ukDate } from '../shared/working-days';

export type CaseworkerAction = Outcome | 'delay';

export interface CitizenPreview {
  readonly status: StatusWithDates;
  readonly milestone: Milestone;
  /** the text message, when citizens are texted about the milestone */
  readonly sms?: { readonly text: string; readonly segments: number };
}

export interface ActionInput {
  readonly reason: string;
  /** for a delay: the new date */
  readonly newDate?: string;
}

export function previewFor(record: CaseRecord, action: CaseworkerAction, input: ActionInput, by: string, now: Date): CitizenPreview {
  const at = now.toISOString();
  const moved = (stage: CaseRecord['stage'], extra: Partial<CaseRecord>): CaseRecord => ({ ...record, ...extra, stage, history: [...record.history, { at, stage }], updatedAt: at });
  const decision = { outcome: action as Outcome, reason: input.reason, by, at };
  let after: CaseRecord;
  let milestone: Milestone;
  switch (action) {
    case 'approve':
    case 'refuse': {
      const stage = action === 'approve' ? 'approved' : 'refused';
      const follows = record.journey === 'appeal' ? {} : followUp(stage, record, requireService(record.service), ukDate(now));
      after = moved(stage, { decision, ...follows, delay: undefined, expectedBy: undefined });
      milestone = stage;
      break;
    }
    case 'request-information':
      after = moved('information-needed', {
        informationRequest: { reason: input.reason, by, at },
        expectedBy: informationDeadline(requireService(record.service), record.journey, now).date,
        delay: undefined,
        // the standard stops while they answer, and their status says so
        standard: record.standard && pauseClock(record.standard, at),
      });
      milestone = 'information-needed';
      break;
    case 'delay':
      after = { ...record, delay: { reason: input.reason, newDate: input.newDate ?? '', at } };
      milestone = 'delayed';
      break;
  }
  const text = renderSms(after, milestone);
  return { status: statusWithDates(after, after.language, { now }), milestone, ...(text ? { sms: { text, segments: smsSegments(text).segments } } : {}) };
}
