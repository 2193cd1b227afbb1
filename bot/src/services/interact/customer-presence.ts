import type { Logger } from 'pino';
import { timerIds } from '../../store';
import type { TimerStore } from '../../store/timers';
import type { Clock } from '../routing/clock';

/**
 * Notices website customers who left without ending their chat (closed the tab, lost the network for
 * good): when their last event stream closes, a durable timer is set; a stream opening again within
 * `awayMs` (a reload, a reconnect) removes it; if it fires, the chat ends as "customer left". Changes
 * of one chat are applied in order, so a quick close-and-reopen cannot leave a timer behind.
 */
export class CustomerPresence {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly timers: TimerStore,
    private readonly clock: Clock,
    private readonly awayMs: number,
    private readonly log: Logger,
  ) {}

  changed(tenantId: string, chatId: string, present: boolean): void {
    const id = timerIds.customerAway(tenantId, chatId);
    const apply = () =>
      present
        ? this.timers.cancel(id)
        : this.timers.schedule({
            id,
            tenantId,
            dueAt: this.clock.now() + this.awayMs,
            payload: { kind: 'customer-away', chatId },
          });
    const next = (this.pending.get(id) ?? Promise.resolve())
      .then(apply)
      .catch((err: unknown) =>
        this.log.warn({ err, tenantId, chatId, present }, 'customer presence timer not updated'),
      );
    this.pending.set(id, next);
    void next.finally(() => {
      if (this.pending.get(id) === next) this.pending.delete(id);
    });
  }

  /** Waits for timer writes in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending.values());
  }
}
