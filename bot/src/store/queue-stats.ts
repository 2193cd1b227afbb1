import { z } from 'zod/v4';
import { Id } from '../core/model';

/** Per-queue throughput figures for estimated waits; one document per queue, id "stats". */
export const QueueStats = z.object({
  id: z.literal('stats'),
  tenantId: Id,
  type: z.literal('queueStats'),
  queue: z.string().min(1),
  lastAcceptAt: z.number().int().nullable(),
  avgAcceptIntervalMs: z.number().int().min(0).nullable(),
});
export type QueueStats = z.infer<typeof QueueStats>;
