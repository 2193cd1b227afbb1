import { z } from 'zod/v4';

/** Who the tab is signed in as. */
export const Me = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  userId: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  /** The Interact tab exists for this user: they hold the Interact user license. */
  interactTab: z.boolean(),
  /** The Reports section: admins, and the supervisors of a service. */
  reports: z.boolean(),
  /** The Live section (dashboard and chat supervision): admins, and the supervisors of a service or unit. */
  supervision: z.boolean(),
});
export type Me = z.infer<typeof Me>;

/** Local mode only: the people of an organization the dev sign-in can act as. */
export const DevUsers = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  users: z.array(z.object({ id: z.string(), displayName: z.string(), isAdmin: z.boolean(), isAgent: z.boolean() })),
});
export type DevUsers = z.infer<typeof DevUsers>;

/** Local mode only: the token of a dev sign-in. */
export const DevToken = z.object({ token: z.string() });
export type DevToken = z.infer<typeof DevToken>;
