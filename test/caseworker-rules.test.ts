// The rules under the caseworker console, without I/O: how long a session lasts, how a queue is
// ordered and flagged, and what the citizen is shown to read before a caseworker sends an action.
import type { CaseRecord } from '../lambdas/domain/cases/case';
import type { QueueEntry } from '../lambdas/domain/ports';
import { carriesToken, idleDeadlineAfter, isActive, newSession, sessionId, IDLE_MINUTES, SESSION_HOURS } from '../lambdas/domain/casework/sessions';
import { arrangeQueue, queueRow, PAGE_SIZE } from '../lambdas/domain/casework/work-queue';
import { previewFor } from '../lambdas/domain/casework/citizen-preview';
import { receivedCase } from '../lambdas/domain/cases/transitions';
import { workingDaysBetween } from '../lambdas/domain/shared/working-days';
import { canExplainDelay, delayDateProblem, whyNotDelayable } from '../lambdas/domain/casework/delays';
import { pendingDecision, whyNotDecidable } from '../lambdas/domain/casework/decisions';

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

describe('a console session', () => {
  const start = at('2026-11-23T09:00:00Z');
  const { token, session } = newSession({ id: 'dev-caseworker', senior: false }, start);

  it('is stored under the hash of its token, with a form token of its own', () => {
    expect(session.id).toBe(sessionId(token));
    expect(session.id).not.toContain(token);
    expect(session.csrf).toMatch(/^[\w-]{43}$/);
    expect(session.csrf).not.toBe(token);
  });

  it(`lets its caseworker in until ${IDLE_MINUTES} minutes pass without a request`, () => {
    expect(isActive(session, new Date(start.getTime() + minutes(IDLE_MINUTES) - 1))).toBe(true);
    expect(isActive(session, new Date(start.getTime() + minutes(IDLE_MINUTES)))).toBe(false);
  });

  it('moves the idle deadline on with activity, at most once a minute, never past the end of the day', () => {
    expect(idleDeadlineAfter(session, new Date(start.getTime() + 30_000))).toBeUndefined();
    const later = new Date(start.getTime() + minutes(10));
    expect(idleDeadlineAfter(session, later)).toBe(new Date(later.getTime() + minutes(IDLE_MINUTES)).toISOString());
    const lastHour = new Date(start.getTime() + minutes(SESSION_HOURS * 60 - 10));
    expect(idleDeadlineAfter({ ...session, idleUntil: new Date(lastHour.getTime() + minutes(5)).toISOString() }, lastHour)).toBe(session.endsAt);
  });

  it(`ends ${SESSION_HOURS} hours after signing in, however busy`, () => {
    const end = new Date(start.getTime() + minutes(SESSION_HOURS * 60));
    expect(isActive({ ...session, idleUntil: new Date(end.getTime() + minutes(20)).toISOString() }, end)).toBe(false);
  });

  it('accepts a form only with its own token', () => {
    expect(carriesToken(session, session.csrf)).toBe(true);
    expect(carriesToken(session, undefined)).toBe(false);
    expect(carriesToken(session, '')).toBe(false);
    expect(carriesToken(session, session.csrf.slice(1))).toBe(false);
    expect(carriesToken(session, newSession({ id: 'dev-senior', senior: true }, start).session.csrf)).toBe(false);
  });
});

