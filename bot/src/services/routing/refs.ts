import { type Task, type TaskTarget, queueScope } from '../../core/model';

/** Everything needed to point-read a live task: its tenant, its queue partition and its id. */
export type TaskRef = { tenantId: string; queue: string; taskId: string };

export const refOf = (task: Pick<Task, 'tenantId' | 'id' | 'target'>): TaskRef => ({ tenantId: task.tenantId, queue: queueScope(task.target), taskId: task.id });

export function targetOfQueue(queue: string): TaskTarget | undefined {
  const m = /^(svc|usr):(.+)$/.exec(queue);
  if (!m) return undefined;
  return m[1] === 'svc' ? { kind: 'service', serviceId: m[2]! } : { kind: 'user', userId: m[2]! };
}

/** Deterministic timer ids: rescheduling moves a timer instead of adding a second one. */
export const timerIds = {
  offer: (tenantId: string, offerId: string) => `offer:${tenantId}:${offerId}`,
  maxQueue: (tenantId: string, taskId: string) => `maxq:${tenantId}:${taskId}`,
  rona: (tenantId: string, userId: string) => `rona:${tenantId}:${userId}`,
  distribute: (tenantId: string, queue: string) => `dist:${tenantId}:${queue}`,
  finalize: (tenantId: string, taskId: string) => `final:${tenantId}:${taskId}`,
};
