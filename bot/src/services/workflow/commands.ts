import type { Service, Task } from '../../core/model';
import {
  type Command,
  type CommandResult,
  type TaskView,
  type WorkflowInstance,
  serviceAvailability,
} from '../../core/workflow';
import type { Store, WorkflowRepositories } from '../../store';
import type { ChatService } from '../chat/chat-service';
import type { Clock } from '../routing/clock';
import type { TaskService } from '../routing/tasks';
import { type TaskRef, refOf } from '../routing/refs';
import type { WebRequestClient } from './web-request-client';

export type CommandContext = {
  instance: WorkflowInstance;
  ref: TaskRef;
  /** The service the task belongs to, when it still exists: its name signs the workflow's messages. */
  service: Service | undefined;
};

/** What the executor needs from the runner: starting the workflow of a task a transfer created. */
export type TransferHook = (ref: TaskRef) => Promise<void>;

export function taskView(task: Task | undefined): TaskView {
  if (!task || task.state === 'ended') return 'ended';
  if (task.state === 'connected') return 'connected';
  if (task.state !== 'queued') return 'not-queued';
  return task.offers.some((o) => o.state === 'pending') ? 'offered' : 'queued';
}

/**
 * Carries out workflow commands through the task, chat and store services. Each command may run more
 * than once (after a crash), so each is safe to repeat: queueing again keeps the time in queue, ending
 * an ended task is refused, reading is reading.
 */
export class CommandExecutor {
  constructor(
    private readonly store: Store,
    private readonly repos: WorkflowRepositories,
    private readonly tasks: TaskService,
    private readonly chats: ChatService,
    private readonly clock: Clock,
    private readonly webRequests: WebRequestClient,
    private readonly onTransferred: TransferHook,
  ) {}

  async execute(ctx: CommandContext, command: Command): Promise<CommandResult> {
    const { instance: inst, ref } = ctx;
    const tenantId = inst.tenantId;
    switch (command.kind) {
      case 'accept':
        // The customer's "waiting" status comes from the routing bridge once the task is queued, with
        // its position; the widget shows "waiting" until then.
        await this.tasks.startWorkflow(ref);
        return { kind: 'done' };
      case 'send-message': {
        const posted = await this.chats.postMessage(
          tenantId,
          inst.chatId,
          'system',
          ctx.service?.name ?? 'Service',
          command.text,
        );
        return { kind: 'sent', seq: posted.ok ? posted.value.seq : null };
      }
      case 'read-calendars': {
        const [primary, secondary] = await Promise.all([
          this.store.repos.calendars.find(tenantId, command.primaryId),
          command.secondaryId === null ? undefined : this.store.repos.calendars.find(tenantId, command.secondaryId),
        ]);
        return { kind: 'calendars', primary: primary ?? null, secondary: secondary ?? null };
      }
      case 'read-availability':
        return {
          kind: 'availability',
          availability: await this.availability(tenantId, command.serviceId ?? inst.serviceId),
        };
      case 'read-queue-position':
        return { kind: 'queue-position', position: (await this.tasks.position(ref)) ?? null };
      case 'read-task-state':
        return { kind: 'task-state', state: taskView(await this.tasks.get(ref)) };
      case 'enqueue': {
        const result = await this.tasks.enqueue(ref, command.settings);
        return { kind: 'enqueued', ok: result.ok };
      }
      case 'set-priority': {
        const task = await this.tasks.get(ref);
        if (task?.state !== 'queued') return { kind: 'priority-set', queued: false };
        const result = await this.tasks.setPriority(ref, command.priority);
        return { kind: 'priority-set', queued: result.ok };
      }
      case 'transfer':
        return this.transfer(ctx, command.serviceId);
      case 'web-request': {
        const config = await this.repos.webRequests.find(tenantId, command.webRequestId);
        if (!config)
          return {
            kind: 'web-response',
            outcome: 'failure',
            values: {},
            status: null,
            detail: `web request ${command.webRequestId} not found`,
          };
        return this.webRequests.run(config, command.values);
      }
      case 'end-session':
        // Ending the task is enough: the routing bridge closes the chat with its goodbye message.
        await this.tasks.end(ref, command.outcome);
        return { kind: 'ended' };
      case 'finish': {
        // A queued task goes on waiting for an agent without the workflow; anything else has nowhere to go.
        const task = await this.tasks.get(ref);
        if (task && (task.state === 'created' || task.state === 'in-workflow'))
          await this.tasks.end(ref, 'handled-by-system');
        return { kind: 'ended' };
      }
    }
  }

  private async availability(tenantId: string, serviceId: string) {
    const [tenant, service] = await Promise.all([
      this.store.repos.tenants.find(tenantId, tenantId),
      this.store.repos.services.find(tenantId, serviceId),
    ]);
    if (!tenant || !service) return null;
    const ids = service.members.map((m) => m.userId);
    const [users, agents] = await Promise.all([
      this.store.repos.users.withIds(tenantId, ids),
      this.store.repos.agents.withIds(tenantId, ids),
    ]);
    return serviceAvailability({ tenant, service, users, agents, now: this.clock.now() });
  }

  private async transfer(ctx: CommandContext, serviceId: string): Promise<CommandResult> {
    const { instance: inst, ref } = ctx;
    const target = await this.store.repos.services.find(inst.tenantId, serviceId);
    if (!target) return { kind: 'transferred', ok: false, reason: `service ${serviceId} not found` };
    if (!target.im.enabled || !target.im.channels[inst.channel])
      return {
        kind: 'transferred',
        ok: false,
        reason: `${target.name} does not take Instant Messaging on this channel`,
      };
    const moved = await this.tasks.transfer(ref, serviceId);
    if (!moved.ok) return { kind: 'transferred', ok: false, reason: moved.refusal };
    const next = refOf(moved.value);
    await this.chats.update(inst.tenantId, inst.chatId, (chat) => ({
      ...chat,
      task: { id: next.taskId, queue: next.queue },
    }));
    await this.onTransferred(next);
    return { kind: 'transferred', ok: true, reason: null };
  }
}
