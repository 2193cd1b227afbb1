import type { Service, Task, TaskTarget, User } from '../../core/model';
import {
  aggregateId,
  allChannels,
  emptyAggregate,
  emptySessionCounters,
  kpisOf,
  localBucket,
} from '../../core/reporting';
import { sortQueue } from '../../core/routing';
import { type Viewer, agentLiveStatus } from '../../core/supervision';
import type { AgentLiveView, Dashboard, LiveTaskView, ServiceLiveView } from '../../contracts';
import { type Store, type Stored, queueScope } from '../../store';
import type { Clock } from '../routing/clock';
import { supervisedServicesOf } from './scope';

/**
 * The live dashboard of the services a viewer supervises, built from the live task partitions, the
 * agents' routing state and today's day document (kept as tasks end), never from the reports.
 */
export class LiveDashboard {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The services the viewer supervises (all for an admin), by name, with the tenant's units. */
  scope(viewer: Viewer): Promise<Service[]> {
    return supervisedServicesOf(this.store, viewer);
  }

  /**
   * The live picture: per service its queue in routing order, what rings, what is connected, each
   * member's state, and today's counters. Cost: the services and units queries, then per service one
   * query of its queue partition and one point read of today's day document, plus one query of the
   * agents' states and the users (cached point reads).
   */
  async dashboard(viewer: Viewer): Promise<Dashboard> {
    const { store, clock } = this;
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
}
