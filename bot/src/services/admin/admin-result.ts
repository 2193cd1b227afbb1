import type { GateReason, LicenseChangeRefusal } from '../../core/licensing';
import { type Refused, type Result, refuse } from '../../core/result';
import type { TeamLinkRefusal } from '../team-links';

/** Expected refusals of the admin pages, each with the sentence an admin can act on. */
export type AdminRefusal =
  | { code: 'not-found'; message: string }
  | { code: 'unit-not-found'; message: string }
  | { code: 'holder-not-found'; message: string }
  | { code: 'in-use'; message: string; usedBy: string[] }
  | { code: 'invalid'; message: string; problems: { field: string; message: string }[] }
  | { code: 'channel-not-licensed'; message: string; reasons: GateReason[] }
  | { code: 'workflow-refused'; message: string; details?: unknown }
  | TeamLinkRefusal
  | LicenseChangeRefusal;

export type AdminResult<T> = Result<T, AdminRefusal>;

export const notFound = (what: string): Refused<AdminRefusal> =>
  refuse({ code: 'not-found', message: `The ${what} was not found.` });
