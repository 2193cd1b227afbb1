import type { Service, Task } from '../../core/model';
import { type Result, ok, refuse } from '../../core/result';
import { sortQueue } from '../../core/routing';
import { type Store, type Stored, serviceQueueScope } from '../../store';
import type { TaskRef } from '../routing';
import type { TaskService } from '../routing/tasks';

/** A task waiting in a Pickup queue, as the agent's channels show it. */
export type PickupTaskView = {
  ref: TaskRef;
  taskId: string;
  serviceId: string;
  serviceName: string;
  customer: Task['customer'];
  channel: Task['channel'];
  firstMessage: string | null;
  enqueuedAt: number;
  waitedMs: number;
};

/**
 * Why a claim did not give the agent the chat: another agent was faster, the chat stopped waiting (the
 * customer left, it timed out), no such task in a service of theirs (not told apart from "not a member"),
 * or the agent cannot take a chat now (availability, license, chat limit).
 */
export type PickupRefusal = 'pickup-taken' | 'pickup-gone' | 'pickup-not-found' | 'not-selectable';

/**
 * Pickup distribution makes no offers: its tasks wait in the service's queue until a member claims
 * one. This is the one place that lists those queues for an agent and turns a claim into the task's
 * conditional transition (TaskService.claim: capacity first, then the task's etag decides the one
 * winner), for the tab and the bot alike. Only active members of a service reach its Pickup tasks;
 * every read is inside the agent's own tenant.
 */
export class PickupQueues {
  constructor(
    private readonly store: Store,
    private readonly tasks: Pick<TaskService, 'get' | 'claim'>,
    private readonly clock: { now(): number },
  ) {}

  /** The services whose Pickup queues the agent sees: those they are an active member of. */
  private async servicesOf(tenantId: string, userId: string): Promise<Stored<Service>[]> {
    const services = await this.store.repos.services.withMember(tenantId, userId);
    return services.filter((s) => isActiveMember(s, userId));
  }

  /** Tasks waiting for pickup in the agent's services, oldest first. One query per service queue. */
  async waiting(tenantId: string, userId: string): Promise<PickupTaskView[]> {
    const services = await this.servicesOf(tenantId, userId);
    const now = this.clock.now();
    const perService = await Promise.all(
      services.map(async (service) => {
        const queue = serviceQueueScope(service.id);
        const queued = await this.store.repos.tasks.queued(tenantId, queue);
        return sortQueue(queued.filter((t) => t.queue?.type === 'pickup')).map((t): PickupTaskView => ({
          ref: { tenantId, queue, taskId: t.id },
          taskId: t.id,
          serviceId: service.id,
          serviceName: service.name,
          customer: t.customer,
          channel: t.channel,
          firstMessage: t.firstMessage,
          enqueuedAt: t.enqueuedAt ?? t.createdAt,
          waitedMs: Math.max(0, now - (t.enqueuedAt ?? t.createdAt)),
        }));
      }),
    );
    return perService.flat().sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  /** The agent claims a waiting task of one of their services; the first claim wins. */
  async claim(
    tenantId: string,
    userId: string,
    serviceId: string,
    taskId: string,
  ): Promise<Result<Stored<Task>, PickupRefusal>> {
    const service = await this.store.repos.services.find(tenantId, serviceId);
    if (!service || !isActiveMember(service, userId)) return refuse('pickup-not-found');
    const ref: TaskRef = { tenantId, queue: serviceQueueScope(serviceId), taskId };
    const task = await this.tasks.get(ref);
    if (!task) return refuse('pickup-gone');
    if (task.queue?.type !== 'pickup') return refuse('pickup-not-found');
    // A second click of the same agent: the chat is already theirs.
    if (task.state === 'connected' && task.assignedUserId === userId) return ok(task);
    const result = await this.tasks.claim(ref, userId);
    if (result.ok) return result;
    switch (result.refusal) {
      case 'already-taken':
        return refuse('pickup-taken');
      case 'not-selectable': {
        // Reserving capacity comes first: a loser of the race may be refused there, after the winner.
        const now = await this.tasks.get(ref);
        if (now?.state === 'connected' && now.assignedUserId !== userId) return refuse('pickup-taken');
        return refuse('not-selectable');
      }
      case 'task-ended':
      case 'not-found':
      case 'not-queued':
        return refuse('pickup-gone');
      default:
        return refuse('pickup-not-found');
    }
  }

  /** Whether a change of this task changes what the agent's Pickup queues show. */
  async concerns(tenantId: string, userId: string, task: Task): Promise<boolean> {
    if (task.tenantId !== tenantId || task.target.kind !== 'service' || task.queue?.type !== 'pickup') return false;
    const service = await this.store.repos.services.find(tenantId, task.target.serviceId);
    return service !== undefined && isActiveMember(service, userId);
  }
}

const isActiveMember = (service: Pick<Service, 'members'>, userId: string): boolean =>
  service.members.some((m) => m.userId === userId && m.active);
