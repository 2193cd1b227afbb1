import { z } from 'zod/v4';
import { Id, TenantId } from '../core/model';

/**
 * A Microsoft Graph change-notification subscription on the Teams presence of some of a tenant's
 * agents (at most 650 ids each), in the tenant's presence partition of `routing`. The clientState is
 * this subscription's own secret: a notification that does not carry it is not from Graph.
 */
export const PresenceSubscription = z.object({
  /** Graph's subscription id. */
  id: z.string().min(1).max(200),
  tenantId: TenantId,
  type: z.literal('presenceSubscription'),
  userIds: z.array(Id).min(1).max(650),
  clientState: z.string().min(16).max(128),
  expiresAt: z.number().int(),
  createdAt: z.number().int(),
  renewedAt: z.number().int().nullable(),
});
export type PresenceSubscription = z.infer<typeof PresenceSubscription>;
