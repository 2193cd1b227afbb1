import { Id } from '../../../core/model';
import { goneCard, sessionCard } from '../cards';
import { CardRef, defineAction, refOf } from './action';

/** Decline: the agent goes into RONA and the task is offered on (or, for a direct contact, missed). */
export const declineOffer = defineAction({
  verb: 'offer.decline',
  data: CardRef.extend({ offerId: Id }),
  async run(env, agent, data) {
    const answer = await env.relay.declineOffer(agent, refOf(agent, data), data.offerId);
    return answer.view ? sessionCard(answer.view) : goneCard();
  },
});
