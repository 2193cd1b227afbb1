import type { Chat, OrgUnit, Service, Task, TaskTarget, User } from '../../core/model';
import { type Result, ok, refuse } from '../../core/result';
import {
  aggregateId,
  allChannels,
  emptyAggregate,
  emptySessionCounters,
  kpisOf,
  localBucket,
} from '../../core/reporting';
import { sortQueue } from '../../core/routing';
import { type Viewer, agentLiveStatus, supervisedServices } from '../../core/supervision';
import type { AgentLiveView, Dashboard, LiveTaskView, ServiceLiveView } from '../../contracts';
import { type Store, type Stored, queueScope } from '../../store';
import type { ChatService } from '../chat/chat-service';
import type { Routing, TaskRef } from '../routing';
import type { Clock } from '../routing/clock';

export type SupervisionRefusal =
  | { code: 'forbidden'; message: string }
  | { code: 'not-found'; message: string }
  | { code: 'not-live'; message: string }
  | { code: 'conflict'; message: string };

export type SupervisionResult<T> = Result<T, SupervisionRefusal>;

/** A live chat a supervisor may step into, with its task. */
export type SupervisedLive = { chat: Stored<Chat>; task: Stored<Task>; ref: TaskRef; service: Service | null };

const forbidden = (): SupervisionRefusal => ({
  code: 'forbidden',
  message: 'You do not supervise the service of this chat.',
});
const notFound = (): SupervisionRefusal => ({ code: 'not-found', message: 'There is no such chat.' });

/**
 * Supervisors see and steer: the live dashboard of the services they supervise (built from the live
 * tasks, the agents' routing state and today's day document, never from the reports), and the live
 * chats of those services, which they read, whisper in, barge into or take over. Every action is
 * recorded in the task (its trace), and so in its report.
 */
export class SupervisionService {
  constructor(private readonly deps: { store: Store; routing: Routing; chats: ChatService; clock: Clock }) {}

  /** The services the viewer supervises (all for an admin), by name, with the tenant's units. */
  async scope(viewer: Viewer): Promise<Service[]> {
    const [services, units] = await Promise.all([
      this.deps.store.repos.services.byName(viewer.tenantId),
      viewer.isAdmin ? Promise.resolve([] as OrgUnit[]) : this.deps.store.repos.units.byName(viewer.tenantId),
    ]);
    return supervisedServices(viewer, services, units);
  }

  /**
   * Calls `listener` when something a dashboard of the tenant shows may have changed: routing events
   * of this process, and tasks, agent states and day documents other instances wrote (the change feed).
   * Returns the function that stops listening.
   */
  watch(tenantId: string, listener: (kind: 'tasks' | 'agents' | 'counters') => void): () => void {
    const { routing, store } = this.deps;
    const task = (t: Pick<Task, 'tenantId'>) => {
      if (t.tenantId === tenantId) listener('tasks');
    };
    const stops = [
      routing.events.on('task.queued', (e) => task(e.task)),
      routing.events.on('task.offered', (e) => task(e.task)),
      routing.events.on('offer.resolved', (e) => task(e.task)),
      routing.events.on('task.connected', (e) => task(e.task)),
      routing.events.on('task.taken-over', (e) => task(e.task)),
      routing.events.on('task.transferred', (e) => task(e.from)),
      routing.events.on('task.ended', (e) => {
        if (e.task.tenantId === tenantId) listener('counters');
      }),
      routing.events.on('agent.changed', (e) => {
        if (e.agent.tenantId === tenantId) listener('agents');
      }),
      ...(['task', 'agentState', 'reportAggregate'] as const).map((type) =>
        store.changes.on(type, (c) => {
          if (c.origin !== 'remote' || c.doc.tenantId !== tenantId) return;
          listener(type === 'task' ? 'tasks' : type === 'agentState' ? 'agents' : 'counters');
        }),
      ),
    ];
    return () => stops.forEach((stop) => stop());
  }

  /** Whether the viewer supervises anything (the tab shows the Supervision page then). */
  async supervisesAny(viewer: Viewer): Promise<boolean> {
    return viewer.isAdmin || (await this.scope(viewer)).length > 0;
  }

