import { z } from 'zod/v4';
import { MessageAuthor } from '../core/model';

// A chat's log as its two sides receive it. On both event streams `event: message` and `event: status`
// carry `id: <seq>`; `typing` and `reset` carry none.

const ChatState = z.enum(['waiting', 'connected', 'ended']);

/** The customer's view of a message (the widget's `event: message`); notes meant for the agent are never sent. */
export const CustomerMessageEvent = z.object({
  seq: z.number().int(),
  at: z.number().int(),
  from: MessageAuthor,
  authorName: z.string(),
  text: z.string(),
});
export type CustomerMessageEvent = z.infer<typeof CustomerMessageEvent>;

/** The customer's view of a status (the widget's `event: status`): the queue position while waiting. */
export const CustomerStatusEvent = z.object({
  seq: z.number().int(),
  at: z.number().int(),
  state: ChatState,
  position: z.number().int().nullable(),
  estimatedWaitSeconds: z.number().int().nullable(),
  agentName: z.string().nullable(),
});
export type CustomerStatusEvent = z.infer<typeof CustomerStatusEvent>;

/** The agent's view of one event (the tab's stream, its event list, a posted message), with its kind. */
export const ChatEventView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('message'),
    seq: z.number().int(),
    at: z.number().int(),
    from: MessageAuthor,
    authorName: z.string(),
    text: z.string(),
    /** "agent": a note for the agent only (a failed delivery, a channel rule). */
    audience: z.enum(['all', 'agent']).default('all'),
    /** A supervisor's whisper (to the agent only) or barge-in (to the customer); absent for everything else. */
    supervision: z.enum(['whisper', 'barge-in']).optional(),
  }),
  z.object({
    kind: z.literal('status'),
    seq: z.number().int(),
    at: z.number().int(),
    state: ChatState,
    agentName: z.string().nullable(),
  }),
]);
export type ChatEventView = z.infer<typeof ChatEventView>;

/** `event: typing`: the other side started or stopped typing. */
export const TypingEvent = z.object({ from: z.enum(['customer', 'agent']), typing: z.boolean() });
export type TypingEvent = z.infer<typeof TypingEvent>;

/**
 * `event: reset`: the log is shorter than where the client resumed (a store restored from an older
 * copy). The client forgets what it shows; the whole log follows on the same stream.
 */
export const ResetEvent = z.object({ lastSeq: z.number().int() });
export type ResetEvent = z.infer<typeof ResetEvent>;

/** `event: changed` on the tab's overview stream: something My Sessions shows changed; the tab refetches. */
export const OverviewChanged = z.object({
  kind: z.enum(['offers', 'sessions', 'availability', 'pickup', 'messages', 'heartbeat']),
});
export type OverviewChanged = z.infer<typeof OverviewChanged>;
