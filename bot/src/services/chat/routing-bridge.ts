import type { Logger } from 'pino';
import { type InteractSettings, type SystemMessages, type Task, agentNameForCustomer } from '../../core/model';
import type { Store } from '../../store';
import type { Routing } from '../routing';
import { refOf } from '../routing/refs';
import type { ChatService } from './chat-service';

/**
 * Tells the customer what routing did: waiting (with the queue position), connected (with the agent's
 * name as the direct system messages define it, and their accept message), ended. A transfer moves the
 * chat to the new task instead of ending it.
 */
export function bridgeRoutingToChats(routing: Routing, chats: ChatService, store: Store, log: Logger): () => void {
  const guard = (what: string, work: () => Promise<void>) =>
    work().catch((err: unknown) => log.error({ err }, `chat update after ${what} failed`));

  const settingsOf = async (
    task: Task,
  ): Promise<{ interact: InteractSettings; serviceName: string | null } | undefined> => {
    if (task.target.kind === 'service') {
      const service = await store.repos.services.find(task.tenantId, task.target.serviceId);
      return service ? { interact: service.interact, serviceName: service.name } : undefined;
    }
    const user = await store.repos.users.find(task.tenantId, task.target.userId);
    return user ? { interact: user.interact, serviceName: null } : undefined;
  };
  const messagesOf = async (task: Task): Promise<SystemMessages | null> => {
    const settings = await settingsOf(task);
    const id = settings?.interact.directSystemMessagesId;
    return id ? ((await store.repos.systemMessages.find(task.tenantId, id)) ?? null) : null;
  };

  const stops = [
    routing.events.on('task.queued', (e) =>
      guard('queueing', async () => {
        const chat = await chats.get(e.task.tenantId, e.task.chatId);
        if (!chat || chat.state === 'ended') return;
        const position = await routing.tasks.position(refOf(e.task));
        await chats.postStatus(e.task.tenantId, e.task.chatId, {
          state: 'waiting',
          position: position?.position ?? null,
          estimatedWaitSeconds: position?.estimatedWaitSeconds ?? null,
          agentName: null,
        });
      }),
    ),
    routing.events.on('task.connected', (e) =>
      guard('connect', async () => {
        const { task } = e;
        const chat = await chats.get(task.tenantId, task.chatId);
        if (!chat || chat.state === 'ended' || !task.assignedUserId) return;
        const [agent, messages] = await Promise.all([
          store.repos.users.find(task.tenantId, task.assignedUserId),
          messagesOf(task),
        ]);
        const agentName = agentNameForCustomer(messages, agent?.displayName ?? 'Agent');
        await chats.update(task.tenantId, task.chatId, (c) => ({
          ...c,
          agent: { userId: task.assignedUserId!, displayName: agentName },
        }));
        await chats.postStatus(task.tenantId, task.chatId, {
          state: 'connected',
          position: null,
          estimatedWaitSeconds: null,
          agentName,
        });
        const greeting = messages?.toCustomer.onAccept;
        if (greeting) await chats.postMessage(task.tenantId, task.chatId, 'system', agentName, greeting);
      }),
    ),
    // A supervisor took the chat over: the customer hears who helps them now, in one neutral line.
    routing.events.on('task.taken-over', (e) =>
      guard('take-over', async () => {
        const { task } = e;
        if (!task.assignedUserId) return;
        const [supervisor, messages] = await Promise.all([
          store.repos.users.find(task.tenantId, task.assignedUserId),
          messagesOf(task),
        ]);
        const agentName = agentNameForCustomer(messages, supervisor?.displayName ?? 'Agent');
        const chat = await chats.update(task.tenantId, task.chatId, (c) =>
          c.state === 'ended' ? undefined : { ...c, agent: { userId: task.assignedUserId!, displayName: agentName } },
        );
        if (chat.state === 'ended') return;
        await chats.postStatus(task.tenantId, task.chatId, {
          state: 'connected',
          position: null,
          estimatedWaitSeconds: null,
          agentName,
        });
        await chats.postMessage(
          task.tenantId,
          task.chatId,
          'system',
          agentName,
          `${agentName} is now taking care of your chat.`,
        );
      }),
    ),
    routing.events.on('task.ended', (e) =>
      guard('end', async () => {
        const { task, report } = e;
        const chat = await chats.get(task.tenantId, task.chatId);
        if (!chat) return;
        // A transferred chat goes on with its new task (task.transferred below).
        if (report.outcome === 'transferred') return;
        if (chat.state === 'ended') return;
        const messages = await messagesOf(task);
        const farewell = report.outcome === 'missed' ? messages?.toCustomer.onUnavailable : messages?.toCustomer.onEnd;
        const author = chat.agent?.displayName ?? (await settingsOf(task))?.serviceName ?? 'System';
        if (farewell) await chats.postMessage(task.tenantId, task.chatId, 'system', author, farewell);
        if (await chats.end(task.tenantId, task.chatId, 'system')) {
          await chats.postStatus(task.tenantId, task.chatId, {
            state: 'ended',
            position: null,
            estimatedWaitSeconds: null,
            agentName: null,
          });
        }
      }),
    ),
    routing.events.on('task.transferred', (e) =>
      guard('transfer', async () => {
        const chat = await chats.get(e.to.tenantId, e.to.chatId);
        if (!chat || chat.state === 'ended') return;
        await chats.update(e.to.tenantId, e.to.chatId, (c) => ({
          ...c,
          task: { id: e.to.id, queue: refOf(e.to).queue },
          agent: null,
        }));
      }),
    ),
  ];
  return () => stops.forEach((stop) => stop());
}
