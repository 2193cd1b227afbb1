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

export const RonaReason = z.enum(['declined', 'no-answer']);

/** The routing state of one agent, the single document that serialises changes to their capacity. */
export const AgentState = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('agentState'),
  presence: Presence,
  presenceChangedAt: z.number().int(),
  /** Set by a declined or unanswered offer; the agent is not selectable until it is cleared or expires. */
  rona: z.object({ until: z.number().int(), reason: RonaReason, taskId: Id }).nullable(),
  /** An agent-chosen "not available" reason (break, wrap-up) makes them not selectable. */
  notAvailableReason: z.string().max(100).nullable(),
  slots: z.array(Slot).max(100),
  /** When the agent last got an offer or finished a chat: longest idle goes first in Direct. */
  lastActivityAt: z.number().int(),
});
export type AgentState = z.infer<typeof AgentState>;
