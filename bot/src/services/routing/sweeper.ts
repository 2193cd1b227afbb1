import type { Logger } from 'pino';
import type { DueTimer, Timer } from '../../store';
import type { TimerStore } from '../../store/timers';
import type { Clock } from './clock';

export type TimerHandler = (timer: Timer) => Promise<void>;

export type SweeperOptions = {
  /** Identifies this process as lease owner. */
  ownerId: string;
  intervalMs: number;
  leaseTtlMs: number;
  batchSize: number;
  /** A timer whose handler failed is tried again after this long. */
  retryDelayMs: number;
};

const LEASE = 'sweeper';

/**
 * Fires due timers. Among processes sharing a Cosmos account one sweeper runs at a time: the holder of
 * a lease document that expires if its owner stops renewing it. Handlers are idempotent; a timer is
 * removed only after its handler succeeded, and only if nobody rescheduled it meanwhile.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<number> | undefined;
  private leaseUntil = 0;

  constructor(
    private readonly timers: TimerStore,
    private readonly clock: Clock,
    private readonly handle: TimerHandler,
    private readonly log: Logger,
    private readonly options: SweeperOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.ticking) void this.tick().catch((err: unknown) => this.log.error({ err }, 'sweeper tick failed'));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking?.catch(() => undefined);
    if (this.leaseUntil > this.clock.now())
      await this.timers.releaseLease(LEASE, this.options.ownerId).catch(() => undefined);
    this.leaseUntil = 0;
  }

  /** True while this process holds the lease (renewing it when half its time is gone). */
  async holdsLease(): Promise<boolean> {
    const now = this.clock.now();
    if (this.leaseUntil - now > this.options.leaseTtlMs / 2) return true;
    const acquired = await this.timers.acquireLease(LEASE, this.options.ownerId, now, this.options.leaseTtlMs);
    this.leaseUntil = acquired ? now + this.options.leaseTtlMs : 0;
    return acquired;
  }

  /** Fires what is due now; returns how many timers fired. */
  tick(): Promise<number> {
    this.ticking ??= this.fireDue().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async fireDue(): Promise<number> {
    if (!(await this.holdsLease())) return 0;
    const due = await this.timers.due(this.clock.now(), this.options.batchSize);
    let fired = 0;
    // Bounded parallelism: one slow handler does not hold up the others.
    const queue = [...due];
    const worker = async () => {
      for (let timer = queue.shift(); timer; timer = queue.shift()) if (await this.fire(timer)) fired++;
    };
    await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
    return fired;
  }

  private async fire(timer: DueTimer): Promise<boolean> {
    try {
      await this.handle(timer);
      await this.timers.complete(timer);
      return true;
    } catch (err) {
      this.log.error({ err, timerId: timer.id }, 'timer handler failed; trying again later');
      await this.timers
        .schedule({
          id: timer.id,
          tenantId: timer.tenantId,
          dueAt: this.clock.now() + this.options.retryDelayMs,
          payload: timer.payload,
        })
        .catch(() => undefined);
      return false;
    }
  }
}
