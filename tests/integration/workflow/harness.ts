import pino from 'pino';
import type { Calendar, ImChannel, Service } from '../../../bot/src/core/model';
import type { WorkflowDefinitionInput } from '../../../bot/src/core/workflow';
import { ChatService } from '../../../bot/src/services/chat/chat-service';
import { type Routing, ManualClock, type TaskRef, createRouting, refOf } from '../../../bot/src/services/routing';
import type { RoutingEvent } from '../../../bot/src/services/routing/events';
import { type Workflows, createWorkflows } from '../../../bot/src/services/workflow';
import { bridgeRoutingToChats } from '../../../bot/src/services/chat/routing-bridge';
import type { Store } from '../../../bot/src/store';
import type { EmbeddedCosmos } from '../../../bot/src/store/embedded';
import {
  officeHours,
  service as serviceFixture,
  tenant as tenantFixture,
  user as userFixture,
} from '../../helpers/fixtures';
import { newTenantId, openStoreOn } from '../../helpers/store';

export const SEC = 1000;

/** Monday 2026-01-05 09:00 UTC: 10:00 in Zurich, inside office hours. */
export const MONDAY_MORNING = Date.UTC(2026, 0, 5, 9, 0, 0);

export type Arrival = { chatId: string; ref: TaskRef };

export type WorkflowWorld = {
  store: Store;
  routing: Routing;
  chats: ChatService;
  workflows: Workflows;
  clock: ManualClock;
  tenantId: string;
  serviceId: string;
  agents: string[];
  events: RoutingEvent[];
  /** Saves the workflow (validated) and selects it for the service; throws when either is refused. */
  useWorkflow(input: WorkflowDefinitionInput): Promise<void>;
  /** Office hours Mon-Fri 08:00-18:00 Europe/Zurich under the given id. */
  saveCalendar(overrides?: Partial<Calendar>): Promise<Calendar>;
  /** A customer opens a chat with the service; the task is created and its workflow started. */
  arrive(options?: { channel?: ImChannel; name?: string; firstMessage?: string | null }): Promise<Arrival>;
  /** The customer writes in their chat. */
  say(chatId: string, text: string): Promise<void>;
  /** Texts the customer received from the service, in order. */
  received(chatId: string): Promise<string[]>;
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  close(): Promise<void>;
};

/**
 * A tenant with one service and its agents on its own database of the real embedded Cosmos server,
 * with routing, chats and the workflow runner wired as the server wires them, on a manual clock.
 * The sweeper is not started: `advance` moves time and fires what is due.
 */
export async function createWorkflowWorld(
  cosmos: Pick<EmbeddedCosmos, 'endpoint' | 'key'> | Store,
  opts: { agents?: number; available?: boolean; service?: Partial<Service>; now?: number } = {},
): Promise<WorkflowWorld> {
  const ownsStore = !('repos' in cosmos);
  const store = 'repos' in cosmos ? cosmos : await openStoreOn(cosmos);
  const tenantId = newTenantId();
  const clock = new ManualClock(opts.now ?? MONDAY_MORNING);
  const agents = Array.from({ length: opts.agents ?? 2 }, (_, i) => `agent-${i + 1}`);
  const serviceId = 'svc-1';
  await store.repos.tenants.create(
    tenantFixture(tenantId, { licenses: { imModality: { total: 100, assignees: agents } } }),
  );
  await Promise.all(agents.map((id) => store.repos.users.create(userFixture(tenantId, id))));
  await store.repos.services.create(
    serviceFixture(tenantId, serviceId, {
      name: 'Service B',
      members: agents.map((userId) => ({ userId, active: true })),
      ...opts.service,
    }),
  );

  const world = wire(store, clock, tenantId, serviceId, agents, ownsStore);
  // What installing the app does for each agent: the bot can reach them.
  for (const id of agents) await world.routing.agents.setReachable(tenantId, id, true);
  if (opts.available !== false) {
    for (const id of agents) {
      await world.routing.agents.setPresence(tenantId, id, 'available');
      clock.advance(1);
    }
  }
  await world.settle();
  return world;
}

