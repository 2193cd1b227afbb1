import type { Customer, ImChannel, TaskOutcome } from '../../core/model';
import type { CardState, WithdrawnReason } from '../../core/relay';
import type { TaskRef } from '../routing';

/**
 * What the relay shows an agent, independent of how a chat platform draws it. The Teams channel
 * renders each view as an activity (text or Adaptive Card); the relay only decides what to say.
 */

/** The offer card and, once accepted, the session card: one card that changes in place. */
export type SessionCardView = {
  state: CardState;
  ref: TaskRef;
  offerId: string | null;
  chatId: string;
  customer: Customer;
  channel: ImChannel;
  /** The service the customer contacted, or null for a direct contact of the agent. */
  serviceName: string | null;
  firstMessage: string | null;
  /** How long the customer had waited when the task was offered. */
  waitedMs: number;
  /** How long the offer rang before it was declined or ran out; null while it rings or when unknown. */
  rangMs: number | null;
  /** When an offered card stops ringing. */
  expiresAt: number | null;
  withdrawnReason: WithdrawnReason | null;
  outcome: TaskOutcome | null;
  /** On an ended card: whether the customer ended the chat (left) rather than the agent or the system. */
  customerLeft: boolean;
  /** The direct system message for the agent at this step (on accept, on end), if any. */
  agentMessage: string | null;
};

export type SessionSummary = {
  ref: TaskRef;
  chatId: string;
  customer: Customer;
  channel: ImChannel;
  serviceName: string | null;
  connectedAt: number;
};

/** A task waiting in a Pickup queue of one of the agent's services. */
export type PickupSummary = {
  ref: TaskRef;
  customer: Customer;
  channel: ImChannel;
  serviceName: string;
  firstMessage: string | null;
  waitedMs: number;
};

/** What came of a claim, said above the list of what still waits. */
export type PickupNotice =
  { code: 'claimed'; customerName: string } | { code: 'taken' } | { code: 'gone' } | { code: 'not-selectable' };

export type FailureSummary = { at: number; what: string; preview: string; chatId: string | null };

/** Short messages the relay sends on its own (not as an answer to something the agent did). */
export type Notice =
  | { code: 'customer-left'; customerName: string }
  | { code: 'delivery-failed'; preview: string; customerName: string | null }
  /** A supervisor took the agent's chat over (the agent is free of it), or the supervisor now has it. */
  | { code: 'taken-over'; customerName: string; supervisorName: string }
  | { code: 'took-over'; customerName: string };

export type AgentView =
  | { kind: 'text'; text: string }
  | { kind: 'customer-message'; chatId: string; customerName: string; channel: ImChannel; text: string }
  /** A note in a chat for the agent only (a message the customer's channel did not take, a channel rule). */
  | { kind: 'chat-note'; chatId: string; customerName: string; text: string }
  /** A supervisor's whisper to the agent (the customer never sees it), or what they wrote to the customer. */
  | {
      kind: 'supervisor-message';
      chatId: string;
      customerName: string;
      supervisorName: string;
      supervision: 'whisper' | 'barge-in';
      text: string;
    }
  | { kind: 'session-card'; card: SessionCardView }
  /** The agent's message could go to several customers: which one? */
  | { kind: 'choose-session'; purpose: 'send' | 'end'; pendingText: string | null; sessions: SessionSummary[] }
  | { kind: 'sessions'; sessions: SessionSummary[]; failures: FailureSummary[] }
  /** The Pickup queues of the agent's services, with a claim action per task. */
  | { kind: 'pickup'; tasks: PickupSummary[]; notice: PickupNotice | null }
  | { kind: 'notice'; notice: Notice };

/** Where an agent is reached: their personal conversation with the bot. */
export type AgentConversation = {
  tenantId: string;
  userId: string;
  serviceUrl: string;
  conversationId: string;
  channelId: string;
  botId: string;
  agentAccountId: string;
};

/** A platform activity, opaque to the relay: the channel renders it and sends it. */
export type OutboundActivity = Record<string, unknown>;

/**
 * The port to the chat platform. `render` may split one view into several activities (the platform's
 * size limit); `send` and `update` throw a DeliveryError when the platform refuses.
 */
export interface AgentTransport {
  render(view: AgentView): OutboundActivity[];
  send(to: AgentConversation, activity: OutboundActivity): Promise<{ id: string | null }>;
  update(to: AgentConversation, activityId: string, activity: OutboundActivity): Promise<void>;
}

/** A refused or failed send, with what the platform said about retrying. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** HTTP status; undefined for a network error. */
    readonly status: number | undefined,
    /** The platform's Retry-After, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
