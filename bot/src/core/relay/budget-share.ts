import type { RateWindow } from './rate-windows';

/**
 * Budget share: several server instances send to the same Teams conversations, and together they must
 * stay within one conversation's windows. Each instance counts the live instances it knows (itself
 * included) and sends at most floor(limit / n) per window; the sum over n instances is then at most
 * n * floor(limit / n) <= limit. Nobody counts another instance's sends: the shares alone keep the sum.
 *
 * Why the sum never exceeds a window's limit, also while instances join and leave:
 * - Shrinking is immediate: an instance shrinks its share as soon as a renewal shows it one more
 *   member. The lane keeps its past send times, so from then on it sends only when its own count in
 *   the window is below the new share.
 * - Joining: a newcomer sends nothing until every other live member has written a renewal that names
 *   it as known (`knows`), i.e. has already shrunk to the share for n members. Sends that the others
 *   made before they shrank may still lie inside a window that reaches back before that moment, so
 *   the newcomer also waits a join grace (the longest window it guarantees, 30 s by default) before
 *   its first send. Only then can no window hold both an old, larger share of another member and a
 *   send of the newcomer. A lone instance that finds no other live member has no one to wait for.
 * - Leaving: a share grows back only after the departed member's document expired or was removed, and,
 *   per window, only once a whole window has passed since then (`windowCount`). A member that expired
 *   is dead or has stopped sending: an instance whose own lease lapsed holds its sends until it has
 *   renewed and joined again. A member that stops cleanly stops sending before it deletes its document.
 *   So a grown share never meets sends the departed member made with its share.
 * - More than MAX_SHARED_INSTANCES (7) live instances: floor(7 / n) would be 0 for the 1 s window, so
 *   each instance keeps 1 per window and logs a warning; the sum can then exceed the limit (the
 *   Connector's 429 and Retry-After still apply). Beyond 7 instances the guarantee needs one owner
 *   instance per conversation, which is a plan on paper, not built.
 * - Windows longer than the join grace (the hourly 1,800): a window reaching back before a join may
 *   hold up to the newcomer's share more than the limit, once, in the hour after the join.
 * - Clocks: expiry is judged by `expiresAt` as the writer's clock set it; the instances' clocks are
 *   assumed to agree within a small fraction of the renewal interval (NTP).
 */
export const MAX_SHARED_INSTANCES = 7;

/** One member as another instance reads it. */
export type MemberView = { id: string; renewedAt: number; knows: readonly string[] };

/** An instance's share of each window when it knows `countFor(window)` live instances (itself included). */
export function shareWindows(windows: readonly RateWindow[], countFor: (window: RateWindow) => number): RateWindow[] {
  return windows.map((w) => {
    const n = Math.max(1, Math.floor(countFor(w)));
    // Never 0: an instance always keeps one send per window (the sum holds while n <= MAX_SHARED_INSTANCES).
    return { limit: Math.max(1, Math.floor(w.limit / n)), windowMs: w.windowMs };
  });
}

/** The share of every window with `n` instances. */
export const shareOf = (windows: readonly RateWindow[], n: number): RateWindow[] => shareWindows(windows, () => n);

/**
 * How many instances count against a window of `windowMs` at `now`: itself, every member live now, and
 * every member that left less than a window ago (its sends may still be in the window).
 * `leftAt` is undefined for a member live now.
 */
export function windowCount(members: Iterable<{ leftAt: number | undefined }>, windowMs: number, now: number): number {
  let n = 1;
  for (const m of members) if (m.leftAt === undefined || m.leftAt > now - windowMs) n++;
  return n;
}

/**
 * The join rule: every other live member has renewed since `self` registered at `joinedAt`, and that
 * renewal names `self` as known (so it counts it in its share). True at once when there is no other.
 */
export const joinSettled = (self: string, joinedAt: number, others: readonly MemberView[]): boolean =>
  others.every((m) => m.id === self || (m.renewedAt >= joinedAt && m.knows.includes(self)));
