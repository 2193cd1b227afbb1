import type { ChatEvent } from '../model';

export type ChatMessage = Extract<ChatEvent, { kind: 'message' }>;

/**
 * What the agent reads of a chat: the customer's messages, the notes meant for the agent alone (a
 * supervisor's whisper among them) and what a supervisor wrote to the customer.
 */
export const isForAgent = (e: ChatEvent): e is ChatMessage =>
  e.kind === 'message' && (e.from === 'customer' || e.audience === 'agent' || e.supervision === 'barge-in');

/**
 * The messages an agent has not seen yet, from a chat's events after the agent's cursor, and the
 * cursor after them. The cursor moves past every event, not only relayed ones, so each event is looked
 * at once. The customer's first message is already on the offer card, so at the start of a session
 * (cursor 0) the first customer message is skipped when it is that text.
 */
export function messagesToRelay(
  eventsAfterCursor: readonly ChatEvent[],
  cursor: number,
  firstMessage: string | null,
): { messages: ChatMessage[]; cursor: number } {
  const sorted = [...eventsAfterCursor].filter((e) => e.seq > cursor).sort((a, b) => a.seq - b.seq);
  const first = sorted.find((e): e is ChatMessage => e.kind === 'message' && e.from === 'customer');
  const skip =
    cursor === 0 && first !== undefined && firstMessage !== null && first.text === firstMessage ? first : undefined;
  const messages = sorted.filter(isForAgent).filter((e) => e !== skip);
  return { messages, cursor: sorted.reduce((max, e) => Math.max(max, e.seq), cursor) };
}

/**
 * The events after the cursor that can be relayed now, without a hole: an event whose number is taken
 * but which is not stored yet (another instance is writing it) holds everything after it, so nothing
 * is relayed ahead of it. A hole older than `gapWaitMs` (judged by the event after it) is a number an
 * instance took and never wrote (it died in between) and no longer holds anything. `retryInMs`: when a
 * held relay should look again.
 */
export function withoutHoles(
  eventsAfterCursor: readonly ChatEvent[],
  cursor: number,
  now: number,
  gapWaitMs: number,
): { events: ChatEvent[]; retryInMs: number | undefined } {
  const sorted = [...eventsAfterCursor].filter((e) => e.seq > cursor).sort((a, b) => a.seq - b.seq);
  let expected = cursor + 1;
  for (const [n, e] of sorted.entries()) {
    if (e.seq !== expected && now - e.at < gapWaitMs)
      return { events: sorted.slice(0, n), retryInMs: Math.max(1, gapWaitMs - (now - e.at)) };
    expected = e.seq + 1;
  }
  return { events: sorted, retryInMs: undefined };
}
