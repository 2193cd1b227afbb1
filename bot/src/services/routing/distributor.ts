import type { IdSource } from '../ids';
import type { Logger } from 'pino';
import { type Candidate, addOffer, planOffers, selectability, sortQueue } from '../../core/routing';
import type { Service, Task, Tenant, User } from '../../core/model';
import { type Store, type Stored, queueScope, timerIds } from '../../store';
import type { AgentService } from './agents';
import type { Clock } from './clock';
import type { EventBus } from './events';
import { targetOfQueue } from './refs';

export type DistributionOptions = {
  /** After a pass that failed or lost an offer to a concurrent writer, look again after this long. */
  retryMs: number;
  /**
   * When queued tasks found no agent, look again after this long. Every change that can make an agent
   * selectable (presence, capacity, RONA, configuration) kicks a pass of its own, so this only backs
   * them up: a change that reached no process (a crash between the write and the kick) waits this long.
   */
  backstopMs: number;
  /** Offer slots older than this are checked against their task (left behind by a crash). */
  staleSlotMs: number;
};

export type PassResult = { queued: number; offersMade: number; offersFailed: number };

export type DistributorDeps = {
  store: Store;
  clock: Clock;
  events: EventBus;
  agents: AgentService;
  log: Logger;
  options: DistributionOptions;
  ids: IdSource;
};

/**
 * Runs distribution for one queue: reads the queue and its candidate agents, asks the core for a plan,
 * and carries it out offer by offer. Each offer first reserves the agent's capacity (conditional write
 * on the agent) and then adds the offer to the task (conditional write on the task), so concurrent
 * passes in several processes can overlap without over-assigning an agent or double-offering a Direct
 * task. Passes for one queue never overlap in one process: a kick during a pass runs one more pass.
 */
