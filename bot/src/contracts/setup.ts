import { z } from 'zod/v4';
import { DisplayName } from '../core/model';

const Pool = z.number().int().min(0).max(100_000);

/** What the admin enters on the setup page (and an operator on the command line) to onboard a tenant. */
export const SetupInput = z
  .object({
    organizationName: DisplayName,
    /** The top of the organization unit tree; users, services and configuration start there. */
    rootUnitName: DisplayName,
    /** The Instant Messaging modality is enabled per tenant. */
    imEnabled: z.boolean(),
    /** Interact (the website widget) must be enabled before any widget can reach anyone. */
    interactEnabled: z.boolean(),
    /** How many licenses of each kind the organization has. */
    licenses: z.object({ contactCenter: Pool, interactService: Pool, imModality: Pool, interactUser: Pool }).strict(),
    /** Linked from the widget's form, where customers consent to it. */
    privacyPolicyUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).nullable(),
  })
  .strict();
export type SetupInput = z.infer<typeof SetupInput>;

/** Whether the signed-in person's organization is set up, and whether they may set it up. */
export const SetupStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready'), tenantId: z.string(), tenantName: z.string() }),
  z.object({
    /** Not set up, and this person may set it up. */
    state: z.literal('can-set-up'),
    tenantId: z.string(),
    /** Prefilled on the setup page. */
    suggested: z.object({ organizationName: z.string(), adminName: z.string() }),
  }),
  z.object({
    /** Not set up, and this person may not: the message says who can. */
    state: z.literal('cannot-set-up'),
    tenantId: z.string(),
    reason: z.enum(['tenant-not-allowed', 'not-an-admin']),
    message: z.string(),
  }),
]);
export type SetupStatus = z.infer<typeof SetupStatus>;

/** The organization as it was set up. */
export const SetupDone = z.object({ tenantId: z.string(), tenantName: z.string(), rootUnitId: z.string() });
export type SetupDone = z.infer<typeof SetupDone>;
