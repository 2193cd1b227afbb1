import {
  type AttemptFailure,
  DEFAULT_RETRY_POLICY,
  type RateWindow,
  type RetryPolicy,
  pruneSendTimes,
  rateLimitDelay,
  retryDelayMs,
  retryRule,
} from '../../core/relay';
import type { Clock } from '../routing/clock';

/** Why the lane waits: for room in a rate window, or before the next attempt of a failed send. */
export type WaitReason = 'window' | 'backoff';

/** Waits; tests pass a fake. Must settle when `signal` aborts. */
export type LaneSleep = (ms: number, signal: AbortSignal, why: WaitReason) => Promise<void>;

/** How a lane waits and draws its jitter: the system's by default, a test's own in tests. */
export type DeliveryTiming = { sleep: LaneSleep; random: () => number };

/**
 * A destination's limits: fixed, or read at every check (an instance's budget share, which changes as
 * instances join and leave). A source answering undefined holds every send until it answers limits.
 */
export type LaneWindows = readonly RateWindow[] | (() => readonly RateWindow[] | undefined);

/** How often a held lane asks its window source again. */
const HOLD_POLL_MS = 250;

export type DeliveryLaneOptions = {
  /** Limits of one destination (what its sends are ordered by: a Teams conversation, a WhatsApp chat). */
  windows: LaneWindows;
  /** Limits of a group several destinations share, named by each send (a WhatsApp sender's chats). */
  groupWindows?: readonly RateWindow[];
  retry: RetryPolicy;
  clock: Clock;
  sleep: LaneSleep;
  random: () => number;
  /** Turns whatever an attempt threw into a status and Retry-After; the retry decision is the core's. */
  describe?: (err: unknown) => AttemptFailure;
};

export type SendResult<R> =
  | { ok: true; value: R; attempts: number }
  | { ok: false; failure: AttemptFailure; attempts: number; reason: 'refused' | 'retries-exhausted' | 'closed' };

/** One destination's turn: its sends go out one after another, nothing else of that destination between them. */
export type Turn = {
  /** Waits for room in the windows (the destination's, and the group's when named), sends, retries. */
  send<R>(attempt: () => Promise<R>, options?: { group?: string }): Promise<SendResult<R>>;
};

/** A failed attempt that already knows what it means; any other error counts as a network failure. */
export class SendFailure extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.message);
    this.name = 'SendFailure';
  }
}

export const describeError = (err: unknown): AttemptFailure =>
  err instanceof SendFailure
    ? err.failure
    : { status: undefined, message: err instanceof Error ? err.message : String(err) };

/** A sleep that ends early when the lane closes, so no timer outlives it. */
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

export const systemTiming: DeliveryTiming = { sleep: abortableSleep, random: Math.random };

/** The defaults: six attempts, the system's timers and randomness. */
export const defaultLaneOptions = (clock: Clock, windows: LaneWindows): DeliveryLaneOptions => ({
  windows,
  retry: DEFAULT_RETRY_POLICY,
  clock,
  ...systemTiming,
});

type Destination = { turns: (() => Promise<void>)[]; running: boolean; sentAt: number[] };

const CLOSED: AttemptFailure = { status: undefined, message: 'the delivery lane is closed' };

/**
 * Ordered, rate-windowed, retried delivery per destination, for every channel: the turns of one
 * destination run one at a time in the order they were queued, each send waits until it fits the rate
 * windows (retries count like first sends), and a failed send is retried with the one backoff while
 * the core's retry rule says it is worth it. Every send ends with a result; nothing is dropped without
 * one. Destinations run in parallel; queues and send times live in this process only (several
 * instances stay within a destination's limits together through their budget share, see
 * core/relay/budget-share.ts).
 */
export class DeliveryLane {
  private readonly destinations = new Map<string, Destination>();
  private readonly groups = new Map<string, number[]>();
  private readonly closing = new AbortController();
  private readonly idleWaiters: (() => void)[] = [];
  private lastSweep = 0;

  constructor(private readonly options: DeliveryLaneOptions) {}

  /** Queues one send behind everything queued for `destination`. */
  send<R>(destination: string, attempt: () => Promise<R>, options?: { group?: string }): Promise<SendResult<R>> {
    if (this.closing.signal.aborted)
      return Promise.resolve({ ok: false, failure: CLOSED, attempts: 0, reason: 'closed' });
    return this.run(destination, (turn) => turn.send(attempt, options));
  }

