/**
 * Window accounting for messages to a chat platform: how many sends a destination (or a group of
 * destinations, such as one WhatsApp sender's chats) may take in a sliding time window.
 */
export type RateWindow = { limit: number; windowMs: number };

/** Bot Framework limits per bot and conversation in Microsoft Teams. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** Twilio's default throughput of one WhatsApp sender number, over all of its chats. */
export const WHATSAPP_SENDER_LIMITS: readonly RateWindow[] = [{ limit: 10, windowMs: 1_000 }];

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
