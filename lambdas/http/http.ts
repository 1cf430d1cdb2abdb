// The HTTP edge shared by every API handler: body parsing with a size limit, the JSON error
// shape, caseworker identity, and the one place where typed errors become status codes.
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { CaseConflict, CaseNotFound, PublicError, caseNotFound } from '../domain/shared/errors';
import { logger } from '../adapters/aws/logger';
import { caseworkerFrom, type Caseworker } from '../domain/casework/sessions';

export const MAX_BODY_BYTES = 16 * 1024;

export type ApiHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
export type LambdaApiHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: PublicError): APIGatewayProxyResult {
  const body: Record<string, unknown> = { code: error.code, message: error.message, ...error.extra };
  if (error.fields.length > 0) body.fields = error.fields;
  const retryAfter = error.extra.retryAfterSeconds;
  return json(error.status, { error: body }, typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {});
}

/**
 * Wraps a handler so that any failure becomes a JSON error and no stack trace leaves the function,
 * and every log line of the request carries its Lambda and API Gateway request ids.
 */
export function httpHandler(fn: ApiHandler): LambdaApiHandler {
  return async (event, context) => {
    if (context) logger.addContext(context);
    logger.appendKeys({ apiRequestId: event.requestContext?.requestId, route: event.resource });
    try {
      return await fn(event);
    } catch (error) {
      if (error instanceof PublicError) return errorResponse(error);
      if (error instanceof CaseNotFound) return errorResponse(caseNotFound(error.reference));
      if (error instanceof CaseConflict) return errorResponse(new PublicError('conflict', 'Someone else changed this case at the same moment, so nothing was changed. Look at the case again, then try again.'));
      // Only the error's name (the route is on every line): messages can carry values from the request.
      logger.error('unhandled error', { error: (error as Error)?.name });
      return errorResponse(new PublicError('internal', 'Something went wrong on our side. Nothing you sent has been lost. Try again in a few minutes.'));
    } finally {
      // The local platform runs every function in one process: a request's keys end with it.
      logger.removeKeys(['apiRequestId', 'route']);
    }
  };
}

export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** Parses a JSON object body, enforcing the size limit and the content type. */
export function jsonBody(event: APIGatewayProxyEvent): Record<string, unknown> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new PublicError('payload-too-large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB. Send less information.`);
  }
  const type = header(event, 'content-type');
  if (type && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new PublicError('unsupported-media-type', 'Send the request body as JSON with the header Content-Type: application/json.');
  }
  if (text.trim() === '') throw new PublicError('invalid-json', 'The request body is empty. Send a JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PublicError('invalid-json', 'The request body is not valid JSON. Check for missing quotes, commas or brackets.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PublicError('invalid-json', 'The request body must be a JSON object, like {"name": "value", ...}, with the fields the README gives for this address.');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Who is calling, from the claims the Cognito authoriser (or the local server) put on the
 * request. API Gateway has already refused requests without a valid token; this is the second
 * line, so a handler wired up without an authoriser still refuses.
 */
export function caseworker(event: APIGatewayProxyEvent): Caseworker {
  const claims = (event.requestContext?.authorizer?.claims ?? {}) as Record<string, unknown>;
  const id = String(claims['cognito:username'] ?? claims.sub ?? '');
  const groupsClaim = claims['cognito:groups'];
  const groups = Array.isArray(groupsClaim) ? groupsClaim.map(String) : String(groupsClaim ?? '').split(/[\s,\[\]]+/);
  const who = caseworkerFrom(id, groups);
  if (!who) throw new PublicError('unauthorised', 'Sign in as a caseworker to use this. Send your token in the Authorization header.');
  return who;
}
