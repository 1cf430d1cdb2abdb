// A caseworker's console session: made when they sign in, ended when they sign out, after half an
// hour without a request, or at the end of a working day, whichever comes first. The browser holds
// a random token; the store holds only its hash, so a copy of the table signs nobody in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Ended after this long without a request (NCSC: short idle timeouts for privileged access). */
export const IDLE_MINUTES = 30;
/** Ended this long after signing in, however busy: a working day. */
export const SESSION_HOURS = 8;
/** Activity moves the idle timeout on at most this often, so a busy page costs one write a minute, not one per request. */
const REFRESH_AFTER_SECONDS = 60;

export interface Caseworker {
  /** the username, as the audit trail records who acted */
  readonly id: string;
  readonly senior: boolean;
}

/** The user pool's groups: a caseworker works the queues; a senior caseworker also decides cases past their standard. */
export const CASEWORKER_GROUP = 'caseworkers';
export const SENIOR_GROUP = 'senior-caseworkers';

/** The caseworker an identity provider vouches for, by their groups; undefined for someone in neither. */
export function caseworkerFrom(id: string, groups: readonly string[]): Caseworker | undefined {
  if (!id || !(groups.includes(CASEWORKER_GROUP) || groups.includes(SENIOR_GROUP))) return undefined;
  return { id, senior: groups.includes(SENIOR_GROUP) };
}

export interface Session {
  /** the hash of the browser's token */
  readonly id: string;
  readonly caseworker: Caseworker;
  /** the token every form of the session carries (cross-site request forgery) */
  readonly csrf: string;
  readonly createdAt: string;
  /** ended when no request comes before this */
  readonly idleUntil: string;
  /** ended at this time whatever happens */
  readonly endsAt: string;
}

const minutes = (n: number) => n * 60_000;

/** The hash a token is stored under. */
export const sessionId = (token: string): string => createHash('sha256').update(token).digest('base64url');

export const randomToken = (): string => randomBytes(32).toString('base64url');

export function newSession(caseworker: Caseworker, now: Date): { token: string; session: Session } {
  const token = randomToken();
  const session: Session = {
    id: sessionId(token),
    caseworker,
    csrf: randomToken(),
    createdAt: now.toISOString(),
    idleUntil: new Date(now.getTime() + minutes(IDLE_MINUTES)).toISOString(),
    endsAt: new Date(now.getTime() + minutes(SESSION_HOURS * 60)).toISOString(),
  };
  return { token, session };
}

/** Whether the session still lets its caseworker in at `now`. */
export const isActive = (session: Session, now: Date): boolean => now.toISOString() < session.idleUntil && now.toISOString() < session.endsAt;

/** The new idle deadline after a request at `now`, or undefined when the last one was moments ago. */
export function idleDeadlineAfter(session: Session, now: Date): string | undefined {
  const next = new Date(Math.min(now.getTime() + minutes(IDLE_MINUTES), Date.parse(session.endsAt))).toISOString();
  return Date.parse(next) - Date.parse(session.idleUntil) >= REFRESH_AFTER_SECONDS * 1000 ? next : undefined;
}

/** Whether a form carried the session's own token; compared in constant time. */
export function carriesToken(session: Session, given: string | undefined): boolean {
  const expected = Buffer.from(session.csrf);
  const actual = Buffer.from(given ?? '');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
