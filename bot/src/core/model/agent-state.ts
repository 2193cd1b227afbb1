import { z } from 'zod/v4';
import { Id } from './common';

/** Presence as the agent sets it (a Microsoft Graph presence source can replace it later). */
export const Presence = z.enum(['available', 'busy', 'away', 'do-not-disturb', 'offline']);
export type Presence = z.infer<typeof Presence>;

/**
 * What holds an agent's capacity: a pending offer, a chat, or a call. Offers count so that two
 * concurrent offers cannot both take the last free chat; a call blocks the agent entirely.
 */
export const Slot = z.object({
  taskId: Id,
  /** Partition scope of the task (its queue), to find it again. */
  queue: z.string().min(1).max(200),
  kind: z.enum(['offer', 'chat', 'call']),
  since: z.number().int(),
});
export type Slot = z.infer<typeof Slot>;

/**
 * The last presence Microsoft Graph reported for the agent in Teams (availability and activity as Graph
 * spells them; a value Graph adds later is kept as it is and read as Offline), and when it arrived.
 */
export const TeamsPresence = z.object({
  availability: z.string().min(1).max(50),
  activity: z.string().min(1).max(50),
  at: z.number().int(),
});
export type TeamsPresence = z.infer<typeof TeamsPresence>;

/**
 * How installing the Teams app for a user through Microsoft Graph went: `pending` (Graph installed it,
 * Teams has not announced it to the bot yet), `installed` (it was installed already), `failed` or
 * `skipped` (not configured) with the reason an admin reads.
 */
export const AppInstall = z.object({
  state: z.enum(['pending', 'installed', 'failed', 'skipped']),
  reason: z.string().max(500).nullable(),
  at: z.number().int(),
});
export type AppInstall = z.infer<typeof AppInstall>;

export const RonaReason = z.enum(['declined', 'no-answer']);

/** The routing state of one agent, the single document that serialises changes to their capacity. */
export const AgentState = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('agentState'),
  presence: Presence,
  presenceChangedAt: z.number().int(),
  /**
   * The agent chose `presence` themselves (bot command, tab). Until they do, Teams presence alone
   * decides once it is known; after, the stricter of the two wins.
   */
  presenceChosen: z.boolean().optional(),
  /** Teams presence through Microsoft Graph; absent or null until one arrives (older documents have none). */
  teams: TeamsPresence.nullable().optional(),
  /** Set by a declined or unanswered offer; the agent is not selectable until it is cleared or expires. */
  rona: z.object({ until: z.number().int(), reason: RonaReason, taskId: Id }).nullable(),
  /** An agent-chosen "not available" reason (break, wrap-up) makes them not selectable. */
  notAvailableReason: z.string().max(100).nullable(),
  slots: z.array(Slot).max(100),
  /** When the agent last got an offer or finished a chat: longest idle goes first in Direct. */
  lastActivityAt: z.number().int(),
  /**
   * Whether the bot can message the agent (a stored conversation reference: the app is installed in
   * their personal scope). New documents start false; documents written before the field existed
   * parse as true (they were offered before), and a failed offer delivery corrects them.
   */
  reachable: z.boolean().default(true),
  /** The last proactive installation of the app for the agent through Graph, for admins; null when none ran. */
  appInstall: AppInstall.nullable().default(null),
});
export type AgentState = z.infer<typeof AgentState>;
