import { z } from 'zod/v4';
import { Id } from '../model';

/**
 * What Microsoft Graph says about the people of a directory, read with zod, and what each entry means
 * to our users. Pure: the HTTP, the tokens and the store are the directory service's.
 */

/** The fields every user read asks for (`$select`): nothing else is needed to provision someone. */
export const GRAPH_USER_FIELDS = ['id', 'displayName', 'mail', 'userPrincipalName', 'accountEnabled'] as const;

/**
 * One entry of `/users/delta` or `/groups/{id}/members/microsoft.graph.user`. A delta entry may carry
 * only what changed (an unchanged field can be missing), and a removed user only its id and `@removed`.
 */
export const GraphUser = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  '@removed': z.object({ reason: z.string().optional() }).optional(),
});
export type GraphUser = z.infer<typeof GraphUser>;

/** A page of users; its entries are read one by one so one odd entry does not stop a sync. */
export const GraphUserPage = z.object({
  value: z.array(z.unknown()).max(10_000),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});
export type GraphUserPage = z.infer<typeof GraphUserPage>;

/** Graph's error body (`{ error: { code, message } }`), when it sent one. */
export const GraphError = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }),
});

/** The identity platform's token answer and its error body. */
export const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive().optional(),
});
export type TokenAnswer = z.infer<typeof TokenAnswer>;
export const TokenError = z.object({ error: z.string().optional(), error_description: z.string().optional() });

export type DirectoryChange =
  /** In the directory and enabled: a user of ours, created or refreshed. Missing fields are unknown, not empty. */
  | {
      kind: 'present';
      userId: string;
      displayName: string | null;
      mail: string | null;
      userPrincipalName: string | null;
    }
  /** Deleted from the directory (`@removed`) or disabled there (`accountEnabled: false`): inactive. */
  | { kind: 'gone'; userId: string; reason: 'removed' | 'disabled' }
  /** Not a user we can name (no id, or an id our store cannot hold). */
  | { kind: 'unreadable'; detail: string };

/** What one entry of a users page means for our users. */
export function directoryChange(entry: unknown): DirectoryChange {
  const parsed = GraphUser.safeParse(entry);
  if (!parsed.success) return { kind: 'unreadable', detail: 'an entry without a user id' };
  const user = parsed.data;
  if (!Id.safeParse(user.id).success) return { kind: 'unreadable', detail: `the id ${user.id.slice(0, 64)}` };
  if (user['@removed']) return { kind: 'gone', userId: user.id, reason: 'removed' };
  if (user.accountEnabled === false) return { kind: 'gone', userId: user.id, reason: 'disabled' };
  return {
    kind: 'present',
    userId: user.id,
    displayName: user.displayName ?? null,
    mail: user.mail ?? null,
    userPrincipalName: user.userPrincipalName ?? null,
  };
}

export type PageEnd =
  | { kind: 'next'; url: string }
  /** The last page of a delta round: the link the next sync starts from. */
  | { kind: 'delta'; url: string }
  /** The last page of a plain list (group members). */
  | { kind: 'last' }
  /** A link to anywhere but the Graph endpoint we called: never followed (it would carry our token). */
  | { kind: 'foreign'; url: string };

/** Where a page leads: its next page, the delta link, or nowhere; links must stay on `graphBase`'s origin. */
export function pageEnd(page: GraphUserPage, graphBase: string): PageEnd {
  const link = page['@odata.nextLink'] ?? page['@odata.deltaLink'];
  if (link === undefined) return { kind: 'last' };
  if (!onOrigin(link, graphBase)) return { kind: 'foreign', url: link };
  return page['@odata.nextLink'] !== undefined ? { kind: 'next', url: link } : { kind: 'delta', url: link };
}

/** Whether `url` is an http(s) URL on the origin of `base` (a stored delta link is checked the same way). */
export function onOrigin(url: string, base: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === new URL(base).origin;
  } catch {
    return false;
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The first sentence an admin can read of an identity platform error ("AADSTS7000215: Invalid client secret provided."). */
export function tokenErrorText(body: unknown): string | undefined {
  const parsed = TokenError.safeParse(body);
  if (!parsed.success) return undefined;
  const description = parsed.data.error_description?.split(/\r?\n/)[0]?.replace(/\s*Trace ID:.*$/, '');
  return description?.trim() || parsed.data.error || undefined;
}
