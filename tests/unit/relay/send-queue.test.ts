import { TEAMS_CONVERSATION_LIMITS, failureKind } from '../../../bot/src/core/relay';
import { type AttemptFailure, SendQueue, type SendQueueOptions } from '../../../bot/src/services/agent-relay';
import { ManualClock } from '../../../bot/src/services/routing';

class Refused extends Error {
  constructor(readonly status: number | undefined, readonly retryAfterMs?: number) {
    super(`refused ${status}`);
  }
}

/** Virtual time: every wait moves the clock at once, so limits and backoff are exact and instant. */
function harness(script: Record<string, (number | undefined)[]> = {}, options: Partial<SendQueueOptions> = {}) {
  const clock = new ManualClock(0);
  const sent: { key: string; item: string; at: number }[] = [];
  const attempts: { key: string; item: string; at: number; status: number | undefined | 'ok' }[] = [];
  const waits: number[] = [];
  const queue = new SendQueue<string, string>(
    async (key, item) => {
      const next = script[item]?.shift();
      if (script[item] && next !== 200) {
        attempts.push({ key, item, at: clock.now(), status: next });
        throw new Refused(next);
      }
      attempts.push({ key, item, at: clock.now(), status: 'ok' });
      sent.push({ key, item, at: clock.now() });
      return `id-${item}`;
    },
    {
      windows: TEAMS_CONVERSATION_LIMITS,
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
      clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
      random: () => 0.5,
      describe: (err): AttemptFailure => (err instanceof Refused ? { status: err.status, retryAfterMs: err.retryAfterMs, message: err.message } : { status: undefined, message: String(err) }),
      classify: (f) => failureKind(f.status),
      ...options,
    },
  );
  return { queue, clock, sent, attempts, waits };
}

describe('the per-conversation send queue', () => {
  it('sends in order, one at a time, and answers each item with its result', async () => {
    const { queue, sent } = harness();
    const results = await Promise.all(['a', 'b', 'c'].map((i) => queue.enqueue('conv-1', i)));
    expect(results).toEqual(['a', 'b', 'c'].map((i) => ({ ok: true, value: `id-${i}`, attempts: 1 })));
    expect(sent.map((s) => s.item)).toEqual(['a', 'b', 'c']);
  });

  it('retries a 429 and a 5xx and still keeps the order of everything behind it', async () => {
    const { queue, sent, attempts } = harness({ a: [429, 503, 200] });
    const results = await Promise.all(['a', 'b'].map((i) => queue.enqueue('conv-1', i)));
    expect(results.map((r) => r.ok && r.attempts)).toEqual([3, 1]);
    expect(sent.map((s) => s.item)).toEqual(['a', 'b']);
    expect(attempts.map((a) => a.status)).toEqual([429, 503, 'ok', 'ok']);
  });

  it('gives up at once on a refusal that will not change, and moves on', async () => {
    const { queue, sent } = harness({ a: [403] });
    const [a, b] = await Promise.all(['a', 'b'].map((i) => queue.enqueue('conv-1', i)));
    expect(a).toMatchObject({ ok: false, reason: 'refused', attempts: 1, failure: { status: 403 } });
    expect(b).toMatchObject({ ok: true });
    expect(sent.map((s) => s.item)).toEqual(['b']);
  });

  it('ends an item after its last attempt with the last failure', async () => {
    const { queue } = harness({ a: [500, 500, 500, 500] });
    expect(await queue.enqueue('conv-1', 'a')).toMatchObject({ ok: false, reason: 'retries-exhausted', attempts: 4, failure: { status: 500 } });
  });

  it('waits at least as long as Retry-After asks', async () => {
    const { queue, waits, attempts } = harness({ a: [429, 200] }, { describe: () => ({ status: 429, retryAfterMs: 5_000, message: 'throttled' }) });
    expect(await queue.enqueue('conv-1', 'a')).toMatchObject({ ok: true, attempts: 2 });
    expect(waits).toContain(5_000);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(5_000);
  });

  it('stays within 7 sends per second and 60 per 30 seconds in one conversation', async () => {
    const { queue, sent } = harness();
    await Promise.all(Array.from({ length: 70 }, (_, i) => queue.enqueue('conv-1', `m${i}`)));
    const times = sent.map((s) => s.at);
    for (const t of times) {
      expect(times.filter((u) => u > t - 1_000 && u <= t).length).toBeLessThanOrEqual(7);
      expect(times.filter((u) => u > t - 2_000 && u <= t).length).toBeLessThanOrEqual(8);
      expect(times.filter((u) => u > t - 30_000 && u <= t).length).toBeLessThanOrEqual(60);
    }
    expect(sent.map((s) => s.item)).toEqual(Array.from({ length: 70 }, (_, i) => `m${i}`));
  });

  it('keeps conversations apart: one conversation’s limit does not hold up another', async () => {
    const { queue, sent } = harness();
    await Promise.all([...Array.from({ length: 9 }, (_, i) => queue.enqueue('busy', `b${i}`)), queue.enqueue('quiet', 'q')]);
    expect(sent.find((s) => s.item === 'q')?.at).toBe(0);
  });

  it('ends waiting items as closed when it stops', async () => {
    const clock = new ManualClock(0);
    const queue = new SendQueue<string, string>(async () => 'ok', {
      windows: [{ limit: 1, windowMs: 60_000 }],
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      clock,
      sleep: (ms, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
      random: () => 0.5,
      describe: () => ({ status: undefined, message: 'x' }),
      classify: () => 'retry',
    });
    const first = queue.enqueue('c', 'a');
    const second = queue.enqueue('c', 'b');
    expect(await first).toMatchObject({ ok: true });
    queue.close();
    expect(await second).toMatchObject({ ok: false, reason: 'closed' });
    expect(await queue.enqueue('c', 'late')).toMatchObject({ ok: false, reason: 'closed' });
  });
});
