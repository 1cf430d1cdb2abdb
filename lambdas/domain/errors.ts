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

/** Step Lambdas throw this when a case they were given does not exist; journeys do not retry it. */
export class CaseNotFound extends Error {
  constructor(reference: string) {
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
