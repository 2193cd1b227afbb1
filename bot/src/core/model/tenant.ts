import { z } from 'zod/v4';
import { DisplayName, Id, TimeZone, tenantScoped } from './common';
import { LicensePools } from './licenses';

/** The tenant document's id is its tenant id: one per tenant, read by point read. */
export const Tenant = tenantScoped('tenant')
  .extend({
    name: DisplayName,
    /** Interact must be enabled on tenant level before any widget can reach a user or service. */
    interactEnabled: z.boolean(),
    /** Instant Messaging is a modality enabled per tenant during setup. */
    imEnabled: z.boolean(),
    licenses: LicensePools,
    /** Linked from the Interact form, where customers consent to it. */
    privacyPolicyUrl: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .default(null),
    /** Users (aadObjectId) with the tenant admin role in this product, besides Entra global admins. */
    adminUserIds: z.array(Id).max(1000).default([]),
    /** Where the organization's days begin and end: reports count by this time zone's calendar (absent: UTC). */
    timeZone: TimeZone.optional(),
  })
  .refine((t) => t.id === t.tenantId, { message: 'a tenant document id must equal its tenantId', path: ['id'] });
export type Tenant = z.infer<typeof Tenant>;
