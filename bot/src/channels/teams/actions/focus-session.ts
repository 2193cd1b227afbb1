import { Id } from '../../../core/model';
import { plain } from '../texts';
import { CardRef, defineAction } from './action';

/** Send my replies here: plain messages go to this session while the agent has several. */
export const focusSession = defineAction({
  verb: 'session.focus',
  data: CardRef.extend({ chatId: Id }),
  async run(env, agent, data) {
    const session = await env.relay.focus(agent, data.chatId);
    return session ? plain.focusSet(session.customer.displayName) : plain.focusGone;
  },
});
