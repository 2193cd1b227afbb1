import type { Chat, Task } from '../../core/model';
import type { Store, Stored } from '../../store';
import type { ChatService } from '../chat/chat-service';
import { type Routing, type TaskRef, refOf } from '../routing';
import { taskContext } from './task-context';
import type { SessionSummary } from './views';

export type ActiveSession = SessionSummary & { task: Stored<Task>; chat: Stored<Chat> };

/**
 * An agent's connected sessions, oldest first. The agent's routing state lists the chats that hold
 * their capacity; each is confirmed against its task (point reads only), so a slot left behind by a
 * crash never shows up as a session.
 */
export async function activeSessions(
  store: Store,
  routing: Routing,
  chats: ChatService,
  tenantId: string,
  userId: string,
): Promise<ActiveSession[]> {
  const agent = await routing.agents.find(tenantId, userId);
  const slots = (agent?.slots ?? []).filter((s) => s.kind === 'chat');
  const sessions = await Promise.all(
    slots.map(async (slot): Promise<ActiveSession | undefined> => {
      const task = await routing.tasks.get({ tenantId, queue: slot.queue, taskId: slot.taskId });
      if (!task || task.state !== 'connected' || task.assignedUserId !== userId) return undefined;
      const chat = await chats.get(tenantId, task.chatId);
      if (!chat || chat.state !== 'open') return undefined;
      const { serviceName } = await taskContext(store, task);
      return {
        ref: refOf(task),
        chatId: chat.id,
        customer: task.customer,
        channel: task.channel,
        serviceName,
        connectedAt: task.connectedAt ?? task.createdAt,
        task,
        chat,
      };
    }),
  );
  return sessions.filter((s): s is ActiveSession => s !== undefined).sort((a, b) => a.connectedAt - b.connectedAt);
}

export const summaryOf = ({
  ref,
  chatId,
  customer,
  channel,
  serviceName,
  connectedAt,
}: SessionSummary & { ref: TaskRef }): SessionSummary => ({
  ref,
  chatId,
  customer,
  channel,
  serviceName,
  connectedAt,
});
