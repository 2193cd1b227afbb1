import { Id } from '../../../core/model';
import { goneCard, sessionCard } from '../cards';
import { CardRef, defineAction, refOf } from './action';

/** Accept: the task connects to this agent (or the card shows who was faster, or that it rang out). */
export const acceptOffer = defineAction({
  verb: 'offer.accept',
  data: CardRef.extend({ offerId: Id }),
  async run(env, agent, data) {
    const answer = await env.relay.acceptOffer(agent, refOf(agent, data), data.offerId);
    return answer.view ? sessionCard(answer.view) : goneCard();
  },
});
