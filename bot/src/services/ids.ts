import { randomBytes, randomUUID } from 'node:crypto';
import type { InteractSettings } from '../core/model';

/** Where the ids of new documents come from: injected at the composition root, so tests can pin them. */
export type IdSource = { uuid(): string };
export const systemIds: IdSource = { uuid: () => randomUUID() };

/** Public contact id carried by a snippet: short, URL-safe, unguessable enough to not enumerate. */
export const newContactId = (): string => `ct-${randomBytes(9).toString('base64url')}`;

/** The snippet's key: regenerating it invalidates every snippet that carries the old one. */
export const newWidgetKey = (): string => randomBytes(24).toString('base64url');

/** The Interact settings of a new user or service: inactive, chat only, open to any site, its own snippet. */
export const newInteractSettings = (contactId: string = newContactId()): InteractSettings => ({
  active: false,
  audioVideo: false,
  instantMessaging: true,
  directSystemMessagesId: null,
  restrictAccess: false,
  domainTemplateIds: [],
  contactId,
  widgetKey: newWidgetKey(),
  privacyPolicyUrl: null,
});
