import { z } from 'zod/v4';
import { DisplayName, Id } from './common';
import { ImChannel } from './service';
import { Customer, TaskTarget } from './task';

/** Longest message a customer or an agent can send, in characters. */
export const MAX_MESSAGE_LENGTH = 4000;

/**
 * A customer conversation. It outlives its tasks: a transfer moves it to a new task in another
 * service, and the customer keeps one chat with one ordered event log.
 */
export const Chat = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('chat'),
  target: TaskTarget,
  channel: ImChannel,
  /** The Interact contact (snippet) the chat came from, for origin checks on later calls. */
  contactId: Id.nullable(),
  customer: Customer,
  state: z.enum(['open', 'ended']),
  createdAt: z.number().int(),
  endedAt: z.number().int().nullable(),
  endedBy: z.enum(['customer', 'agent', 'system']).nullable(),
  /** The task currently handling the chat. */
  task: z.object({ id: Id, queue: z.string().min(1) }).nullable(),
  /** The agent, with the name the customer sees (per the direct system messages). */
  agent: z.object({ userId: Id, displayName: DisplayName }).nullable(),
  /** The channel's own conversation reference (for WhatsApp: the thread with the customer's number). */
  channelRef: z.string().max(200).nullable().default(null),
  /** What the workflow collected (Collect Information, Save to Parameter), for the agent to see. */
  parameters: z.record(z.string(), z.string().max(1000)).default({}),
  /** Sequence number of the last event; events are numbered 1, 2, 3, ... */
  lastSeq: z.number().int().min(0),
});
export type Chat = z.infer<typeof Chat>;

export const MessageAuthor = z.enum(['customer', 'agent', 'system']);
export type MessageAuthor = z.infer<typeof MessageAuthor>;

const EventBase = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('chatEvent'),
  chatId: Id,
  seq: z.number().int().min(1),
  at: z.number().int(),
});

/**
 * One entry of a chat's log: a message, or a change the customer sees (waiting with a position,
 * connected to an agent, ended). Stored before it is delivered; the sequence number is the SSE event id.
 */
export const ChatEvent = z.discriminatedUnion('kind', [
  EventBase.extend({
    kind: z.literal('message'),
    from: MessageAuthor,
    /** Display name of the author as the customer sees it (agent per system messages). */
    authorName: z.string().min(1).max(100),
    text: z.string().min(1).max(MAX_MESSAGE_LENGTH),
    /** "agent": a note for the agent only (a failed delivery, a channel rule), never sent to the customer. */
    audience: z.enum(['all', 'agent']).default('all'),
    /**
     * A supervisor's message: a whisper (audience "agent": the agent sees it, the customer never) or a
     * barge-in (to the customer, under the supervisor's name, and shown to the agent too).
     */
    supervision: z.enum(['whisper', 'barge-in']).optional(),
  }),
  EventBase.extend({
    kind: z.literal('status'),
    state: z.enum(['waiting', 'connected', 'ended']),
    position: z.number().int().min(1).nullable(),
    estimatedWaitSeconds: z.number().int().min(0).nullable(),
    agentName: z.string().max(100).nullable(),
  }),
]);
export type ChatEvent = z.infer<typeof ChatEvent>;

/** Event document ids sort in sequence order. */
export const chatEventId = (seq: number): string => `e-${String(seq).padStart(10, '0')}`;
