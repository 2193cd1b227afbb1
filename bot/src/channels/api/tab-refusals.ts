import { HttpError } from '../../http/errors';
import type { AdminRefusal } from '../../services/admin/admin-result';
import type { DirectoryRefusal } from '../../services/directory';
import type { SessionRefusal } from '../../services/sessions/sessions-service';

/** The one place where My Sessions refusals become statuses and the sentence the agent sees. */
export function sessionRefusalToHttp(refusal: SessionRefusal): HttpError {
  switch (refusal) {
    case 'session-not-found':
      return new HttpError(404, refusal, 'This session was not found among yours.');
    case 'offer-not-found':
      return new HttpError(404, refusal, 'This offer is not yours or no longer exists.');
    case 'offer-gone':
      return new HttpError(409, refusal, 'This offer is no longer available: it was taken, withdrawn or has expired.');
    case 'session-ended':
      return new HttpError(409, refusal, 'This session has ended.');
    case 'not-accepted':
      return new HttpError(409, refusal, 'Codes and tags can only be added to sessions you accepted.');
    case 'not-selectable':
      return new HttpError(409, refusal, 'You cannot take this chat now (availability or chat limit).');
    case 'pickup-taken':
      return new HttpError(409, refusal, 'Someone else already took this chat.');
    case 'pickup-gone':
      return new HttpError(409, refusal, 'This chat is no longer waiting: the customer left or it timed out.');
    case 'pickup-not-found':
      return new HttpError(404, refusal, 'This chat is not waiting in a pickup queue of yours.');
  }
}

const ADMIN_STATUS: Record<AdminRefusal['code'], number> = {
  'not-found': 404,
  'unit-not-found': 400,
  'holder-not-found': 404,
  'in-use': 409,
  invalid: 400,
  'channel-not-licensed': 403,
  'workflow-refused': 400,
  'team-not-installed': 400,
  'roster-unavailable': 502,
  'pool-exhausted': 409,
  'already-assigned': 409,
  'not-assigned': 409,
  'wrong-holder': 400,
  'requires-contact-center': 409,
  'addon-depends-on-license': 409,
};

/** The one place where admin refusals become statuses; their messages are already written for admins. */
export function adminRefusalToHttp(refusal: AdminRefusal): HttpError {
  const details =
    refusal.code === 'in-use'
      ? { usedBy: refusal.usedBy }
      : refusal.code === 'invalid'
        ? refusal.problems
        : refusal.code === 'channel-not-licensed'
          ? { reasons: refusal.reasons.map((r) => r.code) }
          : refusal.code === 'workflow-refused'
            ? refusal.details
            : undefined;
  return new HttpError(ADMIN_STATUS[refusal.code], refusal.code, refusal.message, details);
}

const DIRECTORY_STATUS: Record<DirectoryRefusal['code'], number> = {
  'credentials-missing': 409,
  'sync-running': 409,
  'group-not-found': 404,
  'sync-failed': 502,
};

/** The one place where refusals of the Entra ID import become statuses; the counts say what was saved before it stopped. */
export function directoryRefusalToHttp(refusal: DirectoryRefusal): HttpError {
  const details = 'counts' in refusal ? { counts: refusal.counts } : undefined;
  return new HttpError(DIRECTORY_STATUS[refusal.code], refusal.code, refusal.message, details);
}
