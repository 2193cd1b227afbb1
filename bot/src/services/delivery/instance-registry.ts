import { MAX_SHARED_INSTANCES, type RateWindow, joinSettled, shareWindows, windowCount } from '../../core/relay';
import type { Logger } from 'pino';
import type { InstanceStore } from '../../store/instances';
import type { Clock } from '../routing/clock';

export type InstanceRegistryOptions = {
  /** This instance's id (a random one by default). */
  id: string;
  /** How often this instance renews its document and reads the others (5 s by default). */
  renewMs?: number;
  /**
   * How long a newcomer waits after the others have counted it (30 s by default: the longest window
   * kept exactly, see core/relay/budget-share.ts). Not applied to a lone instance.
   */
  joinGraceMs?: number;
  /** How long a departed member is remembered: the longest window it may still count in (1 h by default). */
  forgetAfterMs?: number;
};

/** A window source for the delivery lane: the share now, or undefined while this instance must hold its sends. */
export type WindowSource = () => readonly RateWindow[] | undefined;

/**
 * The live server instances on one Cosmos, for the budget share of per-conversation rate limits (the
 * rules and why they hold are in core/relay/budget-share.ts). Every `renewMs` an instance upserts its
 * own document (expiring after 3 renewals) and reads the live ones: 2 requests per renewal per
 * instance, nothing per message. On a clean stop it holds its sends, then deletes its document.
 */
export class InstanceRegistry {
  readonly id: string;
  private readonly renewMs: number;
  private readonly ttlMs: number;
  private readonly joinGraceMs: number;
  private readonly forgetAfterMs: number;
  private readonly startedAt: number;
  /** The other members seen, and when this instance last saw a departed one alive (undefined: live). */
  private readonly members = new Map<string, { leftAt: number | undefined }>();
  /** When the current membership began (the first upsert, or the one after this instance's lease lapsed). */
  private joinedAt: number | undefined;
  /** From when this instance may send with its share. */
  private activeAt: number | undefined;
  /** Until when this instance's own document is live for the others. */
  private expiresAt = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  private warnedAt = 0;
  private readonly departureListeners = new Set<() => void>();

  constructor(
    private readonly store: InstanceStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: InstanceRegistryOptions,
  ) {
    this.id = options.id;
    this.renewMs = options.renewMs ?? 5_000;
    this.ttlMs = 3 * this.renewMs;
    this.joinGraceMs = options.joinGraceMs ?? 30_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 3_600_000;
    this.startedAt = clock.now();
  }

  /** Registers (one renewal, awaited), then renews every `renewMs` until stopped. */
  async start(): Promise<void> {
    await this.renewSafely();
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.renewSafely().then(loop), this.renewMs);
      this.timer.unref();
    };
    loop();
  }

  /** Holds this instance's sends, waits for a renewal in flight and removes its document. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.renewing;
    try {
      await this.store.remove(this.id);
    } catch (err) {
      this.log.warn({ err }, 'removing the instance document failed; it expires by itself');
    }
  }

  /** Live members this instance knows, itself included. */
  get liveCount(): number {
    let n = 1;
    for (const m of this.members.values()) if (m.leftAt === undefined) n++;
    return n;
  }

  /** Whether `id` is this instance or a member seen live at the last renewal. */
  isLive(id: string): boolean {
    return id === this.id || (this.members.get(id)?.leftAt === undefined && this.members.has(id));
  }

  /** Calls `listener` after a renewal that found a member gone (stopped, or its document expired). */
  onDeparture(listener: () => void): () => void {
    this.departureListeners.add(listener);
    return () => this.departureListeners.delete(listener);
  }

  /** Whether this instance may send now (registered, counted by the others, lease not lapsed). */
  get active(): boolean {
    const now = this.clock.now();
    return !this.stopped && this.activeAt !== undefined && now >= this.activeAt && now < this.expiresAt;
  }

  /** This instance's share of `windows`, for the delivery lane; undefined while it must hold its sends. */
  share(windows: readonly RateWindow[]): WindowSource {
    return () => {
      if (!this.active) return undefined;
      const now = this.clock.now();
      return shareWindows(windows, (w) => windowCount(this.members.values(), w.windowMs, now));
    };
  }

  /** One renewal: upsert this instance's document, then read the live members (2 requests). */
  async renew(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    // First registration, or this instance's document lapsed (the others may have dropped it): join anew.
    if (this.joinedAt === undefined || now >= this.expiresAt) {
      this.joinedAt = now;
      this.activeAt = undefined;
    }
    const knows = [this.id, ...[...this.members].filter(([, m]) => m.leftAt === undefined).map(([id]) => id)];
    await this.store.upsert({
      id: this.id,
      startedAt: this.startedAt,
      renewedAt: now,
      expiresAt: now + this.ttlMs,
      knows,
    });
    this.expiresAt = now + this.ttlMs;
    const live = await this.store.live(this.clock.now());
    if (this.stopped) return;
    const at = this.clock.now();
    const others = live.filter((m) => m.id !== this.id);
    const liveIds = new Set(others.map((m) => m.id));
    let departed = false;
    for (const [id, m] of this.members) {
      if (!liveIds.has(id) && m.leftAt === undefined) {
        m.leftAt = at;
        departed = true;
      }
      if (m.leftAt !== undefined && m.leftAt <= at - this.forgetAfterMs) this.members.delete(id);
    }
    for (const id of liveIds) this.members.set(id, { leftAt: undefined });
    if (departed)
      for (const listener of [...this.departureListeners]) {
        try {
          listener();
        } catch (err) {
          this.log.warn({ err }, 'a follower of departed instances failed');
        }
      }
    if (this.activeAt === undefined && joinSettled(this.id, this.joinedAt, others))
      this.activeAt = others.length === 0 ? at : at + this.joinGraceMs;
    const n = this.liveCount;
    if (n > MAX_SHARED_INSTANCES && at - this.warnedAt >= 60_000) {
      this.warnedAt = at;
      this.log.warn(
        { instances: n, max: MAX_SHARED_INSTANCES },
        'more live instances than the rate-limit budget share guarantees; each keeps 1 send per window',
      );
    }
  }

  private async renewSafely(): Promise<void> {
    this.renewing = this.renew().catch((err: unknown) => {
      this.log.warn({ err }, 'renewing the instance registration failed');
    });
    await this.renewing;
  }
}
