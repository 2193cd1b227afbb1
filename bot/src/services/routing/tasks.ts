import type { Logger } from 'pino';
import type { ReportingService } from '../reporting/reporting-service';
import type { IdSource } from '../ids';
import { type Result, ok, refuse } from '../../core/result';
import {
  type NewTask,
  type QueuePosition,
  type Refusal,
  type Transition,
  acceptOffer,
  claimTask,
  claimedSessionOf,
  customerLeftOutcome,
  declineOffer,
  endTask,
  enqueue as enqueueTransition,
  expireOffer,
  newTask,
  nextAcceptInterval,
  queuePosition,
  setPriority,
  sortQueue,
  superviseTask,
  takeOverTask,
  startWorkflow,
  taskReportOf,
  userSessionOf,
  withdrawOffer,
} from '../../core/routing';
import {
  type Offer,
  type Priority,
  type QueueSettings,
  type SupervisionKind,
  type Task,
  type TaskOutcome,
  type TaskReport,
  QueueSettings as QueueSettingsSchema,
} from '../../core/model';
import { NotFoundError, type Store, type Stored, serviceOfQueue, timerIds } from '../../store';
import type { AgentService } from './agents';
import type { Clock } from './clock';
import type { EventBus } from './events';
import { type TaskRef, refOf } from './refs';

export type TaskRefusal = Refusal | 'not-found' | 'not-selectable';
export type TaskResult<T> = Result<T, TaskRefusal>;

/** Seconds of grace after which a died-mid-way end is finished by its timer. */
const FINALIZE_GRACE_MS = 30_000;

export type TaskServiceDeps = {
  store: Store;
  clock: Clock;
  events: EventBus;
  agents: AgentService;
  log: Logger;
  kick: (tenantId: string, queue: string) => void;
  ids: IdSource;
  /** Counts each ended task into the reports' day documents (never throws). */
  reporting?: Pick<ReportingService, 'taskEnded'>;
};

/**
 * The task lifecycle: created → in workflow → queued (offered) → connected → ended, plus transfer and
 * cancel. Every transition is a conditional write on the task's etag; timers are scheduled before the
 * change they guard, so a crash leaves at worst a timer that fires on a state it no longer matches.
 */
export class TaskService {
  constructor(private readonly deps: TaskServiceDeps) {}

  async create(input: NewTask): Promise<Stored<Task>> {
    const task = newTask(this.deps.ids.uuid(), input, this.deps.clock.now());
    return this.deps.store.repos.tasks.create(task);
  }

  async get(ref: TaskRef): Promise<Stored<Task> | undefined> {
    return this.deps.store.repos.tasks.find(ref.tenantId, ref.taskId, ref.queue);
  }

  /** Applies a pure transition under optimistic concurrency; a refusal writes nothing. */
  private async transition(
    ref: TaskRef,
    apply: (task: Task) => Transition,
    known?: Stored<Task>,
  ): Promise<TaskResult<Stored<Task>>> {
    const current = known ?? (await this.get(ref));
    if (!current) return refuse('not-found');
    let refusal: Refusal | undefined;
    let updated: Stored<Task>;
    try {
      updated = await this.deps.store.repos.tasks.update(
        ref.tenantId,
        ref.taskId,
        (task) => {
          const result = apply(task);
          refusal = result.ok ? undefined : result.refusal;
          return result.ok ? result.value : undefined;
        },
        // The task just read is the first attempt's: no second read before the conditional write.
        { scope: ref.queue, maxAttempts: 20, current },
      );
    } catch (err) {
      // Another actor ended and removed the task between our read and our write: an outcome, not a fault.
      if (err instanceof NotFoundError) return refuse('not-found');
      throw err;
    }
    return refusal ? { ok: false, refusal } : ok(updated);
  }

  async startWorkflow(ref: TaskRef): Promise<TaskResult<Stored<Task>>> {
    return this.transition(ref, startWorkflow);
  }

