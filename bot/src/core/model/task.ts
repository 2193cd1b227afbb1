import { z } from 'zod/v4';
import { DisplayName, Email, Id } from './common';
import { ImChannel } from './service';

/** Distribution priority of a queued task; Strict always goes first. */
export const Priority = z.enum(['low', 'normal', 'high', 'strict']);
export type Priority = z.infer<typeof Priority>;

export const DistributionType = z.enum(['direct', 'broadcast', 'pickup']);
export type DistributionType = z.infer<typeof DistributionType>;

/** How one queueing distributes the task (set by the workflow's Queue Task activity). */
export const QueueSettings = z.object({
  priority: Priority.default('normal'),
  type: DistributionType.default('direct'),
  /** How long an offer rings before it counts as not answered. */
  ringTimeoutSeconds: z.number().int().min(5).max(600).default(30),
  /** Broadcast only: how many agents are offered the task at once. */
  broadcastSize: z.number().int().min(1).max(100).default(5),
  /** The task ends with "max queue time" after this long in the queue; null = no limit. */
  maxQueueSeconds: z
    .number()
    .int()
    .min(10)
    .max(24 * 3600)
    .nullable()
    .default(null),
});
export type QueueSettings = z.infer<typeof QueueSettings>;

/** Where a task is distributed: a service's members, or one user contacted directly. */
export const TaskTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('service'), serviceId: Id }),
  z.object({ kind: z.literal('user'), userId: Id }),
]);
export type TaskTarget = z.infer<typeof TaskTarget>;

export const Customer = z.object({
  displayName: DisplayName,
  email: Email.nullable(),
  /** WhatsApp number (E.164) or other channel address. */
  address: z.string().max(64).nullable(),
});
export type Customer = z.infer<typeof Customer>;

export const OfferState = z.enum(['pending', 'accepted', 'declined', 'no-answer', 'withdrawn']);
export type OfferState = z.infer<typeof OfferState>;

export const Offer = z.object({
  id: Id,
  userId: Id,
  state: OfferState,
  offeredAt: z.number().int(),
  expiresAt: z.number().int(),
  respondedAt: z.number().int().nullable(),
  /** An accepted offer whose chat a supervisor took over: when the agent handed it on (absent: never). */
  handedOverAt: z.number().int().optional(),
});
export type Offer = z.infer<typeof Offer>;

export const TaskState = z.enum(['created', 'in-workflow', 'queued', 'connected', 'ended']);
export type TaskState = z.infer<typeof TaskState>;

/** Outcomes of a service (or direct) session, modeled on the reporting outcomes. */
export const TaskOutcome = z.enum([
  'accepted',
  'cancelled',
  'customer-left-before-queue',
  'customer-left-in-queue',
  'max-queue-time',
  'transferred',
  'handled-by-system',
  'failed',
  'missed',
]);
export type TaskOutcome = z.infer<typeof TaskOutcome>;

/** What a supervisor did in a live chat: read it, whispered to the agent, wrote to the customer, took it over. */
export const SupervisionKind = z.enum(['monitor', 'whisper', 'barge-in', 'take-over']);
export type SupervisionKind = z.infer<typeof SupervisionKind>;

/** One supervisor's actions of one kind in a task: when first and last, and how often. */
export const SupervisionEntry = z.object({
  kind: SupervisionKind,
  userId: Id,
  firstAt: z.number().int(),
  lastAt: z.number().int(),
  count: z.number().int().min(1),
});
export type SupervisionEntry = z.infer<typeof SupervisionEntry>;

/**
 * An Instant Messaging task: one customer contact handled by one service (or one user directly).
 * It lives in its queue's partition while it is live; when it ends it becomes a session report.
 * "Offered" is not a state of its own: a queued task with pending offers is being offered.
 */
export const Task = z
  .object({
    id: Id,
    tenantId: Id,
    type: z.literal('task'),
    target: TaskTarget,
    channel: ImChannel,
    /** The customer conversation this task belongs to (survives transfers). */
    chatId: Id,
    customer: Customer,
    firstMessage: z.string().max(4000).nullable(),
    state: TaskState,
    createdAt: z.number().int(),
    queue: QueueSettings.nullable(),
    enqueuedAt: z.number().int().nullable(),
    offers: z.array(Offer).max(500),
    /** Agents who declined in a Broadcast: not offered this task again. */
    excludedUserIds: z.array(Id).max(500),
    assignedUserId: Id.nullable(),
    connectedAt: z.number().int().nullable(),
    endedAt: z.number().int().nullable(),
    outcome: TaskOutcome.nullable(),
    /** The task this one was transferred from, if any. */
    transferredFromTaskId: Id.nullable(),
    /** The supervision of the task, one entry per supervisor and kind (absent in tasks from before). */
    supervision: z.array(SupervisionEntry).max(400).optional(),
  })
  .refine((t) => (t.state === 'ended') === (t.outcome !== null), {
    message: 'an ended task has an outcome, and only an ended one',
    path: ['outcome'],
  })
  .refine((t) => t.state !== 'connected' || t.assignedUserId !== null, {
    message: 'a connected task has an agent',
    path: ['assignedUserId'],
  });
export type Task = z.infer<typeof Task>;
