// Typed failures that a person can act on. The HTTP layer maps them to status codes in one
// place; anything else becomes a 500 whose body says nothing internal.
export type ErrorCode =
  | 'invalid-json'
  | 'invalid-request'
  | 'invalid-reference'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'unauthorised'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'not-eligible'
  | 'too-many-tries'
  | 'service-unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  'invalid-json': 400,
  'invalid-request': 400,
  'invalid-reference': 400,
  'unsupported-media-type': 415,
  'payload-too-large': 413,
  unauthorised: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'not-eligible': 409,
  'too-many-tries': 429,
  'service-unavailable': 503,
  internal: 500,
};

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class PublicError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PublicError';
    this.status = STATUS[code];
  }
}

/**
 * The one answer for a case that cannot be found, on every route. Where a date of birth proves
 * the case is the citizen's, a wrong one gets exactly this answer too, so it reveals nothing.
 */
export function caseNotFound(reference: string): PublicError {
  return new PublicError('not-found', `We cannot find a case with reference ${reference}. Check the reference, and the date of birth if you gave one, and try again.`);
}

/** A case already renewed or appealed: the one answer, whether it is found before the follow-up is made or while it is linked. */
export function alreadyFollowed(reference: string, link: 'renewedBy' | 'appealedBy', by: string): PublicError {
  return new PublicError('not-eligible', `${reference} has already been ${link === 'renewedBy' ? 'renewed' : 'appealed'}: see ${by}.`);
}

/** A queue's `next` cursor that the queue did not give out: refused, not trusted. */
export const invalidCursor = (): PublicError =>
  new PublicError('invalid-request', 'The "next" value is not one this queue gave out. Start from the first page.', [{ field: 'next', message: 'Use the "next" value from the previous page as it is.' }]);

/**
 * A case's service is no longer in the catalogue: one error everywhere. An API answers it as a
 * 409; a journey step fails with it (a permanent failure) and the case goes on hold.
 */
export class ServiceNotOffered extends PublicError {
  constructor(readonly service: string) {
    super('not-eligible', `The service "${service}" is no longer offered, so this case cannot move on here. Contact the team that runs it.`);
    this.name = 'ServiceNotOffered';
  }
}

/** Step Lambdas throw this when a case they were given does not exist; journeys do not retry it. */
export class CaseNotFound extends Error {
  constructor(readonly reference: string) {
    super(`case ${reference} does not exist`);
    this.name = 'CaseNotFound';
  }
}

/** A conditional write lost a race; the caller re-reads and tries again, or reports a 409. */
export class CaseConflict extends Error {
  constructor(reference: string) {
    super(`case ${reference} changed while it was being updated`);
    this.name = 'CaseConflict';
  }
}

/** A new case's reference is already taken (a retry of the same submission, or a race). */
export class CaseAlreadyExists extends Error {
  constructor(reference: string) {
    super(`case ${reference} already exists`);
    this.name = 'CaseAlreadyExists';
  }
}

/** The journey no longer waits on a task token: its wait timed out, or it was never known. */
export class TokenNotUsable extends Error {
  constructor(readonly why: 'timed-out' | 'unknown') {
    super(`the task token is no longer usable (${why})`);
    this.name = 'TokenNotUsable';
  }
}