  /** Queues the task (or re-queues it with new settings) and runs distribution for its queue. */
  async enqueue(ref: TaskRef, settings: Partial<QueueSettings> = {}): Promise<TaskResult<Stored<Task>>> {
    const parsed = QueueSettingsSchema.parse(settings);
    if (parsed.maxQueueSeconds !== null) {
      await this.deps.store.timers.schedule({
        id: timerIds.maxQueue(ref.tenantId, ref.taskId),
        tenantId: ref.tenantId,
        dueAt: this.deps.clock.now() + parsed.maxQueueSeconds * 1000,
        payload: { kind: 'max-queue', queue: ref.queue, taskId: ref.taskId },
      });
    }
    const result = await this.transition(ref, (t) => enqueueTransition(t, parsed, this.deps.clock.now()));
    if (result.ok) {
      this.deps.events.emit({ type: 'task.queued', task: result.value });
      this.deps.kick(ref.tenantId, ref.queue);
    }
    return result;
  }

  async setPriority(ref: TaskRef, priority: Priority): Promise<TaskResult<Stored<Task>>> {
    const result = await this.transition(ref, (t) => setPriority(t, priority));
    if (result.ok) this.deps.kick(ref.tenantId, ref.queue);
    return result;
  }

  async accept(ref: TaskRef, offerId: string, userId: string): Promise<TaskResult<Stored<Task>>> {
    const before = await this.get(ref);
    const result = await this.transition(ref, (t) => acceptOffer(t, offerId, userId, this.deps.clock.now()), before);
    if (!result.ok) return result;
    const task = result.value;
    await this.deps.agents.toChat(ref.tenantId, userId, task.id, ref.queue);
    await Promise.all([
      this.deps.store.timers.cancel(timerIds.offer(ref.tenantId, offerId)),
      ...this.maxQueueCancel(task),
    ]);
    await this.afterResolved(task, before?.offers ?? []);
    this.deps.events.emit({ type: 'task.connected', task });
    void this.recordAccept(ref).catch((err: unknown) => this.deps.log.debug({ err }, 'queue statistics not updated'));
    return result;
  }

  async decline(ref: TaskRef, offerId: string, userId: string): Promise<TaskResult<Stored<Task>>> {
    const persistentRona = (await this.serviceOf(ref.tenantId, ref.queue))?.distribution.persistentRona ?? false;
    const result = await this.transition(ref, (t) =>
      declineOffer(t, offerId, userId, this.deps.clock.now(), persistentRona),
    );
    if (!result.ok) return result;
    await this.deps.store.timers.cancel(timerIds.offer(ref.tenantId, offerId));
    await this.afterUnanswered(result.value, offerId, 'declined');
    return result;
  }

  /** The ring timeout of an offer fired. */
  async expire(ref: TaskRef, offerId: string): Promise<TaskResult<Stored<Task>>> {
    const result = await this.transition(ref, (t) => expireOffer(t, offerId, this.deps.clock.now()));
    if (!result.ok) return result;
    await this.afterUnanswered(result.value, offerId, 'no-answer');
    return result;
  }

  /**
   * Takes a pending offer back without RONA (the agent never got it): their capacity is released and
   * a service task is offered on; a direct contact has nobody else to go to and is missed.
   */
  async withdrawOffer(ref: TaskRef, offerId: string): Promise<TaskResult<Stored<Task>>> {
    const before = await this.get(ref);
    const result = await this.transition(ref, (t) => withdrawOffer(t, offerId, this.deps.clock.now()));
    if (!result.ok) return result;
    await this.afterResolved(result.value, before?.offers ?? []);
    if (result.value.target.kind === 'user') await this.end(ref, 'missed');
    else this.deps.kick(ref.tenantId, ref.queue);
    return result;
  }

  /** Withdraws every offer still ringing for the agent (they went Offline), without RONA. */
  async withdrawOffersOf(tenantId: string, userId: string): Promise<void> {
    const agent = await this.deps.agents.find(tenantId, userId);
    for (const slot of agent?.slots.filter((s) => s.kind === 'offer') ?? []) {
      const ref = { tenantId, queue: slot.queue, taskId: slot.taskId };
      const offer = (await this.get(ref))?.offers.find((o) => o.userId === userId && o.state === 'pending');
      if (offer) await this.withdrawOffer(ref, offer.id);
    }
  }

