import { z } from 'zod/v4';
import { Id, TenantId } from '../core/model';
import type { CardState } from '../core/relay';

/**
 * The documents the Teams bot keeps per agent, all in one partition of the `routing` container (the
 * agent's `teamsScope`, partition-keys.ts). Their repositories are built with all others, in
 * repositories.ts.
 */
export type { TeamsRepositories } from './repositories';

const Millis = z.number().int();

/** How to reach the agent's personal chat with the bot, from the installation or the first message. */
export const TeamsConversation = z.object({
  /** One per agent: the partition names the agent. */
  id: z.literal('conversation'),
  tenantId: TenantId,
  type: z.literal('teamsConversation'),
  /** The agent's Entra aadObjectId, the id of their User document. */
  userId: Id,
  serviceUrl: z.url({ protocol: /^https?$/ }).max(500),
  conversationId: z.string().min(1).max(500),
  channelId: z.string().min(1).max(50),
  /** The bot's and the agent's channel account ids (28:… and 29:…). */
  botId: z.string().min(1).max(300),
  agentAccountId: z.string().min(1).max(300),
  installedAt: Millis,
  updatedAt: Millis,
  /** The session the agent's plain messages go to when they have several. */
  focusChatId: Id.nullable(),
});
export type TeamsConversation = z.infer<typeof TeamsConversation>;

export const SessionCardState = z.enum([
  'offered',
  'accepted',
  'declined',
  'missed',
  'withdrawn',
  'ended',
]) satisfies z.ZodType<CardState>;

/**
 * The card that offers a task to an agent and, once accepted, stands for the session: its Teams
 * activity id (to update it in place), what it shows now, and how far the customer's messages have
 * been relayed to the agent (the chat's event sequence number).
 */
export const TeamsSessionCard = z.object({
  /** `task:<taskId>`: one card per task and agent; a later offer of the same task replaces it. */
  id: Id,
  tenantId: TenantId,
  type: z.literal('teamsSessionCard'),
  userId: Id,
  taskId: Id,
  queue: z.string().min(1).max(200),
  chatId: Id,
  /** Null for a task the agent claimed without an offer. */
  offerId: Id.nullable(),
  /** Known once Teams has taken the card. */
  activityId: z.string().min(1).max(500).nullable(),
  state: SessionCardState,
  relayedSeq: z.number().int().min(0),
  /**
   * The server instance that relays this chat's messages to the agent (several instances on one Cosmos):
   * one sender per conversation keeps them in order. Absent for a single instance or before the first relay.
   */
  relayOwner: z.string().min(1).max(100).nullable().optional(),
  updatedAt: Millis,
});
export type TeamsSessionCard = z.infer<typeof TeamsSessionCard>;

export const sessionCardId = (taskId: string): string => `task:${taskId}`;

/** A message the bot posted to the agent for a chat: quoting it in Teams picks that chat. */
export const TeamsMessageLink = z.object({
  /** `msg-<hash of the activity id>`: Teams ids may be longer than a document id. */
  id: Id,
  tenantId: TenantId,
  type: z.literal('teamsMessageLink'),
  userId: Id,
  activityId: z.string().min(1).max(500),
  chatId: Id,
  taskId: Id,
  queue: z.string().min(1).max(200),
  at: Millis,
});
export type TeamsMessageLink = z.infer<typeof TeamsMessageLink>;

export const DeliveryWhat = z.enum(['offer-card', 'card-update', 'customer-message', 'notice', 'reply']);
export type DeliveryWhat = z.infer<typeof DeliveryWhat>;

/** A message to the agent that could not be delivered after every retry, kept so it is not lost. */
export const TeamsDeliveryFailure = z.object({
  id: Id,
  tenantId: TenantId,
  type: z.literal('teamsDeliveryFailure'),
  userId: Id,
  at: Millis,
  what: DeliveryWhat,
  chatId: Id.nullable(),
  /** The start of the text that did not arrive (customer messages stay readable in the chat log). */
  preview: z.string().max(300),
  /** HTTP status of the last attempt; null for a network error or no installation. */
  status: z.number().int().nullable(),
  reason: z.string().max(500),
  attempts: z.number().int().min(0),
});
export type TeamsDeliveryFailure = z.infer<typeof TeamsDeliveryFailure>;
