import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { TEAMS_CONVERSATION_LIMITS } from '../../../bot/src/core/relay';
import { DeliveryLane, InstanceRegistry } from '../../../bot/src/services/delivery';
import { ManualClock } from '../../../bot/src/services/routing';
import { type Store, openStore } from '../../../bot/src/store';
import type { EmbeddedCosmos } from '../../../bot/src/store/embedded';
import { startTestCosmos } from '../../helpers/store';

/**
 * Three instances on one Cosmos (three clients of one embedded server, one database), their registries
 * renewed by hand on one manual clock: each instance's share of the Teams per-conversation limits.
 */
let cosmos: EmbeddedCosmos;
let stores: Store[] = [];
const log = pino({ level: 'silent' });

beforeAll(async () => {
  cosmos = await startTestCosmos();
});
afterAll(async () => {
  await cosmos.stop();
});
beforeEach(async () => {
  const database = `budget-${randomUUID().slice(0, 8)}`;
  stores = [];
  // One after another: the first creates the database and containers.
  for (let i = 0; i < 3; i++)
    stores.push(await openStore({ kind: 'cosmos', endpoint: cosmos.endpoint, key: cosmos.key, database }));
});
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

const RENEW_MS = 5_000;

function instances(clock: ManualClock, joinGraceMs = 0, renewMs = RENEW_MS) {
  return ['a', 'b', 'c'].map(
    (id, i) => new InstanceRegistry(stores[i]!.instances, clock, log, { id, renewMs, joinGraceMs }),
  );
}

/** The share of the 1 s window, or undefined while the instance holds its sends. */
const perSecond = (r: InstanceRegistry) => r.share(TEAMS_CONVERSATION_LIMITS)()?.[0]!.limit;

describe('the instance registry', () => {
  it('shares 7 → 3 → 2 per second as instances join, and grows back a window after one stops', async () => {
    const clock = new ManualClock(1_000_000);
    const [a, b, c] = instances(clock);
    const round = async (...rs: InstanceRegistry[]) => {
      clock.advance(1_000);
      for (const r of rs) await r.renew();
    };

    // Alone: full limits at once.
    await a!.renew();
    expect(perSecond(a!)).toBe(7);

    // B registers: it holds until A has renewed knowing it; A shrinks as soon as it reads B.
    await b!.renew();
    expect(perSecond(b!)).toBeUndefined();
    expect(perSecond(a!)).toBe(7);
    await round(a!);
    expect(perSecond(a!)).toBe(3);
    await round(b!);
    expect(perSecond(b!)).toBeUndefined(); // A's last renewal was written before it had read B
    await round(a!, b!);
    expect([perSecond(a!), perSecond(b!)]).toEqual([3, 3]);

    // C joins the same way: it waits for both.
    await round(c!);
    expect(perSecond(c!)).toBeUndefined();
    await round(a!, b!);
    expect([perSecond(a!), perSecond(b!)]).toEqual([2, 2]);
    await round(c!);
    expect(perSecond(c!)).toBeUndefined();
    await round(a!, b!, c!);
    expect([perSecond(a!), perSecond(b!), perSecond(c!)]).toEqual([2, 2, 2]);

    // C stops cleanly (holds its sends, removes its document): the others grow back per window.
    await c!.stop();
    expect(perSecond(c!)).toBeUndefined();
    await round(a!, b!);
    expect(a!.liveCount).toBe(2);
    expect(perSecond(a!)).toBe(2); // C left less than a second ago
    clock.advance(1_000);
    expect(
      a!
        .share(TEAMS_CONVERSATION_LIMITS)()!
        .map((w) => w.limit),
    ).toEqual([3, 2, 20, 600]);
    clock.advance(30_000 - 1_000);
    // The 30 s window waited for C's sends to leave it; B lapsed meanwhile (no renewal in 30 s).
    expect(a!.share(TEAMS_CONVERSATION_LIMITS)()).toBeUndefined();
    await a!.renew();
    await b!.renew();
    await a!.renew();
    expect(
      a!
        .share(TEAMS_CONVERSATION_LIMITS)()!
        .map((w) => w.limit),
    ).toEqual([3, 4, 30, 600]);
  });

  it('drops a member that stopped renewing once its document expired', async () => {
    const clock = new ManualClock(1_000_000);
    const [a, b] = instances(clock);
    await a!.renew();
    await b!.renew();
    await a!.renew();
    await a!.renew();
    await b!.renew();
    expect([perSecond(a!), perSecond(b!)]).toEqual([3, 3]);
    // B dies. Before its document expires (3 renewals), A keeps its share; after, it counts itself alone.
    for (let t = 0; t < 2; t++) {
      clock.advance(RENEW_MS);
      await a!.renew();
    }
    expect(a!.liveCount).toBe(2);
    clock.advance(RENEW_MS);
    await a!.renew();
    expect(a!.liveCount).toBe(1);
    expect(perSecond(b!)).toBeUndefined(); // its own lease lapsed: B would hold too
    clock.advance(1_000);
    expect(perSecond(a!)).toBe(7);
  });

  it('makes a newcomer wait the join grace after the others counted it; a lone instance waits for nothing', async () => {
    const clock = new ManualClock(1_000_000);
    const [a, b] = instances(clock, 2_000);
    await a!.renew();
    expect(perSecond(a!)).toBe(7);
    await b!.renew();
    await a!.renew();
    await a!.renew();
    await b!.renew();
    expect(perSecond(b!)).toBeUndefined();
    clock.advance(1_999);
    expect(perSecond(b!)).toBeUndefined();
    clock.advance(1);
    expect(perSecond(b!)).toBe(3);
  });

  it('costs two requests per renewal', async () => {
    const clock = new ManualClock(1_000_000);
    const [a] = instances(clock);
    const before = { ...stores[0]!.stats };
    await a!.renew();
    await a!.renew();
    expect(stores[0]!.stats.writes - before.writes).toBe(2);
    expect(stores[0]!.stats.queries - before.queries).toBe(2);
  });
});