  /** Pickup: the agent claims a queued task; capacity is reserved first, as for an offer. */
  async claim(ref: TaskRef, userId: string): Promise<TaskResult<Stored<Task>>> {
    const ctx = await this.routingContext(ref.tenantId, ref.queue, userId);
    if (!ctx) return refuse('not-selectable');
    if (!(await this.deps.agents.reserve(ctx, { taskId: ref.taskId, queue: ref.queue, kind: 'chat' })))
      return refuse('not-selectable');
    const before = await this.get(ref);
    const result = await this.transition(ref, (t) => claimTask(t, userId, this.deps.clock.now()));
    if (!result.ok) {
      await this.deps.agents.release(ref.tenantId, userId, ref.taskId);
      return result;
    }
    await this.deps.store.timers.cancel(timerIds.maxQueue(ref.tenantId, ref.taskId));
    await this.afterResolved(result.value, before?.offers ?? []);
    const claimed = claimedSessionOf(result.value);
    if (claimed) await this.deps.store.repos.userSessions.upsert(claimed);
    this.deps.events.emit({ type: 'task.connected', task: result.value });
    void this.recordAccept(ref).catch((err: unknown) => this.deps.log.debug({ err }, 'queue statistics not updated'));
    return result;
  }

  /** Records a supervisor reading, whispering in or writing to a live task's chat (its trace and report). */
  async recordSupervision(
    ref: TaskRef,
    kind: Exclude<SupervisionKind, 'take-over'>,
    userId: string,
  ): Promise<TaskResult<Stored<Task>>> {
    return this.transition(ref, (t) => superviseTask(t, kind, userId, this.deps.clock.now()));
  }

  /**
   * A supervisor takes a connected chat over: the task is theirs (a chat slot is added for them even
   * beyond their limit: taking over is a decision, not an offer), the agent's slot is given back, and
   * the agent's session ends as "transferred". The customer keeps the same chat and task.
   */
  async takeOver(ref: TaskRef, supervisorId: string): Promise<TaskResult<Stored<Task>>> {
    const before = await this.get(ref);
    if (!before) return refuse('not-found');
    const result = await this.transition(ref, (t) => takeOverTask(t, supervisorId, this.deps.clock.now()), before);
    if (!result.ok) return result;
    const task = result.value;
    const fromUserId = before.assignedUserId!;
    await this.deps.agents.toChat(ref.tenantId, supervisorId, task.id, ref.queue);
    // A claimed (Pickup) chat has no offer to mark: its claim session ends here instead.
    const claimed = claimedSessionOf(before);
    const now = this.deps.clock.now();
    await Promise.all([
      ...(claimed
        ? [this.deps.store.repos.userSessions.upsert({ ...claimed, endedAt: now, taskOutcome: 'transferred' })]
        : []),
      ...task.offers
        .filter((o) => o.userId === fromUserId && o.handedOverAt !== undefined)
        .map((o) => this.deps.store.repos.userSessions.upsert(userSessionOf(task, o))),
    ]);
    const session = claimedSessionOf(task);
    if (session) await this.deps.store.repos.userSessions.upsert(session);
    await this.deps.agents.release(ref.tenantId, fromUserId, task.id);
    this.deps.events.emit({ type: 'task.taken-over', task, fromUserId });
    return result;
  }

  /** Ends the task with an outcome, then writes its reports and removes it from the live queue. */
  async end(
    ref: TaskRef,
    outcome: TaskOutcome,
    transferredToTaskId: string | null = null,
  ): Promise<TaskResult<TaskReport>> {
    await this.deps.store.timers.schedule({
      id: timerIds.finalize(ref.tenantId, ref.taskId),
      tenantId: ref.tenantId,
      dueAt: this.deps.clock.now() + FINALIZE_GRACE_MS,
      payload: { kind: 'finalize', queue: ref.queue, taskId: ref.taskId },
    });
    const result = await this.transition(ref, (t) => endTask(t, outcome, this.deps.clock.now()));
    if (!result.ok) {
      await this.deps.store.timers.cancel(timerIds.finalize(ref.tenantId, ref.taskId));
      return result;
    }
    const report = await this.finalize(ref, transferredToTaskId, result.value);
    return report ? ok(report) : refuse('not-found');
  }