  /**
   * The live picture: per service its queue in routing order, what rings, what is connected, each
   * member's state, and today's counters. Cost: the services and units queries, then per service one
   * query of its queue partition and one point read of today's day document, plus one query of the
   * agents' states and the users (cached point reads).
   */
  async dashboard(viewer: Viewer): Promise<Dashboard> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const [services, tenant] = await Promise.all([
      this.scope(viewer),
      store.repos.tenants.find(viewer.tenantId, viewer.tenantId),
    ]);
    const timeZone = tenant?.timeZone ?? 'UTC';
    if (!tenant) return { at: now, timeZone, services: [] };
    const { day } = localBucket(now, timeZone);
    const memberIds = [...new Set(services.flatMap((s) => s.members.map((m) => m.userId)))];
    const [agents, users, perService] = await Promise.all([
      memberIds.length ? store.repos.agents.withIds(viewer.tenantId, memberIds) : Promise.resolve([]),
      Promise.all(memberIds.map((id) => store.repos.users.find(viewer.tenantId, id))),
      Promise.all(
        services.map(async (s) => {
          const target: TaskTarget = { kind: 'service', serviceId: s.id };
          const [tasks, today] = await Promise.all([
            store.repos.tasks.inQueue(viewer.tenantId, queueScope(target)),
            store.repos.reportAggregates.findDay(viewer.tenantId, aggregateId(day, target)),
          ]);
          return { tasks, today };
        }),
      ),
    ]);
    const agentOf = new Map(agents.map((a) => [a.id, a]));
    const userOf = new Map(users.filter((u): u is Stored<User> => u !== undefined).map((u) => [u.id, u]));
    const nameOf = (userId: string) => userOf.get(userId)?.displayName ?? 'Unknown user';
    const view = (t: Task): LiveTaskView => ({
      taskId: t.id,
      chatId: t.chatId,
      customerName: t.customer.displayName,
      channel: t.channel,
      state: t.state === 'connected' ? 'connected' : t.state === 'queued' ? 'queued' : 'in-workflow',
      priority: t.queue?.priority ?? null,
      since: (t.state === 'connected' ? t.connectedAt : t.enqueuedAt) ?? t.createdAt,
      createdAt: t.createdAt,
      ringing: t.offers
        .filter((o) => o.state === 'pending')
        .map((o) => ({ userId: o.userId, displayName: nameOf(o.userId) })),
      agent: t.assignedUserId ? { userId: t.assignedUserId, displayName: nameOf(t.assignedUserId) } : null,
      supervised: (t.supervision?.length ?? 0) > 0,
    });
    const result: ServiceLiveView[] = services.map((s, i) => {
      const { tasks, today } = perService[i]!;
      const queue = sortQueue(tasks).map(view);
      const doc = today ?? emptyAggregate(viewer.tenantId, day, timeZone, { kind: 'service', serviceId: s.id });
      const sessions = emptySessionCounters();
      for (const channel of Object.values(doc.sessions))
        for (const [k, n] of Object.entries(channel)) sessions[k as keyof typeof sessions] += n;
      const members: AgentLiveView[] = s.members.map((m) => {
        const status = agentLiveStatus({
          tenant,
          user: userOf.get(m.userId),
          agent: agentOf.get(m.userId),
          service: s,
          now,
        });
        return {
          userId: m.userId,
          displayName: nameOf(m.userId),
          presence: status.presence,
          state: status.state,
          chats: status.chats,
          chatLimit: status.chatLimit,
          ringing: status.ringing,
          ronaUntil: status.ronaUntil,
          notAvailableReason: status.notAvailableReason,
          reason: status.notSelectable?.message ?? null,
        };
      });
      return {
        serviceId: s.id,
        name: s.name,
        waiting: queue.length,
        longestWaitSince: queue.reduce<number | null>(
          (min, t) => (min === null || t.since < min ? t.since : min),
          null,
        ),
        queue,
        offered: queue.filter((t) => t.ringing.length > 0).length,
        inWorkflow: tasks.filter((t) => t.state === 'in-workflow' || t.state === 'created').length,
        connected: tasks.filter((t) => t.state === 'connected').map(view),
        agents: members,
        today: {
          day,
          kpis: kpisOf(allChannels(doc.channels)),
          offered: Object.values(sessions).reduce((a, b) => a + b, 0),
          accepted: sessions.accepted,
          declined: sessions.declined,
          rona: sessions.rona,
        },
      };
    });
    return { at: now, timeZone, services: result };
  }

  /**
   * A live chat of a service the viewer supervises (direct contacts: admins only). An ended chat, or
   * one whose task is over, is "not-live".
   */
  async live(viewer: Viewer, chatId: string): Promise<SupervisionResult<SupervisedLive>> {
    const chat = await this.deps.chats.get(viewer.tenantId, chatId);
    if (!chat) return refuse(notFound());
    const service =
      chat.target.kind === 'service'
        ? ((await this.deps.store.repos.services.find(viewer.tenantId, chat.target.serviceId)) ?? null)
        : null;
    if (!viewer.isAdmin) {
      if (!service) return refuse(forbidden());
      const allowed = await this.scope(viewer);
      if (!allowed.some((s) => s.id === service.id)) return refuse(forbidden());
    }
    if (chat.state !== 'open' || !chat.task)
      return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
    const ref: TaskRef = { tenantId: viewer.tenantId, queue: chat.task.queue, taskId: chat.task.id };
    const task = await this.deps.routing.tasks.get(ref);
    if (!task || task.state === 'ended')
      return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
    return ok({ chat, task, ref, service });
  }

  /** Opens a chat to read: recorded once per supervisor and task (reading again writes nothing). */
  async monitor(viewer: Viewer, chatId: string): Promise<SupervisionResult<SupervisedLive>> {
    const found = await this.live(viewer, chatId);
    if (!found.ok) return found;
    const { task, ref } = found.value;
    if (task.supervision?.some((e) => e.kind === 'monitor' && e.userId === viewer.userId)) return found;
    const recorded = await this.deps.routing.tasks.recordSupervision(ref, 'monitor', viewer.userId);
    return recorded.ok ? ok({ ...found.value, task: recorded.value }) : found;
  }

  /** A note to the chat's agent that the customer never sees (Teams and the tab show it to the agent). */
  async whisper(viewer: Viewer, chatId: string, text: string): Promise<SupervisionResult<number>> {
    return this.write(viewer, chatId, 'whisper', text);
  }

  /** Writes to the customer as the supervisor; their first barge-in is announced in the chat. */
  async bargeIn(viewer: Viewer, chatId: string, text: string): Promise<SupervisionResult<number>> {
    return this.write(viewer, chatId, 'barge-in', text);
  }

  private async write(
    viewer: Viewer,
    chatId: string,
    kind: 'whisper' | 'barge-in',
    text: string,
  ): Promise<SupervisionResult<number>> {
    const found = await this.live(viewer, chatId);
    if (!found.ok) return found;
    const { task, ref } = found.value;
    if (task.state !== 'connected')
      return refuse({
        code: 'not-live',
        message: 'Nobody is in this chat with the customer yet: wait until an agent accepts.',
      });
    if (task.assignedUserId === viewer.userId)
      return refuse({ code: 'conflict', message: 'The chat is yours now: answer it in My Sessions.' });
    const name = (await this.deps.store.repos.users.find(viewer.tenantId, viewer.userId))?.displayName ?? 'Supervisor';
    const first = !task.supervision?.some((e) => e.kind === kind && e.userId === viewer.userId);
    // Recorded before the message: a message is never in the chat without its trace.
    const recorded = await this.deps.routing.tasks.recordSupervision(ref, kind, viewer.userId);
    if (!recorded.ok) return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
    if (kind === 'barge-in' && first)
      await this.deps.chats.postMessage(
        viewer.tenantId,
        chatId,
        'system',
        name,
        `${name} (supervisor) joined the conversation.`,
      );
    const posted = await this.deps.chats.postSupervisorMessage(viewer.tenantId, chatId, kind, name, text);
    if (!posted.ok) return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
    return ok(posted.value.seq);
  }

  /** The chat becomes the supervisor's; the agent is told in Teams and freed of it. */
  async takeOver(viewer: Viewer, chatId: string): Promise<SupervisionResult<Stored<Task>>> {
    const found = await this.live(viewer, chatId);
    if (!found.ok) return found;
    const result = await this.deps.routing.tasks.takeOver(found.value.ref, viewer.userId);
    if (result.ok) return ok(result.value);
    if (result.refusal === 'already-taken') return refuse({ code: 'conflict', message: 'The chat is yours already.' });
    if (result.refusal === 'not-connected')
      return refuse({
        code: 'not-live',
        message: 'Nobody is in this chat with the customer yet: wait until an agent accepts.',
      });
    return refuse({ code: 'not-live', message: 'This chat is over; its report has the rest.' });
  }
}
