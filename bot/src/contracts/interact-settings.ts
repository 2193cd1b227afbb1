import { z } from 'zod/v4';
import { InteractSettings } from '../core/model';
import { Gate } from './admin';

/** Restrict Access is offered only when the unit has a domain template. */
export const RestrictAccess = z.union([
  z.object({ available: z.literal(true) }),
  z.object({ available: z.literal(false), reason: z.literal('no-domain-templates'), message: z.string() }),
]);
export type RestrictAccess = z.infer<typeof RestrictAccess>;

/** The Interact tab of a user or a service: its settings, its snippet and what it can choose from. */
export const InteractView = z.object({
  target: z.object({ kind: z.enum(['user', 'service']), id: z.string(), name: z.string(), unitId: z.string() }),
  /** Whether the Interact tab exists for this target (its license), with the reasons when not. */
  tab: Gate,
  settings: InteractSettings,
  snippet: z.string(),
  previewUrl: z.string(),
  restrictAccess: RestrictAccess,
  domainTemplates: z.array(z.object({ id: z.string(), name: z.string(), origins: z.array(z.string()) })),
  systemMessages: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type InteractView = z.infer<typeof InteractView>;
