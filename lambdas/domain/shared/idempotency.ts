// Idempotency keys: a retried submission with the same Idempotency-Key gets the same reference.
// What a key may look like, and the fingerprint that tells the same request from a different one;
// the keys are kept by an IdempotencyStore (domain/ports.ts) for a day.
import { createHash } from 'node:crypto';
import { PublicError } from './errors';

/** How long a key is remembered. */
export const IDEMPOTENCY_KEEP_SECONDS = 24 * 60 * 60;

/** One answer for a key reused with a different request, whichever store noticed. */
export const keyReused = (): PublicError =>
  new PublicError('conflict', 'This Idempotency-Key was already used for a different request. Use a new key for a new application.');

export const fingerprint = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** What a key may look like: 1 to 128 visible characters. */
export const isIdempotencyKey = (key: string): boolean => /^[\x21-\x7e]{1,128}$/.test(key);

export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!isIdempotencyKey(key)) {
    throw new PublicError('invalid-request', 'The Idempotency-Key header must be 1 to 128 visible characters, for example a UUID.', [
      { field: 'Idempotency-Key', message: 'Use 1 to 128 visible characters, for example a UUID.' },
    ]);
  }
  return key;
}
