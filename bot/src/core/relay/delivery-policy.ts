/**
 * Delivery rules for messages to a chat platform: how many sends one conversation may take in a time
 * window, which failures are worth another attempt, and how long to wait before it.
 */
export type RateWindow = { limit: number; windowMs: number };

/** Bot Framework limits per bot and conversation in Microsoft Teams. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** Milliseconds until one more send fits every window, given the times of earlier sends (any order). */
export function rateLimitDelay(sentAt: readonly number[], windows: readonly RateWindow[], now: number): number {
  const sorted = [...sentAt].sort((a, b) => a - b);
  let wait = 0;
  for (const { limit, windowMs } of windows) {
    const inWindow = sorted.filter((t) => t > now - windowMs);
    if (inWindow.length < limit) continue;
    // The send that must leave the window before another one fits.
    const blocking = inWindow[inWindow.length - limit]!;
    wait = Math.max(wait, blocking + windowMs - now);
  }
  return wait;
}

/** Sends older than the longest window no longer matter. */
export function pruneSendTimes(sentAt: readonly number[], windows: readonly RateWindow[], now: number): number[] {
  const longest = Math.max(0, ...windows.map((w) => w.windowMs));
  return sentAt.filter((t) => t > now - longest);
}

export type FailureKind = 'retry' | 'give-up';

/**
 * Throttling (429), a lost precondition race (412) and server errors (5xx) pass; a network error
 * without a status may too. Other refusals (bad request, forbidden, conversation gone) will not change.
 */
export function failureKind(status: number | undefined): FailureKind {
  if (status === undefined) return 'retry';
  if (status === 429 || status === 412 || status === 408) return 'retry';
  if (status >= 500 && status !== 501 && status !== 505) return 'retry';
  return 'give-up';
}

export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/** A Retry-After beyond this is not waited for in full: the message would be stale by then. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * Exponential backoff with full jitter after the given failed attempt (1 = the first), never shorter
 * than what the server asked for with Retry-After. `random` is in [0, 1).
 */
export function retryDelayMs(failedAttempt: number, policy: RetryPolicy, random: number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  const jittered = Math.floor(random * ceiling);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