describe('three delivery lanes, one per instance, on their shares', () => {
  it('keep their combined sends to one conversation within 7 per second and 8 per 2 seconds', async () => {
    const clock = new ManualClock(1_000_000);
    // Renewals by hand only, and leases long enough for the virtual minutes the bursts take.
    const [a, b, c] = instances(clock, 0, 3_600_000);
    await a!.renew();
    await b!.renew();
    await a!.renew();
    await a!.renew();
    await b!.renew();
    // C registers; its sends are queued and held until the others have counted it.
    await c!.renew();
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    let held = 0;
    const sent: { at: number; by: string }[] = [];
    const lanes = [a!, b!, c!].map(
      (r) =>
        new DeliveryLane({
          windows: r.share(TEAMS_CONVERSATION_LIMITS),
          retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
          clock,
          // Virtual time: a wait moves the clock; a held lane waits until the test has run the renewals.
          sleep: async (ms) => {
            if (!r.active) {
              held++;
              await settled;
              if (!r.active) throw new Error('still held after the renewals');
            }
            clock.advance(ms);
          },
          random: () => 0.5,
        }),
    );
    // The stand-in endpoint: one conversation, counting every send that reaches it.
    const endpoint = (by: string) => async () => {
      sent.push({ at: clock.now(), by });
    };
    const burst = (i: number) =>
      Array.from({ length: 30 }, () => lanes[i]!.send('conv-1', endpoint(['a', 'b', 'c'][i]!)));
    const cSends = burst(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(held).toBe(1);
    expect(sent).toHaveLength(0);
    await a!.renew();
    await b!.renew();
    await a!.renew();
    await b!.renew();
    await c!.renew();
    expect(c!.active).toBe(true);
    settle();
    const results = await Promise.all([...burst(0), ...burst(1), ...cSends]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sent).toHaveLength(90);
    for (const { limit, windowMs } of TEAMS_CONVERSATION_LIMITS.slice(0, 2)) {
      for (const { at } of sent) {
        const inWindow = sent.filter((s) => s.at > at - windowMs && s.at <= at).length;
        expect(inWindow).toBeLessThanOrEqual(limit);
      }
    }
    lanes.forEach((l) => l.close());
  });
});
