import { z } from 'zod/v4';
import type { ErrorResponse, RequestProblem } from '../contracts';
import { AlreadyExistsError, ConcurrencyError, NotFoundError } from '../store';

/** The one error shape every endpoint answers with (the contract's `ErrorResponse`). */
export type ErrorBody = ErrorResponse;

/** An expected refusal at the HTTP edge, with the status and text the client should see. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const kebab = (s: string): string =>
  s
    .replace(/Error$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();

/** Maps any thrown value to a status and body. The single place where errors become HTTP. */
export function toErrorResponse(
  err: unknown,
  requestId: string,
): { status: number; body: ErrorBody; headers: Record<string, string>; unexpected: boolean } {
  const respond = (
    status: number,
    code: string,
    message: string,
    details?: unknown,
    headers: Record<string, string> = {},
  ) => ({
    status,
    body: { error: details === undefined ? { code, message } : { code, message, details } },
    headers,
    unexpected: false,
  });
  if (err instanceof HttpError) return respond(err.status, err.code, err.message, err.details, err.headers);
  if (err instanceof z.ZodError) {
    return respond(
      400,
      'invalid-request',
      'The request is not valid.',
      err.issues.map((i): RequestProblem => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  if (err instanceof NotFoundError) return respond(404, 'not-found', `The ${err.docType} was not found.`);
  if (err instanceof AlreadyExistsError) return respond(409, 'already-exists', `The ${err.docType} already exists.`);
  if (err instanceof ConcurrencyError)
    return respond(409, 'concurrent-change', 'Someone else changed this at the same time. Try again.');
  // restify's own errors (unknown route, wrong method, unreadable body) carry a status and a rest code.
  if (
    typeof err === 'object' &&
    err !== null &&
    'statusCode' in err &&
    typeof (err as { statusCode: unknown }).statusCode === 'number'
  ) {
    const e = err as { statusCode: number; restCode?: string; name?: string; message?: string };
    if (e.statusCode >= 400 && e.statusCode < 500) {
      const code = kebab(e.restCode ?? e.name ?? 'BadRequest');
      const message = code === 'resource-not-found' ? 'No such endpoint.' : e.message || 'The request was refused.';
      return respond(e.statusCode, code === 'resource-not-found' ? 'not-found' : code, message);
    }
  }
  return { ...respond(500, 'internal', `Something went wrong on our side. Reference: ${requestId}`), unexpected: true };
}
