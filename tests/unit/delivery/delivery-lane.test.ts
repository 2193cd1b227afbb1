import { TEAMS_CONVERSATION_LIMITS, WHATSAPP_SENDER_LIMITS } from '../../../bot/src/core/relay';
import {
  type AttemptFailure,
  DeliveryLane,
  type DeliveryLaneOptions,
  SendFailure,
  type WaitReason,
} from '../../../bot/src/services/delivery';
import { ManualClock } from '../../../bot/src/services/routing';

class Refused extends Error {
  constructor(
    readonly status: number | undefined,
    readonly retryAfterMs?: number,
  ) {
    super(`refused ${status}`);
  }
}

/** Virtual time: every wait moves the clock at once, so limits and backoff are exact and instant. */
function harness(script: Record<string, (number | undefined)[]> = {}, options: Partial<DeliveryLaneOptions> = {}) {
  const clock = new ManualClock(0);
  const sent: { key: string; item: string; at: number }[] = [];
  const attempts: { key: string; item: string; at: number; status: number | undefined | 'ok' }[] = [];
  const waits: number[] = [];
  const send = async (key: string, item: string) => {
    const next = script[item]?.shift();
    if (script[item] && next !== 200) {
      attempts.push({ key, item, at: clock.now(), status: next });
      throw new Refused(next);
    }
    attempts.push({ key, item, at: clock.now(), status: 'ok' });
    sent.push({ key, item, at: clock.now() });
    return `id-${item}`;
  };
  const lane = new DeliveryLane({
    windows: TEAMS_CONVERSATION_LIMITS,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
    random: () => 0.5,
    describe: (err): AttemptFailure =>
      err instanceof Refused
        ? { status: err.status, retryAfterMs: err.retryAfterMs, message: err.message }
        : { status: undefined, message: String(err) },
    ...options,
  });
  // The item-per-send view of the lane these cases were written against.
  const queue = { enqueue: (key: string, item: string) => lane.send(key, () => send(key, item)) };
  return { queue, lane, clock, sent, attempts, waits };
}

describe('the delivery lane, per destination (a Teams conversation)', () => {
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
    expect(await queue.enqueue('conv-1', 'a')).toMatchObject({
      ok: false,
      reason: 'retries-exhausted',
      attempts: 4,
      failure: { status: 500 },
    });
  });

  it('waits at least as long as Retry-After asks', async () => {
    const { queue, waits, attempts } = harness(
      { a: [429, 200] },
      { describe: () => ({ status: 429, retryAfterMs: 5_000, message: 'throttled' }) },
    );
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
    await Promise.all([
      ...Array.from({ length: 9 }, (_, i) => queue.enqueue('busy', `b${i}`)),
      queue.enqueue('quiet', 'q'),
    ]);
    expect(sent.find((s) => s.item === 'q')?.at).toBe(0);
  });

  it('ends waiting items as closed when it stops', async () => {
    const clock = new ManualClock(0);
    const lane = new DeliveryLane({
      windows: [{ limit: 1, windowMs: 60_000 }],
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      clock,
      sleep: (_ms, signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
      random: () => 0.5,
      describe: () => ({ status: undefined, message: 'x' }),
    });
    const queue = {
      enqueue: (key: string, _item: string) => lane.send(key, async () => 'ok'),
      close: () => lane.close(),
    };
    const first = queue.enqueue('c', 'a');
    const second = queue.enqueue('c', 'b');
    expect(await first).toMatchObject({ ok: true });
    queue.close();
    expect(await second).toMatchObject({ ok: false, reason: 'closed' });
    expect(await queue.enqueue('c', 'late')).toMatchObject({ ok: false, reason: 'closed' });
  });
});

/** A lane shaped like WhatsApp's: no limit per chat, the sender's rate shared by its chats. */
function senderLane() {
  const clock = new ManualClock(0);
  const sent: { chat: string; text: string; at: number }[] = [];
  const waits: { ms: number; why: WaitReason }[] = [];
  const lane = new DeliveryLane({
    windows: [],
    groupWindows: WHATSAPP_SENDER_LIMITS,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    clock,
    sleep: async (ms, _signal, why) => {
      waits.push({ ms, why });
      clock.advance(ms);
    },
    random: () => 0.5,
  });
  const send = (chat: string, text: string, group: string) =>
    lane.send(
      chat,
      async () => {
        sent.push({ chat, text, at: clock.now() });
        return text;
      },
      { group },
    );
  return { lane, clock, sent, waits, send };
}

