import { z } from 'zod/v4';
import { Chat, Customer, ImChannel, Presence, RonaReason, TaskOutcome, UserSessionReport } from '../core/model';
import { ChatEventView } from './chat-events';

// My Sessions in the tab: the signed-in agent's offers, live chats, availability and history.

/** Where a session came in: a service by its name, or the agent contacted directly. */
export const TargetView = z.object({ kind: z.enum(['user', 'service']), id: z.string(), name: z.string() });
export type TargetView = z.infer<typeof TargetView>;

export const AgentView = z.object({
  presence: Presence,
  rona: z.object({ until: z.number().int(), reason: RonaReason }).nullable(),
  notAvailableReason: z.string().nullable(),
  activeChats: z.number().int(),
  /**
   * What routing uses: the manual status or Teams presence, the more restrictive wins, and why (a Teams
   * call blocks offers). Absent from servers before Teams presence.
   */
  effective: z
    .object({
      presence: Presence,
      blockedBy: z.enum(['call', 'presenting']).nullable(),
      source: z.enum(['manual', 'teams']),
      why: z.string(),
    })
    .optional(),
});
export type AgentView = z.infer<typeof AgentView>;

export const OfferView = z.object({
  taskId: z.string(),
  offerId: z.string(),
  customer: Customer,
  channel: ImChannel,
  target: TargetView,
  firstMessage: z.string().nullable(),
  offeredAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type OfferView = z.infer<typeof OfferView>;

export const ActiveSession = z.object({
  chatId: z.string(),
  taskId: z.string(),
  customer: Customer,
  channel: ImChannel,
  target: TargetView,
  connectedAt: z.number().int().nullable(),
  lastSeq: z.number().int(),
});
export type ActiveSession = z.infer<typeof ActiveSession>;

export const Overview = z.object({ agent: AgentView, offers: z.array(OfferView), active: z.array(ActiveSession) });
export type Overview = z.infer<typeof Overview>;

export const AcceptResult = z.object({ chatId: z.string() });
export type AcceptResult = z.infer<typeof AcceptResult>;

export const SessionDetail = z.object({
  chatId: z.string(),
  taskId: z.string().nullable(),
  state: Chat.shape.state,
  /** True while the agent can still write: the task is connected to them and the chat open. */
  live: z.boolean(),
  customer: Customer,
  channel: ImChannel,
  target: TargetView,
  firstMessage: z.string().nullable(),
  /** Parameters the workflow collected (Collect Information, Input Customer, web requests). */
  parameters: z.record(z.string(), z.string()),
  createdAt: z.number().int(),
  connectedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  /** Who ended the chat: the customer leaving is worth saying to the agent. Null while it is open. */
  endedBy: Chat.shape.endedBy,
  lastSeq: z.number().int(),
  /** The direct system messages for the agent (as the Teams session card shows them): on accept, at the end. */
  agentMessages: z.object({ onAccept: z.string().nullable(), onEnd: z.string().nullable() }),
});
export type SessionDetail = z.infer<typeof SessionDetail>;

export const SessionEvents = z.object({ events: z.array(ChatEventView) });
export type SessionEvents = z.infer<typeof SessionEvents>;

/** The code, tags and note an agent added to a session. */
export const WrapUp = z.object({
  code: z.string().nullable(),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  updatedAt: z.number().int(),
});
export type WrapUp = z.infer<typeof WrapUp>;

export const HistoryItem = z.object({
  sessionId: z.string(),
  taskId: z.string(),
  customer: Customer,
  channel: ImChannel,
  target: TargetView,
  /** How the offer ended for this agent: accepted, declined, not answered (RONA) or withdrawn. */
  outcome: UserSessionReport.shape.outcome,
  /** For accepted sessions: how the conversation ended; null while it goes on. */
  taskOutcome: TaskOutcome.nullable(),
  offeredAt: z.number().int(),
  respondedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
  wrapUp: WrapUp.nullable(),
});
export type HistoryItem = z.infer<typeof HistoryItem>;

export const History = z.object({ sessions: z.array(HistoryItem) });
export type History = z.infer<typeof History>;

/** One past session with its transcript (empty for offers that were not accepted). */
export const HistoryDetail = HistoryItem.extend({
  chatId: z.string().nullable(),
  /** What the customer wrote when the chat started; null when they wrote nothing (or the session predates it). */
  firstMessage: z.string().nullable(),
  events: z.array(ChatEventView),
});
export type HistoryDetail = z.infer<typeof HistoryDetail>;