/**
 * The server side again on data that is already there: what a restarted process builds. The world it
 * returns shares the tenant, the service and the clock of the one before.
 */
export function reopenWorld(
  store: Store,
  before: Pick<WorkflowWorld, 'clock' | 'tenantId' | 'serviceId' | 'agents'>,
): WorkflowWorld {
  return wire(store, before.clock, before.tenantId, before.serviceId, before.agents, false);
}

function wire(
  store: Store,
  clock: ManualClock,
  tenantId: string,
  serviceId: string,
  agents: string[],
  ownsStore: boolean,
): WorkflowWorld {
  const log = pino({ level: 'silent' });
  const routing = createRouting(store, log, { retryMs: 1_000, ownerId: `test-${tenantId}-${Math.random()}` }, clock);
  const chats = new ChatService(store, clock);
  // As in the app: the bridge tells the customer what routing did and closes chats of ended tasks.
  bridgeRoutingToChats(routing, chats, store, log);
  const workflows = createWorkflows({ store, routing, chats, clock, log });
  const events: RoutingEvent[] = [];
  for (const type of ['task.queued', 'task.offered', 'offer.resolved', 'task.connected', 'task.ended'] as const)
    routing.events.on(type, (e) => void events.push(e));

  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await workflows.runner.idle();
      await routing.idle();
    }
  };

  return {
    store,
    routing,
    chats,
    workflows,
    clock,
    tenantId,
    serviceId,
    agents,
    events,
    async useWorkflow(input) {
      const saved = await workflows.admin.save(input);
      if (!saved.ok) throw new Error(`workflow refused: ${saved.refusal.map((e) => e.message).join('; ')}`);
      const selected = await workflows.admin.select(tenantId, serviceId, saved.value.workflow.id);
      if (!selected.ok) throw new Error(`selection refused: ${selected.refusal.message}`);
    },
    async saveCalendar(overrides = {}) {
      const calendar = officeHours(tenantId, 'cal-office', overrides);
      await store.repos.calendars.upsert(calendar);
      return calendar;
    },
    async arrive(options = {}) {
      const customer = { displayName: options.name ?? 'Casey Customer', email: 'casey@example.com', address: null };
      const channel = options.channel ?? 'interact';
      const chat = await chats.open({
        tenantId,
        target: { kind: 'service', serviceId },
        channel,
        contactId: null,
        customer,
      });
      const task = await routing.tasks.create({
        tenantId,
        target: { kind: 'service', serviceId },
        channel,
        chatId: chat.id,
        customer,
        firstMessage: options.firstMessage === undefined ? 'Hello' : options.firstMessage,
      });
      const ref = refOf(task);
      const started = await workflows.runner.start(ref);
      if (!started.ok) throw new Error(`workflow not started: ${started.refusal}`);
      await settle();
      return { chatId: chat.id, ref };
    },
    async say(chatId, text) {
      const result = await chats.postMessage(tenantId, chatId, 'customer', 'Casey Customer', text);
      if (!result.ok) throw new Error(`message refused: ${result.refusal}`);
      await settle();
    },
    async received(chatId) {
      const events = await chats.eventsAfter(tenantId, chatId, 0);
      // Notes meant for the agent only are not something the customer received.
      return events.flatMap((e) =>
        e.kind === 'message' && e.from === 'system' && !('audience' in e && e.audience === 'agent') ? [e.text] : [],
      );
    },
    async advance(ms) {
      clock.advance(ms);
      for (let i = 0; i < 3; i++) {
        await routing.sweeper.tick();
        await settle();
      }
    },
    settle,
    async close() {
      await workflows.runner.stop();
      await routing.stop();
      if (ownsStore) await store.close();
    },
  };
}
