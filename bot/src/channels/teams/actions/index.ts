import type { CardAction } from './action';
import { acceptOffer } from './accept-offer';
import { declineOffer } from './decline-offer';
import { endSession } from './end-session';
import { focusSession } from './focus-session';
import { claimPickup } from './claim-pickup';
import { sendToSession } from './send-to-session';

/** Every card action, registered in one place. */
export const cardActions: readonly CardAction[] = [
  acceptOffer,
  declineOffer,
  endSession,
  focusSession,
  sendToSession,
  claimPickup,
];
export type { CardAction } from './action';
