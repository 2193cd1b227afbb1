import { z } from 'zod/v4';
import { DisplayName, Email, Id, tenantScoped } from './common';
import { InteractSettings } from './interact-settings';

/** A Teams user. The document id is the user's Entra aadObjectId. Licenses live in the tenant's pools. */
export const User = tenantScoped('user').extend({
  displayName: DisplayName,
  /** Mail or sign-in name from Entra; null when the directory has neither in mail form. */
  email: Email.nullable(),
  /**
   * False once the person has left the directory (a sync no longer finds them) or was disabled there:
   * kept with their history, never offered work, shown as inactive to admins.
   */
  active: z.boolean().default(true),
  unitId: Id,
  /** Instant Messaging modality switched on for this user. */
  im: z.object({
    enabled: z.boolean(),
    /** Concurrent chats this user takes at most; null uses the service's setting. */
    maxConcurrentChats: z.number().int().min(1).max(20).nullable(),
  }),
  interact: InteractSettings,
});
export type User = z.infer<typeof User>;