describe('a queue', () => {
  // Monday 23 November 2026
  const today = '2026-11-23';
  const now = '2026-11-23T10:00:00.000Z';
  const entry = (reference: string, fields: Partial<QueueEntry>): QueueEntry => ({ reference, journey: 'application', service: 'parking-permit', stage: 'awaiting-decision', queuedAt: '2026-11-20T10:00:00.000Z', complex: false, ...fields });

  it('puts what is overdue first, most overdue at the top, then by due date, then the longest waiting', () => {
    const shown = arrangeQueue(
      'awaiting-decision',
      [
        entry('APP-DUE-LATER', { expectedBy: '2026-12-04', queuedAt: '2026-11-01T10:00:00.000Z' }),
        entry('APP-DUE-SOON-NEW', { expectedBy: '2026-11-25', queuedAt: '2026-11-22T10:00:00.000Z' }),
        entry('APP-DUE-SOON-OLD', { expectedBy: '2026-11-25', queuedAt: '2026-11-21T10:00:00.000Z' }),
        entry('APP-OVERDUE', { expectedBy: '2026-11-20' }),
        entry('APP-VERY-OVERDUE', { expectedBy: '2026-11-10' }),
        entry('APP-NO-DATE', {}),
      ],
      { today, now },
    );
    expect(shown.rows.map((row) => row.reference)).toEqual(['APP-VERY-OVERDUE', 'APP-OVERDUE', 'APP-DUE-SOON-OLD', 'APP-DUE-SOON-NEW', 'APP-DUE-LATER', 'APP-NO-DATE']);
    expect(shown.overdue).toBe(2);
  });

  it('flags a case the citizen has heard nothing about for the service\'s quiet interval (5 working days), counting working days only', () => {
    // Monday 16th to Monday 23rd is 5 working days; Tuesday 17th is 4
    expect(workingDaysBetween('2026-11-16', today)).toBe(5);
    expect(queueRow('awaiting-decision', entry('A', { lastMilestoneAt: '2026-11-16T15:00:00.000Z' }), today).quietForWorkingDays).toBe(5);
    expect(queueRow('awaiting-decision', entry('B', { lastMilestoneAt: '2026-11-17T15:00:00.000Z' }), today).quietForWorkingDays).toBeUndefined();
    // with no milestone recorded, quiet since it was queued
    expect(queueRow('on-hold', entry('C', { queuedAt: '2026-11-02T10:00:00.000Z' }), today).quietForWorkingDays).toBe(15);
  });

  it('filters by service and journey, and pages 25 at a time', () => {
    const many = Array.from({ length: PAGE_SIZE + 3 }, (_, i) => entry(`APP-${String(i).padStart(3, '0')}`, { expectedBy: '2026-12-01' }));
    const renewal = entry('REN-1', { journey: 'renewal', expectedBy: '2026-12-01' });
    const second = arrangeQueue('awaiting-decision', [...many, renewal], { today, now, page: 2, filters: { journey: 'application' } });
    expect([second.total, second.pages, second.page, second.rows.length]).toEqual([PAGE_SIZE + 3, 2, 2, 3]);
    expect(arrangeQueue('awaiting-decision', [...many, renewal], { today, now, filters: { journey: 'renewal' } }).rows.map((row) => row.reference)).toEqual(['REN-1']);
    expect(arrangeQueue('awaiting-decision', many, { today, now, filters: { service: 'no-such-service' } }).total).toBe(0);
    // a page past the end shows the last
    expect(arrangeQueue('awaiting-decision', many, { today, now, page: 99 }).page).toBe(2);
  });

  it('of renewals due shows only permits whose reminder has come, due when the permit runs out', () => {
    const shown = arrangeQueue('renewal-due', [entry('APP-DUE', { queuedAt: '2026-11-20T09:00:00.000Z' }), entry('APP-LATER', { queuedAt: '2027-03-01T09:00:00.000Z' })], { today, now });
    expect(shown.rows.map((row) => [row.reference, row.dueOn, row.quietForWorkingDays])).toEqual([['APP-DUE', '2026-12-18', undefined]]);
  });

  it('of renewals due keeps a reminded permit until it runs out, and never lists one that has', () => {
    const reminded = entry('APP-REMINDED', { stage: 'renewal-due', queuedAt: '2026-12-11T00:00:00.000Z' });
    const ranOut = entry('APP-RAN-OUT', { stage: 'renewal-due', queuedAt: '2026-11-22T00:00:00.000Z' });
    const neverReminded = entry('APP-MISSED', { stage: 'approved', queuedAt: '2025-10-01T09:00:00.000Z' });
    const shown = arrangeQueue('renewal-due', [reminded, ranOut, neverReminded], { today, now });
    expect(shown.rows.map((row) => [row.reference, row.dueOn])).toEqual([['APP-REMINDED', '2026-12-10']]);
    expect(shown.total).toBe(1);
  });
});

