/**
 * The one backoff of outbound delivery (Teams and WhatsApp alike): how long to wait before the next
 * attempt of a failed send. Pure: the caller draws the randomness.
 */
export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/** A Retry-After beyond this is not waited for in full: the message would be stale by then. */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * Exponential backoff with full jitter after the given failed attempt (1 = the first), never shorter
 * than what the server asked for with Retry-After (up to MAX_RETRY_AFTER_MS). `random` is in [0, 1).
 */
export function retryDelayMs(
  failedAttempt: number,
  policy: RetryPolicy,
  random: number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  const jittered = Math.floor(random * ceiling);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