describe('the delivery lane, with a limit shared by destinations (a WhatsApp sender)', () => {
  it('keeps one sender within 10 messages per second over all its chats, each chat in order', async () => {
    const { sent, send } = senderLane();
    await Promise.all(
      ['chat-1', 'chat-2', 'chat-3'].flatMap((chat) =>
        Array.from({ length: 8 }, (_, i) => send(chat, `${chat} ${i}`, 'sender-a')),
      ),
    );
    const times = sent.map((s) => s.at);
    for (const t of times) expect(times.filter((u) => u > t - 1_000 && u <= t).length).toBeLessThanOrEqual(10);
    for (const chat of ['chat-1', 'chat-2', 'chat-3']) {
      expect(sent.filter((s) => s.chat === chat).map((s) => s.text)).toEqual(
        Array.from({ length: 8 }, (_, i) => `${chat} ${i}`),
      );
    }
    expect(Math.max(...times)).toBeGreaterThanOrEqual(2_000);
  });

  it('does not hold up another sender’s chats', async () => {
    const { sent, send } = senderLane();
    await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => send('busy', `b${i}`, 'sender-a')),
      send('other', 'o', 'sender-b'),
    ]);
    expect(sent.find((s) => s.text === 'o')?.at).toBe(0);
  });
});

describe('a turn of the delivery lane', () => {
  it('keeps what a turn does between its sends in order: the next turn of that destination starts after it', async () => {
    const { lane } = senderLane();
    const log: string[] = [];
    const first = lane.run('chat', async (turn) => {
      log.push('1 read');
      await turn.send(async () => log.push('1 part a'));
      await new Promise((resolve) => setImmediate(resolve));
      log.push('1 recorded');
      await turn.send(async () => log.push('1 part b'));
      return 'first done';
    });
    const second = lane.run('chat', async (turn) => {
      log.push('2 read');
      await turn.send(async () => log.push('2 part a'));
      return 'second done';
    });
    expect(await Promise.all([first, second])).toEqual(['first done', 'second done']);
    expect(log).toEqual(['1 read', '1 part a', '1 recorded', '1 part b', '2 read', '2 part a']);
  });

  it('a turn that throws rejects its own promise only; the destination goes on', async () => {
    const { lane } = senderLane();
    const broken = lane.run('chat', async () => {
      throw new Error('store down');
    });
    const next = lane.send('chat', async () => 'sent');
    await expect(broken).rejects.toThrow('store down');
    expect(await next).toMatchObject({ ok: true, value: 'sent' });
    await lane.idle();
    expect(lane.pending).toBe(0);
  });
});

describe('retries in the delivery lane', () => {
  it('says why it waits: for a window, or a backoff after a failure', async () => {
    const { lane, waits, clock } = senderLane();
    let calls = 0;
    const result = await lane.send(
      'chat',
      async () => {
        if (++calls === 1) throw new SendFailure({ status: 503, message: 'unavailable' });
        return 'ok';
      },
      { group: 'sender-a' },
    );
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(waits).toEqual([{ ms: 50, why: 'backoff' }]);
    expect(clock.now()).toBe(50);
  });

  it('takes a failure the attempt knows to be final as a refusal, without a retry', async () => {
    const { lane } = senderLane();
    let calls = 0;
    const result = await lane.send('chat', async () => {
      calls++;
      throw new SendFailure({ status: undefined, message: 'nothing to update', final: true });
    });
    expect(result).toMatchObject({ ok: false, reason: 'refused', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('retries an error that says nothing about itself as a network failure', async () => {
    const { lane } = senderLane();
    const result = await lane.send('chat', async () => {
      throw new Error('socket hang up');
    });
    expect(result).toMatchObject({
      ok: false,
      reason: 'retries-exhausted',
      attempts: 3,
      failure: { status: undefined, message: 'socket hang up' },
    });
  });
});
