import { type IdSource, systemIds } from '../ids';
import type { Logger } from 'pino';
import type { Store, Timer } from '../../store';
import { AgentService } from './agents';
import { type Clock, systemClock } from './clock';
import { type DistributionOptions, Distributor } from './distributor';
import { EventBus } from './events';
import { Sweeper, type SweeperOptions } from './sweeper';
import { TaskService } from './tasks';

export type RoutingOptions = DistributionOptions &
  Omit<SweeperOptions, 'ownerId'> & {
    ownerId?: string;
    /** Ids of tasks, offers and the sweeper's lease owner. */
    ids?: IdSource;
    /** Fires workflow timers; the workflow runner is built on top of routing and plugs in here. */
    onWorkflowTimer?: (timer: Timer) => Promise<void>;
    /** Ends the chat of a website customer who has had no stream open for a while (the Interact service plugs in). */
    onCustomerAway?: (tenantId: string, chatId: string) => Promise<void>;
  };

export const defaultRoutingOptions: RoutingOptions = {
  retryMs: 5_000,
  staleSlotMs: 15 * 60_000,
  intervalMs: 250,
  leaseTtlMs: 10_000,
  batchSize: 100,
  retryDelayMs: 5_000,
};

export type Routing = {
  events: EventBus;
  tasks: TaskService;
  agents: AgentService;
  distributor: Distributor;
  sweeper: Sweeper;
  /** Waits until distribution passes in flight are done. */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

/** Wires the routing services: task lifecycle, agents, distribution and the timer sweeper. */
export function createRouting(
  store: Store,
  log: Logger,
  options: Partial<RoutingOptions> = {},
  clock: Clock = systemClock,
): Routing {
  const opts = { ...defaultRoutingOptions, ...options };
  const events = new EventBus((err, event) => log.error({ err, event: event.type }, 'routing event handler failed'));
  // The distributor and the services that kick it refer to each other; the callbacks look it up late.
  const late: { distributor?: Distributor } = {};
  const kick = (tenantId: string, queue: string) => {
    void late.distributor?.kick(tenantId, queue);
  };
  const agents = new AgentService(store, clock, events, log, (tenantId, userId) => {
    void late.distributor
      ?.kickForAgent(tenantId, userId)
      .catch((err: unknown) => log.error({ err, tenantId, userId }, 'distribution after agent change failed'));
  });
  const ids = opts.ids ?? systemIds;
  const d = new Distributor(store, clock, events, agents, log, opts, ids);
  late.distributor = d;
  const tasks = new TaskService(store, clock, events, agents, log, kick, ids);

  const handle = async (timer: Timer): Promise<void> => {
    const { tenantId, payload } = timer;
    switch (payload.kind) {
      case 'offer-timeout':
        await tasks.expire({ tenantId, queue: payload.queue, taskId: payload.taskId }, payload.offerId);
        return;
      case 'max-queue': {
        const ref = { tenantId, queue: payload.queue, taskId: payload.taskId };
        const task = await tasks.get(ref);
        if (task?.state === 'queued') await tasks.end(ref, 'max-queue-time');
        return;
      }
      case 'rona-reset':
        await agents.expireRona(tenantId, payload.userId);
        return;
      case 'distribute':
        await d.kick(tenantId, payload.queue);
        return;
      case 'finalize':
        await tasks.finalize({ tenantId, queue: payload.queue, taskId: payload.taskId });
        return;
      case 'workflow':
        // Without a runner the timer must survive (the sweeper retries it) rather than be lost.
        if (!opts.onWorkflowTimer) throw new Error('no workflow runner in this process');
        await opts.onWorkflowTimer(timer);
        return;
      case 'customer-away':
        if (!opts.onCustomerAway) throw new Error('no Interact service in this process');
        await opts.onCustomerAway(tenantId, payload.chatId);
        return;
    }
  };
  const sweeper = new Sweeper(store.timers, clock, handle, log, {
    ...opts,
    ownerId: opts.ownerId ?? `${process.pid}-${ids.uuid()}`,
  });

  return {
    events,
    tasks,
    agents,
    distributor: d,
    sweeper,
    idle: () => d.idle(),
    stop: async () => {
      await sweeper.stop();
      await d.stop();
    },
  };
}

export type { TaskRef } from './refs';
export { refOf, targetOfQueue } from './refs';
export type { Clock } from './clock';
export { ManualClock, systemClock } from './clock';
