import { randomBytes, randomUUID } from 'node:crypto';

/** Where the ids of new documents come from: injected at the composition root, so tests can pin them. */
export type IdSource = { uuid(): string };
export const systemIds: IdSource = { uuid: () => randomUUID() };

/** Public contact id carried by a snippet: short, URL-safe, unguessable enough to not enumerate. */
export const newContactId = (): string => `ct-${randomBytes(9).toString('base64url')}`;

/** The snippet's key: regenerating it invalidates every snippet that carries the old one. */
export const newWidgetKey = (): string => randomBytes(24).toString('base64url');
