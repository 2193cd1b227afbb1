import { randomBytes } from 'node:crypto';

/** Public contact id carried by a snippet: short, URL-safe, unguessable enough to not enumerate. */
export const newContactId = (): string => `ct-${randomBytes(9).toString('base64url')}`;

/** The snippet's key: regenerating it invalidates every snippet that carries the old one. */
export const newWidgetKey = (): string => randomBytes(24).toString('base64url');
