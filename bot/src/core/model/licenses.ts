import { z } from 'zod/v4';

/**
 * License kinds from the licensing table of the IM documentation:
 * services hold Contact Center and the Interact service add-on, users hold the
 * Instant Messaging modality license and the Interact user license.
 */
export const ServiceLicense = z.enum(['contactCenter', 'interactService']);
export type ServiceLicense = z.infer<typeof ServiceLicense>;
export const UserLicense = z.enum(['imModality', 'interactUser']);
export type UserLicense = z.infer<typeof UserLicense>;
export const LicenseKind = z.enum([...ServiceLicense.options, ...UserLicense.options]);
export type LicenseKind = z.infer<typeof LicenseKind>;

export const licenseHolder = (kind: LicenseKind): 'service' | 'user' =>
  (ServiceLicense.options as readonly string[]).includes(kind) ? 'service' : 'user';

export const licenseLabel: Record<LicenseKind, string> = {
  contactCenter: 'Contact Center',
  interactService: 'Interact service add-on',
  imModality: 'Instant Messaging modality',
  interactUser: 'Interact user',
};

/** One pool per kind: how many the tenant bought and who holds one. Assignment lives only here. */
export const LicensePool = z
  .object({
    total: z.number().int().min(0),
    assignees: z.array(z.string()).default([]),
  })
  .refine((p) => new Set(p.assignees).size === p.assignees.length, {
    message: 'a license is assigned twice to one holder',
  })
  .refine((p) => p.assignees.length <= p.total, { message: 'more licenses assigned than the pool holds' });
export type LicensePool = z.infer<typeof LicensePool>;

export const LicensePools = z.object({
  contactCenter: LicensePool,
  interactService: LicensePool,
  imModality: LicensePool,
  interactUser: LicensePool,
});
export type LicensePools = z.infer<typeof LicensePools>;
