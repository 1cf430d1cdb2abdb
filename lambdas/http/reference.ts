// The {reference} path parameter, normalised and checked before anything is read.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseReference } from '../domain/shared/reference';
import { PublicError } from '../domain/shared/errors';

export function requireReference(event: APIGatewayProxyEvent): string {
  let raw = event.pathParameters?.reference ?? '';
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // keep it as it came; the check below explains what is wrong
  }
  const parsed = parseReference(raw);
  if (!parsed.ok) throw new PublicError('invalid-reference', parsed.message, [{ field: 'reference', message: parsed.message }]);
  return parsed.reference;
}
