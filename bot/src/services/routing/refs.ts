import type { Task, TaskTarget } from '../../core/model';
import { parseQueueScope, queueScope } from '../../store';

/** Everything needed to point-read a live task: its tenant, its queue partition and its id. */
export type TaskRef = { tenantId: string; queue: string; taskId: string };

export const refOf = (task: Pick<Task, 'tenantId' | 'id' | 'target'>): TaskRef => ({
  tenantId: task.tenantId,
  queue: queueScope(task.target),
  taskId: task.id,
});

/** The target of a queue named from outside (a card's data, a timer), or undefined when it names none. */
export const targetOfQueue = (queue: string): TaskTarget | undefined => parseQueueScope(queue);