export class Distributor {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /**
   * Queues whose running pass has begun reading the store. A kick comes after the change that caused
   * it; before the pass reads, that change is in what it will read, so only a later kick needs another pass.
   */
  private readonly reading = new Set<string>();
  /** Work started outside a pass (agent-triggered kicks), so idle() can wait for it too. */
  private readonly inflight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly deps: DistributorDeps) {}

  /** Asks for a pass over the queue; resolves when the passes it caused are done. */
  kick(tenantId: string, queue: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const key = `${tenantId}\n${queue}`;
    const current = this.running.get(key);
    if (current) {
      if (this.reading.has(key)) this.again.add(key);
      return current;
    }
    const loop = (async () => {
      try {
        do {
          this.again.delete(key);
          this.reading.delete(key);
          try {
            await this.pass(tenantId, queue, () => this.reading.add(key));
          } catch (err) {
            this.deps.log.error({ err, tenantId, queue }, 'distribution pass failed');
            await this.scheduleRetry(tenantId, queue, this.deps.options.retryMs).catch(() => undefined);
          }
        } while (this.again.has(key) && !this.stopped);
      } finally {
        this.running.delete(key);
        this.reading.delete(key);
      }
    })();
    this.running.set(key, loop);
    return loop;
  }

  /** Kicks every queue the agent can take work from: their services and their direct contacts. */
  kickForAgent(tenantId: string, userId: string): Promise<void> {
    return this.track(async () => {
      const services = await this.deps.store.repos.services.withMember(tenantId, userId);
      const queues = [
        ...services.map((s) => queueScope({ kind: 'service', serviceId: s.id })),
        queueScope({ kind: 'user', userId }),
      ];
      await Promise.all(queues.map((queue) => this.kick(tenantId, queue)));
    });
  }

  /** Runs work that decides which queues to kick, so idle() waits for it and the passes it causes. */
  track(work: () => Promise<void>): Promise<void> {
    const running = work();
    this.inflight.add(running);
    void running.finally(() => this.inflight.delete(running)).catch(() => undefined);
    return running;
  }

  /** Waits for every pass in flight, and for the passes those cause (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.inflight.size > 0)
      await Promise.allSettled([...this.running.values(), ...this.inflight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  async pass(tenantId: string, queue: string, reads?: () => void): Promise<PassResult> {
    const target = targetOfQueue(queue);
    if (!target) return { queued: 0, offersMade: 0, offersFailed: 0 };
    reads?.();
    const queued = sortQueue(await this.deps.store.repos.tasks.queued(tenantId, queue));
    if (queued.length === 0) return { queued: 0, offersMade: 0, offersFailed: 0 };

    const tenant = await this.deps.store.repos.tenants.find(tenantId, tenantId);
    if (!tenant) return { queued: queued.length, offersMade: 0, offersFailed: 0 };
    const service =
      target.kind === 'service'
        ? ((await this.deps.store.repos.services.find(tenantId, target.serviceId)) ?? null)
        : null;
    if (target.kind === 'service' && !service) return { queued: queued.length, offersMade: 0, offersFailed: 0 };
    const userIds = service
      ? service.members.filter((m) => m.active).map((m) => m.userId)
      : target.kind === 'user'
        ? [target.userId]
        : [];

    const [users, agents] = await Promise.all([
      this.deps.store.repos.users.withIds(tenantId, userIds),
      this.deps.store.repos.agents.withIds(tenantId, userIds),
    ]);
    const userById = new Map(users.map((u) => [u.id, u]));
    const agentById = new Map(agents.map((a) => [a.id, a]));

    const now = this.deps.clock.now();
    const candidates: Candidate[] = [];
    for (const userId of userIds) {
      let agent = agentById.get(userId);
      const user = userById.get(userId);
      if (agent && agent.slots.some((s) => now - s.since >= this.deps.options.staleSlotMs && s.kind === 'offer')) {
        await this.deps.agents.repairStaleSlots(
          agent,
          (slot) => this.slotHeld(tenantId, userId, slot),
          this.deps.options.staleSlotMs,
        );
        agent = await this.deps.agents.find(tenantId, userId);
      }
      const sel = selectability({ tenant, user, agent, service, now });
      if (sel.selectable && agent)
        candidates.push({ userId, freeChats: sel.freeChats, lastActivityAt: agent.lastActivityAt });
    }

    const plan = planOffers(queued, candidates);
    const taskById = new Map(queued.map((t) => [t.id, t]));
    // Offers to different agents run in parallel; one agent's offers in order, as the plan made them.
    const byAgent = new Map<string, string[]>();
    for (const p of plan) byAgent.set(p.userId, [...(byAgent.get(p.userId) ?? []), p.taskId]);
    let offersMade = 0;
    let offersFailed = 0;
    await Promise.all(
      [...byAgent].map(async ([userId, taskIds]) => {
        for (const taskId of taskIds) {
          const made = await this.offer({ tenant, user: userById.get(userId)!, service }, taskById.get(taskId)!, queue);
          if (made) offersMade++;
          else offersFailed++;
        }
      }),
    );

    const unserved = queued.filter(
      (t) =>
        t.queue?.type !== 'pickup' &&
        !t.offers.some((o) => o.state === 'pending') &&
        !plan.some((p) => p.taskId === t.id),
    );
    if (offersFailed > 0) await this.scheduleRetry(tenantId, queue, this.deps.options.retryMs);
    else if (unserved.length > 0) await this.scheduleRetry(tenantId, queue, this.deps.options.backstopMs);
    return { queued: queued.length, offersMade, offersFailed };
  }

  private async offer(
    ctx: { tenant: Tenant; user: User; service: Service | null },
    task: Stored<Task>,
    queue: string,
  ): Promise<boolean> {
    const { tenant, user } = ctx;
    if (!(await this.deps.agents.reserve(ctx, { taskId: task.id, queue, kind: 'offer' }))) return false;
    const offerId = this.deps.ids.uuid();
    const ringMs = (task.queue?.ringTimeoutSeconds ?? 30) * 1000;
    // The timer goes first: a crash after it leaves a timer that finds no offer, never an offer without a timer.
    await this.deps.store.timers.schedule({
      id: timerIds.offer(tenant.id, offerId),
      tenantId: tenant.id,
      dueAt: this.deps.clock.now() + ringMs,
      payload: { kind: 'offer-timeout', queue, taskId: task.id, offerId },
    });
    let written: Task | undefined;
    try {
      written = await this.deps.store.repos.tasks.update(
        tenant.id,
        task.id,
        (current) => {
          const result = addOffer(current, { id: offerId, userId: user.id }, this.deps.clock.now());
          return result.ok ? result.value : undefined;
        },
        // The task as the queue query read it: a change since then fails the write and is read afresh.
        { scope: queue, maxAttempts: 20, current: task },
      );
    } catch (err) {
      this.deps.log.debug({ err, taskId: task.id }, 'offer not written');
    }
    const offer = written?.offers.find((o) => o.id === offerId);
    if (!written || !offer) {
      await Promise.all([
        this.deps.store.timers.cancel(timerIds.offer(tenant.id, offerId)),
        this.deps.agents.release(tenant.id, user.id, task.id),
      ]);
      return false;
    }
    this.deps.events.emit({ type: 'task.offered', task: written, offer });
    return true;
  }

  /** Whether the task behind a slot still holds this agent (pending offer, or connected to them). */
  private async slotHeld(tenantId: string, userId: string, slot: { taskId: string; queue: string }): Promise<boolean> {
    const task = await this.deps.store.repos.tasks.find(tenantId, slot.taskId, slot.queue);
    if (!task || task.state === 'ended') return false;
    return task.assignedUserId === userId || task.offers.some((o) => o.userId === userId && o.state === 'pending');
  }

  private async scheduleRetry(tenantId: string, queue: string, afterMs: number): Promise<void> {
    await this.deps.store.timers.schedule({
      id: timerIds.distribute(tenantId, queue),
      tenantId,
      dueAt: this.deps.clock.now() + afterMs,
      payload: { kind: 'distribute', queue },
    });
  }
}
