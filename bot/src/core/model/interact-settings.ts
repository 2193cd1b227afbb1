import { z } from 'zod/v4';
import { Id } from './common';

/** The Interact tab of a user or a service, element by element as the settings page shows it. */
export const InteractSettings = z.object({
  /** Interact on or off for this target; licenses stay assigned either way. */
  active: z.boolean(),
  /** Reachable by call (audio/video) through the widget. */
  audioVideo: z.boolean(),
  /** Reachable by chat through the widget. */
  instantMessaging: z.boolean(),
  /** Template of Direct System Messages (Admin > Configuration > Instant Messaging), or none. */
  directSystemMessagesId: Id.nullable(),
  /** Only origins listed by the selected domain templates may embed the widget. */
  restrictAccess: z.boolean(),
  domainTemplateIds: z.array(Id).max(50),
  /** Public identifier carried by the snippet. Unique per user and per service. */
  contactId: Id,
  /** Secret-ish key carried by the snippet; regenerating it invalidates old snippets. */
  widgetKey: z.string().min(16).max(128),
});
export type InteractSettings = z.infer<typeof InteractSettings>;

/** Restrict Access is offered only when at least one domain template exists in the unit. */
export type RestrictAccessAvailability = { available: true } | { available: false; reason: 'no-domain-templates'; message: string };

export function restrictAccessAvailability(templatesInUnit: number): RestrictAccessAvailability {
  return templatesInUnit > 0
    ? { available: true }
    : {
        available: false,
        reason: 'no-domain-templates',
        message: 'Configure at least one Interact domain template (CORS) in this organization unit to restrict access.',
      };
}
