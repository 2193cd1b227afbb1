import { z } from 'zod/v4';
import { pickupCard, PICKUP_CHOICE } from '../pickup-card';
import { CardRef, defineAction, refOf } from './action';

/** A Claim button names its task; the choice list (more chats than buttons) names it as `<queue> <taskId>`. */
const ClaimData = z.union([
  CardRef,
  z
    .object({ [PICKUP_CHOICE]: z.string().max(300) })
    .transform((d) => {
      const [queue, taskId] = d[PICKUP_CHOICE].split(' ');
      return { queue, taskId };
    })
    .pipe(CardRef),
]);

/** Claim: the waiting Pickup task connects to this agent, or the card says someone else was faster. */
export const claimPickup = defineAction({
  verb: 'pickup.claim',
  data: ClaimData,
  async run(env, agent, data) {
    return pickupCard(await env.relay.claimPickup(agent, refOf(agent, data)));
  },
});
