import { z } from 'zod/v4';

/** Ids we generate or receive from Entra/Teams: short, URL-safe, never containing the partition separator. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'may contain only letters, digits and . _ : @ -')
  // "." and ".." are path segments to every HTTP client, the store's included, never names.
  .refine((id) => !/^\.+$/.test(id), 'cannot be only dots');
export type Id = z.infer<typeof Id>;

/** Entra tenant id (a GUID in production; any Id locally). */
export const TenantId = Id;
export type TenantId = z.infer<typeof TenantId>;

export const DisplayName = z.string().trim().min(1).max(100);

/** A web page customers open from the widget (a privacy policy): http(s) only, never javascript: or data:. */
export const WebPageUrl = z
  .url({ protocol: /^https?$/, message: 'Enter a web address that starts with https:// or http://.' })
  .max(2000, 'A web address can be at most 2000 characters.');

export const Email = z.email().max(254);

const validTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
/** An IANA time zone name the runtime knows. */
export const TimeZone = z
  .string()
  .refine(validTimeZone, { message: 'must be an IANA time zone such as Europe/Zurich' });

/** Fields every stored document has: the owning tenant and a discriminator. */
export const tenantScoped = <T extends string>(type: T) =>
  z.object({
    id: Id,
    tenantId: TenantId,
    type: z.literal(type),
  });

/** Every configuration item belongs to one organization unit. */
export const unitOwned = <T extends string>(type: T) => tenantScoped(type).extend({ unitId: Id });
