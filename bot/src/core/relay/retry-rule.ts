/**
 * Which failed sends are worth another attempt. The decision is made here only, from what the attempt
 * says about itself; channels translate their errors into an `AttemptFailure` and nothing more.
 */
export type AttemptFailure = {
  /** The HTTP status of the refusal; undefined when no answer came at all (network error, timeout). */
  status: number | undefined;
  /** How long the platform asked to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  message: string;
  /** The platform's own error code, when it gave one (Twilio's 63016, say). */
  code?: string;
  /** The attempt cannot succeed however often it runs (nothing left to update, an answer we cannot read). */
  final?: boolean;
};

export type FailureKind = 'retry' | 'give-up';

/**
 * Throttling (429, with or without Retry-After), a lost precondition race (412), a timeout (408) and
 * server errors (5xx) pass; so does a network error without a status. Other refusals (bad request,
 * forbidden, conversation gone, not implemented) will not change.
 */
export function failureKind(status: number | undefined): FailureKind {
  if (status === undefined) return 'retry';
  if (status === 429 || status === 412 || status === 408) return 'retry';
  if (status >= 500 && status !== 501 && status !== 505) return 'retry';
  return 'give-up';
}

/** The retry decision for one failed attempt. */
export const retryRule = (failure: AttemptFailure): FailureKind =>
  failure.final ? 'give-up' : failureKind(failure.status);
