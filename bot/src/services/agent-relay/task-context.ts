import type { SystemMessages, Task } from '../../core/model';
import type { Store } from '../../store';

export type TaskContext = {
  /** The service's name, or null for a direct contact of a user. */
  serviceName: string | null;
  /** The direct system messages of the service (or of the contacted user), if any are selected. */
  messages: SystemMessages | null;
};

/** What a card needs to know about where a task came from. */
export async function taskContext(store: Store, task: Pick<Task, 'tenantId' | 'target'>): Promise<TaskContext> {
  const owner =
    task.target.kind === 'service'
      ? await store.repos.services.find(task.tenantId, task.target.serviceId)
      : await store.repos.users.find(task.tenantId, task.target.userId);
  const messagesId = owner?.interact.directSystemMessagesId ?? null;
  const messages = messagesId ? ((await store.repos.systemMessages.find(task.tenantId, messagesId)) ?? null) : null;
  return {
    serviceName: task.target.kind === 'service' ? (owner && 'name' in owner ? owner.name : 'Service') : null,
    messages,
  };
}
