import type { Logger } from 'pino';
import { timerIds } from '../../store';
import type { TimerStore } from '../../store/timers';
import type { Clock } from '../routing/clock';

/**
 * Notices website customers who left without ending their chat (closed the tab, lost the network for
 * good). A chat starts with a durable timer, since no stream is open yet; when the customer's last
 * event stream closes, the timer is set again; a stream opening (a reload, a reconnect) removes it; if
 * it fires, the chat ends as "customer left". A page that says it is going away (the widget's beacon
 * on `pagehide`, sent on close and on reload alike) brings the timer forward to the short leave grace:
 * a reload opens a new stream well within it, a closed tab does not. A later stream close never
 * pushes a sooner timer back. Changes of one chat are applied in order, so a quick close-and-reopen
 * cannot leave a timer behind.
 */
export class CustomerPresence {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly timers: TimerStore,
    private readonly clock: Clock,
    private readonly awayMs: number,
    private readonly log: Logger,
    private readonly leaveGraceMs: number = awayMs,
  ) {}

  /** The customer's first stream of the chat opened (`present`), or their last one closed, or none is open yet. */
  changed(tenantId: string, chatId: string, present: boolean): void {
    this.apply(tenantId, chatId, present ? null : this.awayMs);
  }

  /** The customer's page is going away (closed or reloaded): gone unless a stream opens within the grace. */
  leaving(tenantId: string, chatId: string): void {
    this.apply(tenantId, chatId, this.leaveGraceMs);
  }

  /** `inMs` null: present, no timer; otherwise the chat ends that long from now unless its timer is due sooner. */
  private apply(tenantId: string, chatId: string, inMs: number | null): void {
    const id = timerIds.customerAway(tenantId, chatId);
    const apply = async () => {
      if (inMs === null) return this.timers.cancel(id);
      const dueAt = this.clock.now() + inMs;
      const current = await this.timers.find(id);
      if (current && current.dueAt <= dueAt) return;
      await this.timers.schedule({ id, tenantId, dueAt, payload: { kind: 'customer-away', chatId } });
    };
    const next = (this.pending.get(id) ?? Promise.resolve())
      .then(apply)
      .catch((err: unknown) => this.log.warn({ err, tenantId, chatId, inMs }, 'customer presence timer not updated'));
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
