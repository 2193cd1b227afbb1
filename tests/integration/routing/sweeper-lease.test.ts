import pino from 'pino';
import { ManualClock } from '../../../bot/src/services/routing';
import { Sweeper } from '../../../bot/src/services/routing/sweeper';
import { type Store, type Timer, serviceQueueScope } from '../../../bot/src/store';
import { openForAll } from '../../helpers/hooks';
import { openTestStore } from '../../helpers/store';

let store: Store;
openForAll(async () => (store = await openTestStore()));

const options = { intervalMs: 1_000, leaseTtlMs: 10_000, batchSize: 10, retryDelayMs: 5_000 };
const sweeperOf = (clock: ManualClock, ownerId: string, handler: (t: Timer) => Promise<void>) =>
  new Sweeper(store.timers, clock, handler, pino({ level: 'silent' }), { ...options, ownerId });

/** A timer of tenant x, due now. */
const scheduleDue = (clock: ManualClock, id: string, payload: Timer['payload'] = { kind: 'rona-reset', userId: 'u' }) =>
  store.timers.schedule({ id, tenantId: 'x', dueAt: clock.now(), payload });

describe('one sweeper at a time', () => {
  it('fires each due timer once, in the process that holds the lease; another takes over when it dies', async () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const sweeper = (owner: string) => sweeperOf(clock, owner, async (t) => void fired.push(`${owner}:${t.id}`));
    const a = sweeper('a');
    const b = sweeper('b');
    await scheduleDue(clock, 't1');

    expect(await Promise.all([a.tick(), b.tick()])).toEqual(expect.arrayContaining([0]));
    expect(fired).toHaveLength(1);
    const holder = fired[0]!.split(':')[0]!;
    const other = holder === 'a' ? b : a;
    const holding = holder === 'a' ? a : b;

    // The holder keeps the lease while it renews; the other fires nothing.
    await scheduleDue(clock, 't2');
    clock.advance(6_000);
    expect(await other.tick()).toBe(0);
    expect(await holding.tick()).toBe(1);

    // The holder dies (stops renewing); after the lease time the other takes over.
    await scheduleDue(clock, 't3');
    clock.advance(10_001);
    expect(await other.tick()).toBe(1);
    expect(fired.map((f) => f.split(':')[1])).toEqual(['t1', 't2', 't3']);
    expect(fired[2]!.startsWith(holder)).toBe(false);
  });

  it('keeps a timer whose handler failed and tries it again later', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const s = sweeperOf(clock, 'retry-owner', async () => {
      attempts++;
      if (attempts === 1) throw new Error('store hiccup');
    });
    await store.timers.releaseLease('sweeper', 'a');
    await store.timers.releaseLease('sweeper', 'b');
    clock.advance(60_000);
    await scheduleDue(clock, 'flaky', { kind: 'distribute', queue: serviceQueueScope('s') });
    expect(await s.tick()).toBe(0);
    expect(await store.timers.find('flaky')).toMatchObject({ dueAt: clock.now() + 5_000 });
    clock.advance(5_000);
    expect(await s.tick()).toBe(1);
    expect(await store.timers.find('flaky')).toBeUndefined();
    await s.stop();
  });

  it('does not remove a timer that was rescheduled while it fired', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const s = sweeperOf(clock, 'resched-owner', async (t) => {
      // The handler itself moves the timer (as "schedule again" would from another actor).
      await store.timers.schedule({
        id: t.id,
        tenantId: t.tenantId,
        dueAt: clock.now() + 60_000,
        payload: t.payload,
      });
    });
    await scheduleDue(clock, 'moved', { kind: 'distribute', queue: serviceQueueScope('s') });
    await s.tick();
    expect(await store.timers.find('moved')).toMatchObject({ dueAt: clock.now() + 60_000 });
    await s.stop();
  });
});
