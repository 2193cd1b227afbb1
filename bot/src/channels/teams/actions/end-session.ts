import { z } from 'zod/v4';
import { Id } from '../../../core/model';
import { goneCard, noticeCard, sessionCard } from '../cards';
import { plain } from '../texts';
import { CardRef, defineAction, refOf } from './action';

/**
 * End chat, from the session card (which then shows the end) or from the question which chat to end
 * (which then says so, while the end itself updates the session card).
 */
export const endSession = defineAction({
  verb: 'session.end',
  // A button names its task; the list of many chats gives the chosen chat.
  data: z.union([CardRef, z.object({ chatId: Id })]),
  async run(env, agent, data, activity) {
    const ref =
      'taskId' in data
        ? refOf(agent, data)
        : (await env.relay.sessions(agent)).find((s) => s.chatId === data.chatId)?.ref;
    if (!ref) return noticeCard(plain.focusGone);
    const card = await env.relay.sessionCardOf(agent, ref.taskId);
    const fromSessionCard =
      'taskId' in data && (activity.replyToId === undefined || (card?.activityId ?? null) === activity.replyToId);
    if (fromSessionCard) {
      const answer = await env.relay.endFromCard(agent, ref);
      return answer.view ? sessionCard(answer.view) : goneCard();
    }
    const customer = await env.relay.endSession(agent, ref);
    return noticeCard(customer ? plain.ended(customer) : plain.focusGone);
  },
});
