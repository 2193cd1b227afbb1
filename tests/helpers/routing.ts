import pino from 'pino';
import type { Service } from '../../bot/src/core/model';
import { type Routing, createRouting, ManualClock, type TaskRef, refOf } from '../../bot/src/services/routing';
import type { RoutingEvent } from '../../bot/src/services/routing/events';
import type { Store } from '../../bot/src/store';
import { service as serviceFixture, tenant as tenantFixture, user as userFixture } from './fixtures';
import { newTenantId, openStoreOn } from './store';
import type { EmbeddedCosmos } from '../../bot/src/store/embedded';

export type World = {
  store: Store;
  routing: Routing;
  clock: ManualClock;
  tenantId: string;
  serviceId: string;
  agents: string[];
  events: RoutingEvent[];
  /** Creates and queues a task for the service; waits for distribution. */
  queueTask(settings?: Parameters<Routing['tasks']['enqueue']>[1], customer?: string): Promise<TaskRef>;
  /** Pending offers of a task, as the store has them. */
  pendingOffers(ref: TaskRef): Promise<{ id: string; userId: string }[]>;
  /** Moves the clock and fires what is due, then waits for the distribution it causes. */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  close(): Promise<void>;
};

/**
 * A tenant with one service whose members are available agents, on its own database of the real
 * embedded Cosmos server, with a manual clock. The sweeper is not started: tests fire timers with
 * `advance`. Each world has its own timers and lease, so worlds with different clocks do not meet.
 */
export async function createWorld(
  on: Pick<EmbeddedCosmos, 'endpoint' | 'key'> | Store,
  opts: { agents?: number; service?: Partial<Service>; maxChats?: number; available?: boolean } = {},
): Promise<World> {
  const ownsStore = !('repos' in on);
  const store = 'repos' in on ? on : await openStoreOn(on);
  const tenantId = newTenantId();
  const clock = new ManualClock();
  const agents = Array.from({ length: opts.agents ?? 3 }, (_, i) => `agent-${i + 1}`);
  const serviceId = 'svc-1';
  await store.repos.tenants.create(
    tenantFixture(tenantId, { licenses: { imModality: { total: 100, assignees: agents } } }),
  );
  await Promise.all(
    agents.map((id) =>
      store.repos.users.create(
        userFixture(tenantId, id, { im: { enabled: true, maxConcurrentChats: opts.maxChats ?? null } }),
      ),
    ),
  );
  await store.repos.services.create(
    serviceFixture(tenantId, serviceId, {
      members: agents.map((userId) => ({ userId, active: true })),
      ...opts.service,
    }),
  );
  const routing = createRouting(
    store,
    pino({ level: 'silent' }),
    { retryMs: 1_000, ownerId: `test-${tenantId}` },
    clock,
  );
  const events: RoutingEvent[] = [];
  for (const type of ['task.queued', 'task.offered', 'offer.resolved', 'task.connected', 'task.ended'] as const)
    routing.events.on(type, (e) => void events.push(e));

  // What installing the app does for each agent: the bot can reach them.
  for (const id of agents) await routing.agents.setReachable(tenantId, id, true);
  // Agents become available one clock tick apart, so "longest idle" has a defined order.
  if (opts.available !== false) {
    for (const id of agents) {
      await routing.agents.setPresence(tenantId, id, 'available');
      clock.advance(1);
    }
  }
  await routing.idle();

  const world: World = {
    store,
    routing,
    clock,
    tenantId,
    serviceId,
    agents,
    events,
    async queueTask(settings = {}, customer = 'Casey Customer') {
      const task = await routing.tasks.create({
        tenantId,
        target: { kind: 'service', serviceId },
        channel: 'interact',
        chatId: `chat-${Math.random().toString(36).slice(2)}`,
        customer: { displayName: customer, email: 'casey@example.com', address: null },
        firstMessage: 'Hi, I need help',
      });
      const ref = refOf(task);
      await routing.tasks.startWorkflow(ref);
      const queued = await routing.tasks.enqueue(ref, settings);
      if (!queued.ok) throw new Error(`enqueue refused: ${queued.refusal}`);
      await routing.idle();
      return ref;
    },
    async pendingOffers(ref) {
      const task = await routing.tasks.get(ref);
      return (task?.offers ?? []).filter((o) => o.state === 'pending').map((o) => ({ id: o.id, userId: o.userId }));
    },
    async advance(ms) {
      clock.advance(ms);
      await routing.sweeper.tick();
      await routing.idle();
      // Timers scheduled by what just fired may already be due.
      await routing.sweeper.tick();
      await routing.idle();
    },
    settle: () => routing.idle(),
    async close() {
      await routing.stop();
      if (ownsStore) await store.close();
    },
  };
  return world;
}