describe('what the citizen will read', () => {
  const now = at('2026-11-23T10:00:00Z');
  const waiting = (language: 'en' | 'cy'): CaseRecord => ({
    ...receivedCase(
      { reference: 'APP-7K3M-9Q2X-4FJT', journey: 'application', service: 'parking-permit', language, applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123' }, details: {} },
      at('2026-11-20T10:00:00Z'),
    ),
    stage: 'awaiting-decision',
    expectedBy: '2026-12-04',
  });

  it('is the refusal with its reason, the time to appeal and the text, in Welsh for a Welsh speaker', () => {
    const preview = previewFor(waiting('cy'), 'refuse', { reason: 'Mae eich cyfeiriad y tu allan i’r parthau.' }, 'dev-caseworker', now);
    expect(preview.status.language).toBe('cy');
    expect(preview.status.stage.code).toBe('refused');
    expect(preview.status.stage.description).toContain('Mae eich cyfeiriad y tu allan i’r parthau.');
    expect(preview.status.nextSteps).toContain('21 Rhagfyr 2026');
    expect(preview.sms?.text).toContain('APP-7K3M-9Q2X-4FJT');
    expect(preview.milestone).toBe('refused');
  });

  it('is the approval with the permit\'s end date, in one text message', () => {
    const preview = previewFor(waiting('en'), 'approve', { reason: '' }, 'dev-caseworker', now);
    expect(preview.status.nextSteps).toContain('23 November 2027');
    expect(preview.sms?.segments).toBe(1);
  });

  it('is the request in the caseworker\'s words with the date to answer by', () => {
    const preview = previewFor(waiting('en'), 'request-information', { reason: 'Send a photo of your V5C.' }, 'dev-caseworker', now);
    expect(preview.status.stage.code).toBe('information-needed');
    expect(JSON.stringify(preview.status)).toContain('Send a photo of your V5C.');
    expect(preview.status.expectedBy).toBe('2026-12-14');
  });

  it('is the delay with its reason and new date, at the same stage', () => {
    const preview = previewFor(waiting('en'), 'delay', { reason: 'We are waiting for the DVLA.', newDate: '2027-01-15' }, 'dev-caseworker', now);
    expect(preview.status.stage.code).toBe('awaiting-decision');
    expect(preview.status.delay).toEqual({ reason: 'We are waiting for the DVLA.', newDate: '2027-01-15' });
    expect(preview.sms?.text).toContain('15 January 2027');
  });
});

describe('what a caseworker may do', () => {
  const base = (): CaseRecord => ({
    ...receivedCase(
      { reference: 'APP-7K3M-9Q2X-4FJT', journey: 'application', service: 'parking-permit', language: 'en', applicant: { name: 'Alex Example', dateOfBirth: '1990-04-01', phone: '+447700900123' }, details: {} },
      at('2026-11-20T10:00:00Z'),
    ),
    stage: 'awaiting-decision',
    awaiting: 'decision',
    taskToken: 'token',
    queue: 'awaiting-decision',
    queuedAt: '2026-11-20T10:05:00.000Z',
    expectedBy: '2026-12-04',
  });
  const claimed = (record: CaseRecord, ...audit: CaseRecord['audit']): CaseRecord => {
    const { taskToken: _token, awaiting: _awaiting, queue: _queue, queuedAt: _queuedAt, ...rest } = record;
    return { ...rest, audit: [...record.audit, ...audit] };
  };

  it('explains a delay only while a caseworker owes the decision, never while the citizen owes us information', () => {
    for (const stage of ['received', 'checks-complete', 'on-hold', 'information-needed', 'approved', 'refused'] as const) expect([stage, canExplainDelay({ ...base(), stage })]).toEqual([stage, false]);
    for (const stage of ['awaiting-decision', 'escalated'] as const) expect([stage, canExplainDelay({ ...base(), stage })]).toEqual([stage, true]);
  });

  it('sees a decision sent a moment ago as being recorded, until the journey records it or finds it did not apply', () => {
    const decided = claimed(base(), { at: '2026-11-23T10:00:00.000Z', actor: 'dev-caseworker', action: 'decided:approve' });
    expect(pendingDecision(decided)?.actor).toBe('dev-caseworker');
    expect(canExplainDelay(decided)).toBe(false);
    expect(whyNotDecidable(decided, { id: 'dev-senior', senior: true })?.message).toBe('dev-caseworker decided this case a moment ago (approved). Your decision was not applied.');
    const notApplied = { ...decided, audit: [...decided.audit, { at: '2026-11-23T10:00:01.000Z', actor: 'dev-caseworker', action: 'decision-not-applied' }] };
    expect(pendingDecision(notApplied)).toBeUndefined();
    expect(pendingDecision({ ...decided, stage: 'approved' })).toBeUndefined();
    // queued again since (after a request for information was answered)
    expect(pendingDecision({ ...base(), audit: decided.audit })).toBeUndefined();
  });

  it('lets nobody act on an appeal against their own decision, and only a senior on a case in senior review, whatever the action', () => {
    const caseworker = { id: 'cw-1', senior: false };
    const senior = { id: 'cw-2', senior: true };
    const appeal: CaseRecord = { ...base(), journey: 'appeal', originalDecisionBy: 'cw-1', links: { appeals: 'APP-FIRST' } };
    const escalated: CaseRecord = { ...base(), stage: 'escalated', queue: 'senior-review' };
    for (const [record, who, allowed] of [[appeal, caseworker, false], [appeal, senior, true], [escalated, caseworker, false], [escalated, senior, true], [base(), caseworker, true]] as const) {
      expect([record.reference, who.id, whyNotDecidable(record, who)?.status ?? 'allowed']).toEqual([record.reference, who.id, allowed ? 'allowed' : 403]);
      expect([record.reference, who.id, whyNotDelayable(record, who)?.status ?? 'allowed']).toEqual([record.reference, who.id, allowed ? 'allowed' : 403]);
    }
    // not even a senior, on an appeal against their own decision
    expect(whyNotDelayable({ ...appeal, originalDecisionBy: 'cw-2' }, senior)?.message).toMatch(/Someone else must deal with the appeal/);
  });

  it('takes a delay only to a date later than the one the citizen has', () => {
    expect(delayDateProblem(base(), '2026-12-04')).toMatch(/after 4 December 2026/);
    expect(delayDateProblem(base(), '2026-12-05')).toBeUndefined();
    const delayed = { ...base(), delay: { reason: 'DVLA', newDate: '2027-01-15', at: '2026-11-23T10:00:00.000Z' } };
    expect(delayDateProblem(delayed, '2027-01-10')).toMatch(/after 15 January 2027/);
  });
});
