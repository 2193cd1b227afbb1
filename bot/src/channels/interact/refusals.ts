import { HttpError } from '../../http/errors';
import type { InteractRefusal } from '../../services/interact/interact-service';

/** The one place where Interact refusals become statuses and the text a customer may see. */
export function refusalToHttp(refusal: InteractRefusal): HttpError {
  switch (refusal.code) {
    case 'contact-not-found':
      return new HttpError(404, refusal.code, 'This contact does not exist.');
    case 'invalid-widget-key':
      return new HttpError(
        403,
        refusal.code,
        'The widget key does not match this contact. The snippet may be outdated.',
      );
    case 'origin-required':
      return new HttpError(403, refusal.code, 'This contact can only be reached from an allowed website.');
    case 'origin-not-allowed':
      return new HttpError(403, refusal.code, 'This website is not allowed to contact us through this widget.', {
        origin: refusal.origin,
      });
    case 'tenant-interact-disabled':
    case 'interact-inactive':
    case 'instant-messaging-off':
      return new HttpError(403, refusal.code, 'This contact is not available for chat right now.');
    case 'not-licensed':
      return new HttpError(403, refusal.code, 'This contact is not available for chat right now.', {
        reasons: refusal.reasons.map((r) => r.code),
      });
    case 'invalid-token':
      return new HttpError(
        401,
        refusal.code,
        refusal.reason === 'expired' ? 'This chat session has expired.' : 'This chat session is not valid.',
        { reason: refusal.reason },
      );
    case 'chat-not-found':
      return new HttpError(404, refusal.code, 'This chat does not exist.');
    case 'chat-ended':
      return new HttpError(409, refusal.code, 'This chat has ended.');
  }
}
