import { z } from 'zod/v4';
import { Id } from '../../../core/model';
import { noticeCard } from '../cards';
import { plain } from '../texts';
import { defineAction } from './action';

/**
 * The answer to "which chat is this for?": the pending message goes to the chosen customer, once. The
 * chat is the button's own (one button per chat) or the one picked in the list (many chats).
 */
export const sendToSession = defineAction({
  verb: 'session.send',
  data: z.object({ chatId: Id, text: z.string().trim().min(1).max(30_000) }),
  async run(env, agent, data) {
    const outcome = await env.relay.sendTo(agent, data.chatId, data.text);
    return noticeCard(
      outcome.kind === 'sent'
        ? plain.sent(outcome.session.customer.displayName)
        : plain.sessionEnded(outcome.kind === 'session-ended' ? outcome.customerName : null),
    );
  },
});