  /** The max queue time timer's cancel, when the task's queueing scheduled one (none is never cancelled). */
  private maxQueueCancel(task: Task): Promise<unknown>[] {
    // An earlier queueing with a limit left a timer behind at worst; it finds the task changed and does nothing.
    return (task.queue?.maxQueueSeconds ?? null) === null
      ? []
      : [this.deps.store.timers.cancel(timerIds.maxQueue(task.tenantId, task.id))];
  }

  /** The customer left: the outcome depends on how far the task got. */
  async customerLeft(ref: TaskRef): Promise<TaskResult<TaskReport>> {
    const task = await this.get(ref);
    if (!task) return refuse('not-found');
    return this.end(ref, customerLeftOutcome(task));
  }

  async cancel(ref: TaskRef): Promise<TaskResult<TaskReport>> {
    return this.end(ref, 'cancelled');
  }

  /**
   * Transfer to a service: a new task in the target service continues the same chat, and this task
   * ends as "transferred" pointing at it. The new task is created first so nothing is lost in between.
   */
  async transfer(ref: TaskRef, serviceId: string): Promise<TaskResult<Stored<Task>>> {
    const task = await this.get(ref);
    if (!task) return refuse('not-found');
    if (task.state === 'ended') return refuse('task-ended');
    const next = await this.create({
      tenantId: task.tenantId,
      target: { kind: 'service', serviceId },
      channel: task.channel,
      chatId: task.chatId,
      customer: task.customer,
      firstMessage: task.firstMessage,
      transferredFromTaskId: task.id,
    });
    const ended = await this.end(ref, 'transferred', next.id);
    if (!ended.ok) {
      await this.deps.store.repos.tasks.delete(next.tenantId, next.id, { scope: refOf(next).queue });
      return ended;
    }
    this.deps.events.emit({ type: 'task.transferred', from: task, to: next });
    return ok(next);
  }

  /**
   * Writes the reports of an ended task, frees every slot it held, cancels its timers and removes it
   * from the live container. Idempotent: the finalize timer repeats it after a crash.
   */
  async finalize(
    ref: TaskRef,
    transferredToTaskId: string | null = null,
    /** The task as its end just wrote it: then no read, and no earlier report to consult. */
    ended?: Stored<Task>,
  ): Promise<TaskReport | undefined> {
    const task = ended ?? (await this.get(ref));
    if (!task) {
      await this.deps.store.timers.cancel(timerIds.finalize(ref.tenantId, ref.taskId));
      return undefined;
    }
    if (task.state !== 'ended') return undefined;
    // After a crash (the finalize timer) a transfer's report may already say where the chat went.
    const previous = ended ? undefined : await this.deps.store.repos.taskReports.find(ref.tenantId, task.id, ref.queue);
    const report = await this.deps.store.repos.taskReports.upsert(
      taskReportOf(task, transferredToTaskId ?? previous?.transferredToTaskId ?? null),
    );
    const sessions = task.offers.map((o) => userSessionOf(task, o));
    await Promise.all(sessions.map((s) => this.deps.store.repos.userSessions.upsert(s)));
    const claimed = claimedSessionOf(task);
    if (claimed) await this.deps.store.repos.userSessions.upsert(claimed);
    // Before the finalize timer goes: a crash from here on repeats the count, which the day document ignores.
    await this.deps.reporting?.taskEnded(report, claimed ? [...sessions, claimed] : sessions);
    const holders = new Set([
      ...task.offers.map((o) => o.userId),
      ...(task.assignedUserId ? [task.assignedUserId] : []),
    ]);
    await Promise.all([...holders].map((userId) => this.deps.agents.release(ref.tenantId, userId, task.id)));
    await Promise.all([
      ...task.offers.map((o) => this.deps.store.timers.cancel(timerIds.offer(ref.tenantId, o.id))),
      ...this.maxQueueCancel(task),
    ]);
    for (const offer of task.offers)
      if (offer.respondedAt === task.endedAt && offer.state === 'withdrawn')
        this.deps.events.emit({ type: 'offer.resolved', task, offer });
    await this.deps.store.repos.tasks.delete(ref.tenantId, task.id, { scope: ref.queue });
    await this.deps.store.timers.cancel(timerIds.finalize(ref.tenantId, task.id));
    this.deps.events.emit({ type: 'task.ended', task, report });
    this.deps.kick(ref.tenantId, ref.queue);
    return report;
  }

