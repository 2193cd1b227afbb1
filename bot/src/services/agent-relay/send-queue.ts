import {
  DEFAULT_RETRY_POLICY,
  type FailureKind,
  type RateWindow,
  type RetryPolicy,
  failureKind,
  pruneSendTimes,
  rateLimitDelay,
  retryDelayMs,
} from '../../core/relay';
import type { Clock } from '../routing/clock';

/** What the queue needs to know about a failed attempt. */
export type AttemptFailure = { status: number | undefined; retryAfterMs?: number; message: string };

export type SendResult<R> =
  | { ok: true; value: R; attempts: number }
  | { ok: false; failure: AttemptFailure; attempts: number; reason: 'refused' | 'retries-exhausted' | 'closed' };

export type SendQueueOptions = {
  windows: readonly RateWindow[];
  retry: RetryPolicy;
  clock: Clock;
  /** Waits; tests pass a fake. Must settle when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  /** Turns whatever `send` threw into a status and Retry-After. */
  describe: (err: unknown) => AttemptFailure;
  classify: (failure: AttemptFailure) => FailureKind;
};

type Entry<I, R> = { item: I; resolve: (result: SendResult<R>) => void };
type Lane<I, R> = { entries: Entry<I, R>[]; running: boolean; sentAt: number[] };

/** A sleep that ends early when the queue closes, so no timer outlives it. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * One ordered lane per key (a conversation): items go out one at a time in the order they were
 * enqueued, each send waits until it fits the rate windows, and a failed send is retried with backoff
 * and jitter while the failure is worth retrying. Every item ends with a result; nothing is dropped
 * without one. Lanes live in this process only.
 */
export class SendQueue<I, R> {
  private readonly lanes = new Map<string, Lane<I, R>>();
  private readonly closing = new AbortController();
  private readonly idleWaiters: (() => void)[] = [];
  private lastSweep = 0;

  constructor(
    private readonly send: (key: string, item: I) => Promise<R>,
    private readonly options: SendQueueOptions,
  ) {}

  enqueue(key: string, item: I): Promise<SendResult<R>> {
    return new Promise((resolve) => {
      if (this.closing.signal.aborted) return resolve({ ok: false, failure: { status: undefined, message: 'the send queue is closed' }, attempts: 0, reason: 'closed' });
      this.sweep();
      const lane = this.lanes.get(key) ?? { entries: [], running: false, sentAt: [] };
      this.lanes.set(key, lane);
      lane.entries.push({ item, resolve });
      if (!lane.running) void this.run(key, lane);
    });
  }

  /** Items waiting or in flight, over all lanes. */
  get pending(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.entries.length;
    return n;
  }

  /** Resolves when every lane is empty. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops: waiting items end as `closed`, and no timer keeps running. */
  close(): void {
    this.closing.abort();
  }

  private async run(key: string, lane: Lane<I, R>): Promise<void> {
    lane.running = true;
    try {
      for (let entry = lane.entries[0]; entry; entry = lane.entries[0]) {
        entry.resolve(await this.deliver(key, lane, entry.item));
        lane.entries.shift();
      }
    } finally {
      lane.running = false;
      if (this.pending === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    }
  }

  /** A quiet lane keeps its send times while they count against a window; after that it goes. */
  private sweep(): void {
    const now = this.options.clock.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, lane] of this.lanes) {
      if (!lane.running && lane.entries.length === 0 && pruneSendTimes(lane.sentAt, this.options.windows, now).length === 0) this.lanes.delete(key);
    }
  }

  private async deliver(key: string, lane: Lane<I, R>, item: I): Promise<SendResult<R>> {
    const { clock, windows, retry, sleep, signal } = { ...this.options, signal: this.closing.signal };
    let last: AttemptFailure = { status: undefined, message: 'not attempted' };
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      // Wait for room in every window; retries count against the limits like first sends.
      for (let wait = rateLimitDelay(lane.sentAt, windows, clock.now()); wait > 0; wait = rateLimitDelay(lane.sentAt, windows, clock.now())) {
        if (signal.aborted) return { ok: false, failure: last, attempts: attempt - 1, reason: 'closed' };
        await sleep(wait, signal);
      }
      if (signal.aborted) return { ok: false, failure: last, attempts: attempt - 1, reason: 'closed' };
      lane.sentAt = [...pruneSendTimes(lane.sentAt, windows, clock.now()), clock.now()];
      try {
        return { ok: true, value: await this.send(key, item), attempts: attempt };
      } catch (err) {
        last = this.options.describe(err);
        if (this.options.classify(last) === 'give-up') return { ok: false, failure: last, attempts: attempt, reason: 'refused' };
        if (attempt < retry.maxAttempts) await sleep(retryDelayMs(attempt, retry, this.options.random(), last.retryAfterMs), signal);
      }
    }
    return { ok: false, failure: last, attempts: retry.maxAttempts, reason: signal.aborted ? 'closed' : 'retries-exhausted' };
  }
}

/** The defaults for Teams: its per-conversation limits, six attempts, the status-based retry rule. */
export const defaultSendQueueOptions = (clock: Clock, windows: readonly RateWindow[]): Omit<SendQueueOptions, 'describe'> => ({
  windows,
  retry: DEFAULT_RETRY_POLICY,
  clock,
  sleep: abortableSleep,
  random: Math.random,
  classify: (failure) => failureKind(failure.status),
});
