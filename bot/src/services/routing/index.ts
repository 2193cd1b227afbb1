import { type IdSource, systemIds } from '../ids';
import type { Logger } from 'pino';
import { ReportingService } from '../reporting/reporting-service';
import type { AgentState, Presence } from '../../core/model';
import type { Store, Stored, Timer } from '../../store';
import { AgentService } from './agents';
import { type Clock, systemClock } from './clock';
import { type DistributionOptions, Distributor } from './distributor';
import { EventBus } from './events';
import { kickOnConfigChange } from './config-kicks';
import { Sweeper, type SweeperOptions } from './sweeper';
import { TaskService } from './tasks';

export type RoutingOptions = DistributionOptions &
  Omit<SweeperOptions, 'ownerId'> & {
    ownerId?: string;
    /** Ids of tasks, offers and the sweeper's lease owner. */
    ids?: IdSource;
  };

/** Timers that services built on top of routing own: they plug their handler in when they are built. */
export type PluggedTimerKind = Extract<Timer['payload']['kind'], 'workflow' | 'customer-away'>;
export type PluggedTimerHandler<K extends PluggedTimerKind> = (
  timer: Timer & { payload: Extract<Timer['payload'], { kind: K }> },
) => Promise<void>;

export const defaultRoutingOptions: RoutingOptions = {
  retryMs: 5_000,
  backstopMs: 5 * 60_000,
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
  /** Historic reporting: day documents kept as tasks end, read by date range, rebuilt from the reports. */
  reporting: ReportingService;
  /** The agent's manual status; going Offline also withdraws the offers still ringing for them. */
  setPresence(tenantId: string, userId: string, presence: Presence): Promise<Stored<AgentState>>;
  /** Plugs in the handler of a timer kind owned by a service built on routing (one per kind). */
  handleTimers<K extends PluggedTimerKind>(kind: K, handler: PluggedTimerHandler<K>): void;
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
  const agents = new AgentService(store, clock, events, log);
  const ids = opts.ids ?? systemIds;
  const shared = { store, clock, events, agents, log, ids };
  const d = new Distributor({ ...shared, options: opts });
  // An agent with room again (available, out of RONA, a slot released) may take what waits in their queues.
  events.on('agent.freed', ({ tenantId, userId }) =>
    d
      .kickForAgent(tenantId, userId)
      .catch((err: unknown) => log.error({ err, tenantId, userId }, 'distribution after agent change failed')),
  );
  const stopConfigKicks = kickOnConfigChange(store, d, log);
  const reporting = new ReportingService(store, log);
  const tasks = new TaskService({ ...shared, reporting, kick: (tenantId, queue) => void d.kick(tenantId, queue) });
  const plugged = new Map<PluggedTimerKind, (timer: Timer) => Promise<void>>();

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
      case 'customer-away': {
        // Without its service in this process the timer must survive (the sweeper retries it) rather than be lost.
        const plug = plugged.get(payload.kind);
        if (!plug) throw new Error(`no handler for ${payload.kind} timers in this process`);
        await plug(timer);
        return;
      }
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
    reporting,
    setPresence: async (tenantId, userId, presence) => {
      const after = await agents.setPresence(tenantId, userId, presence);
      if (presence === 'offline') await tasks.withdrawOffersOf(tenantId, userId);
      return after;
    },
    handleTimers: (kind, handler) => {
      if (plugged.has(kind)) throw new Error(`${kind} timers already have a handler`);
      plugged.set(kind, handler as (timer: Timer) => Promise<void>);
    },
    idle: () => d.idle(),
    stop: async () => {
      stopConfigKicks();
      await sweeper.stop();
      await d.stop();
    },
  };
}

export type { TaskRef } from './refs';
export { refOf, targetOfQueue } from './refs';
export type { Clock } from './clock';
export { ManualClock, systemClock } from './clock';