  /**
   * Queues a turn: `work` runs after everything queued for `destination` before it, and nothing queued
   * after it starts before `work` ends, so what it does between its sends (reading, recording) keeps
   * the order too. Its promise settles as `work` does.
   */
  run<T>(destination: string, work: (turn: Turn) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.sweep();
      const state = this.destinations.get(destination) ?? { turns: [], running: false, sentAt: [] };
      this.destinations.set(destination, state);
      const turn: Turn = { send: (attempt, options) => this.attempt(state, attempt, options?.group) };
      state.turns.push(async () => {
        try {
          resolve(await work(turn));
        } catch (err) {
          reject(err);
        }
      });
      if (!state.running) void this.drain(state);
    });
  }

  /** Turns waiting or running, over all destinations. */
  get pending(): number {
    let n = 0;
    for (const state of this.destinations.values()) n += state.turns.length;
    return n;
  }

  /** Resolves when every destination is done. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops: sends not yet made end as `closed`, and no timer keeps running. */
  close(): void {
    this.closing.abort();
  }

  private async drain(state: Destination): Promise<void> {
    state.running = true;
    try {
      for (let turn = state.turns[0]; turn; turn = state.turns[0]) {
        await turn();
        state.turns.shift();
      }
    } finally {
      state.running = false;
      if (this.pending === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
    }
  }

  /** The destination's windows now; undefined while the source holds sends. */
  private windows(): readonly RateWindow[] | undefined {
    const { windows } = this.options;
    return typeof windows === 'function' ? windows() : windows;
  }

  /** A quiet destination or group keeps its send times while they count against a window; after that it goes. */
  private sweep(): void {
    const { clock, groupWindows = [] } = this.options;
    const windows = this.windows();
    const now = clock.now();
    if (windows === undefined || now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, state] of this.destinations) {
      if (!state.running && state.turns.length === 0 && pruneSendTimes(state.sentAt, windows, now).length === 0)
        this.destinations.delete(key);
    }
    for (const [key, sentAt] of this.groups) {
      if (pruneSendTimes(sentAt, groupWindows, now).length === 0) this.groups.delete(key);
    }
  }

  private roomIn(state: Destination, group: string | undefined, now: number): number {
    const { groupWindows = [] } = this.options;
    const windows = this.windows();
    if (windows === undefined) return HOLD_POLL_MS;
    const own = rateLimitDelay(state.sentAt, windows, now);
    return group === undefined ? own : Math.max(own, rateLimitDelay(this.groups.get(group) ?? [], groupWindows, now));
  }

  private async attempt<R>(
    state: Destination,
    attempt: () => Promise<R>,
    group: string | undefined,
  ): Promise<SendResult<R>> {
    const { clock, groupWindows = [], retry, sleep, random, describe = describeError } = this.options;
    const signal = this.closing.signal;
    let last: AttemptFailure = { status: undefined, message: 'not attempted' };
    for (let n = 1; n <= retry.maxAttempts; n++) {
      for (let wait = this.roomIn(state, group, clock.now()); wait > 0; wait = this.roomIn(state, group, clock.now())) {
        if (signal.aborted) return { ok: false, failure: last, attempts: n - 1, reason: 'closed' };
        await sleep(wait, signal, 'window');
      }
      if (signal.aborted) return { ok: false, failure: last, attempts: n - 1, reason: 'closed' };
      // Counted before the await: a send of another destination in the same group sees it at once.
      const now = clock.now();
      // Pruned by the windows that let this send through (a window source keeps its lengths).
      const windows = this.windows();
      state.sentAt = [...(windows ? pruneSendTimes(state.sentAt, windows, now) : state.sentAt), now];
      if (group !== undefined)
        this.groups.set(group, [...pruneSendTimes(this.groups.get(group) ?? [], groupWindows, now), now]);
      try {
        return { ok: true, value: await attempt(), attempts: n };
      } catch (err) {
        last = describe(err);
        if (retryRule(last) === 'give-up') return { ok: false, failure: last, attempts: n, reason: 'refused' };
        if (n < retry.maxAttempts) await sleep(retryDelayMs(n, retry, random(), last.retryAfterMs), signal, 'backoff');
      }
    }
    return {
      ok: false,
      failure: last,
      attempts: retry.maxAttempts,
      reason: signal.aborted ? 'closed' : 'retries-exhausted',
    };
  }
}
