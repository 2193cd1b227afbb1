import { z } from 'zod/v4';
import { Customer, ImChannel } from '../core/model';

// The Pickup queues in My Sessions: tasks waiting in the services the agent is a member of, to claim.

/** One task waiting to be claimed. */
export const PickupTask = z.object({
  taskId: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  customer: Customer,
  channel: ImChannel,
  firstMessage: z.string().nullable(),
  enqueuedAt: z.number().int(),
  /** How long the customer had waited when the server answered. */
  waitedMs: z.number().int(),
});
export type PickupTask = z.infer<typeof PickupTask>;

/** Oldest first; empty when the agent is a member of no service with a Pickup queue waiting. */
export const PickupQueue = z.object({ tasks: z.array(PickupTask) });
export type PickupQueue = z.infer<typeof PickupQueue>;

export const ClaimResult = z.object({ chatId: z.string() });
export type ClaimResult = z.infer<typeof ClaimResult>;
