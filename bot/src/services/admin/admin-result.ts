import type { GateReason, LicenseChangeRefusal } from '../../core/licensing';

/** Expected refusals of the admin pages, each with the sentence an admin can act on. */
export type AdminRefusal =
  | { code: 'not-found'; message: string }
  | { code: 'unit-not-found'; message: string }
  | { code: 'holder-not-found'; message: string }
  | { code: 'in-use'; message: string; usedBy: string[] }
  | { code: 'invalid'; message: string; problems: { field: string; message: string }[] }
  | { code: 'channel-not-licensed'; message: string; reasons: GateReason[] }
  | { code: 'workflow-refused'; message: string; details?: unknown }
  | LicenseChangeRefusal;

export type AdminResult<T> = { ok: true; value: T } | { ok: false; refusal: AdminRefusal };

export const done = <T>(value: T): AdminResult<T> => ({ ok: true, value });
export const refused = <T>(refusal: AdminRefusal): AdminResult<T> => ({ ok: false, refusal });
export const notFound = <T>(what: string): AdminResult<T> =>
  refused({ code: 'not-found', message: `The ${what} was not found.` });