  /** Position and estimated wait of a queued task; one query inside its queue's partition. */
  async position(ref: TaskRef): Promise<QueuePosition | undefined> {
    const [queued, stats] = await Promise.all([
      this.deps.store.repos.tasks.queued(ref.tenantId, ref.queue),
      this.deps.store.repos.queueStats.find(ref.tenantId, 'stats', ref.queue),
    ]);
    return queuePosition(sortQueue(queued), ref.taskId, stats?.avgAcceptIntervalMs ?? null);
  }

  /** Offers that stopped being pending in this change: release the losers' capacity and report them. */
  private async afterResolved(task: Task, offersBefore: readonly Offer[]): Promise<void> {
    const wasPending = new Set(offersBefore.filter((o) => o.state === 'pending').map((o) => o.id));
    const resolved = task.offers.filter((o) => wasPending.has(o.id) && o.state !== 'pending');
    await Promise.all(
      resolved.map(async (offer) => {
        if (offer.state !== 'accepted') {
          await this.deps.store.timers.cancel(timerIds.offer(task.tenantId, offer.id));
          await this.deps.agents.release(task.tenantId, offer.userId, task.id);
        }
        await this.deps.store.repos.userSessions.upsert(userSessionOf(task, offer));
        this.deps.events.emit({ type: 'offer.resolved', task, offer });
      }),
    );
  }

  /**
   * A declined or unanswered offer: RONA for the agent when they did not answer, and after a decline
   * only if the service has persistent RONA; a direct contact is missed, a service task offered on.
   */
  private async afterUnanswered(task: Stored<Task>, offerId: string, reason: 'declined' | 'no-answer'): Promise<void> {
    const offer = task.offers.find((o) => o.id === offerId);
    if (!offer) return;
    const ref = refOf(task);
    const service = await this.serviceOf(task.tenantId, ref.queue);
    // RONA before the slot is given back: releasing it wakes distribution, which must not find the
    // agent selectable in between and offer them the next task right after the one they missed.
    if (reason === 'no-answer' || service?.distribution.persistentRona)
      await this.deps.agents.rona(
        task.tenantId,
        offer.userId,
        reason,
        task.id,
        service?.distribution.ronaResetSeconds ?? 600,
      );
    await this.deps.agents.release(task.tenantId, offer.userId, task.id);
    await this.deps.store.repos.userSessions.upsert(userSessionOf(task, offer));
    this.deps.events.emit({ type: 'offer.resolved', task, offer });
    if (task.target.kind === 'user') await this.end(ref, 'missed');
    else this.deps.kick(task.tenantId, ref.queue);
  }

  private async recordAccept(ref: TaskRef): Promise<void> {
    // Statistics only: a lost update under contention shifts an estimate, never a decision.
    const stats = await this.deps.store.repos.queueStats.find(ref.tenantId, 'stats', ref.queue);
    const next = nextAcceptInterval(
      { lastAcceptAt: stats?.lastAcceptAt ?? null, avgAcceptIntervalMs: stats?.avgAcceptIntervalMs ?? null },
      this.deps.clock.now(),
    );
    await this.deps.store.repos.queueStats.upsert({
      id: 'stats',
      tenantId: ref.tenantId,
      type: 'queueStats',
      queue: ref.queue,
      ...next,
    });
  }

  /** The service whose queue this is; none for a user's own queue. */
  private async serviceOf(tenantId: string, queue: string) {
    const serviceId = serviceOfQueue(queue);
    return serviceId ? this.deps.store.repos.services.find(tenantId, serviceId) : undefined;
  }

  /** Tenant, user and (for a service queue) service, for a capacity reservation. */
  async routingContext(tenantId: string, queue: string, userId: string) {
    const [tenant, user] = await Promise.all([
      this.deps.store.repos.tenants.find(tenantId, tenantId),
      this.deps.store.repos.users.find(tenantId, userId),
    ]);
    if (!tenant || !user) return undefined;
    const serviceId = serviceOfQueue(queue);
    const service = serviceId ? ((await this.deps.store.repos.services.find(tenantId, serviceId)) ?? null) : null;
    if (serviceId && !service) return undefined;
    return { tenant, user, service };
  }
}
