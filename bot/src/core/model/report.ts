import { z } from 'zod/v4';
import { Customer, OfferState, SupervisionEntry, TaskOutcome, TaskTarget } from './task';
import { Id } from './common';
import { ImChannel } from './service';

/**
 * The session report of one task (a service session, or a direct-contact session), written when the
 * task ends. Carries the channel, which the reporting model otherwise does not tell apart.
 */
export const TaskReport = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('taskReport'),
  target: TaskTarget,
  channel: ImChannel,
  chatId: Id,
  customer: Customer,
  /** What the customer wrote in the form (or their first WhatsApp message); kept for the session's agent. */
  firstMessage: z.string().max(4000).nullable().default(null),
  outcome: TaskOutcome,
  acceptedByUserId: Id.nullable(),
  createdAt: z.number().int(),
  enqueuedAt: z.number().int().nullable(),
  connectedAt: z.number().int().nullable(),
  endedAt: z.number().int(),
  offers: z.number().int().min(0),
  /** Milliseconds; null where the phase never happened. */
  timeInQueueMs: z.number().int().min(0).nullable(),
  timeToAcceptMs: z.number().int().min(0).nullable(),
  timeInConversationMs: z.number().int().min(0).nullable(),
  transferredFromTaskId: Id.nullable(),
  transferredToTaskId: Id.nullable(),
  /** What supervisors did in the session (monitor, whisper, barge in, take over); absent when nothing. */
  supervision: z.array(SupervisionEntry).max(400).optional(),
});
export type TaskReport = z.infer<typeof TaskReport>;

/** One user session per offer: accepted, declined, not answered (RONA) or withdrawn. */
export const UserSessionReport = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('userSession'),
  userId: Id,
  taskId: Id,
  target: TaskTarget,
  channel: ImChannel,
  customer: Customer,
  outcome: OfferState.exclude(['pending']),
  offeredAt: z.number().int(),
  respondedAt: z.number().int(),
  /** For accepted offers: when the conversation ended, and how it ended for the task. */
  endedAt: z.number().int().nullable(),
  taskOutcome: TaskOutcome.nullable(),
});
export type UserSessionReport = z.infer<typeof UserSessionReport>;
