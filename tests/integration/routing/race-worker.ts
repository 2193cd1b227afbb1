/**
 * One server process of the race test: its own store client and routing services on the shared Cosmos
 * database. It distributes, fires timers (when it holds the lease), and plays every agent at once: it
 * accepts every pending offer it sees and claims Pickup tasks, racing the other process for each.
 * Accepted chats last a few milliseconds, then the agent ends them. Prints its figures as JSON.
 */
import pino from 'pino';
import type { Task } from '../../../bot/src/core/model';
import { queueScope } from '../../../bot/src/store/partition-keys';
import { createRouting, refOf } from '../../../bot/src/services/routing';
import { openStore } from '../../../bot/src/store';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const tenantId = env('RACE_TENANT');
  const serviceId = env('RACE_SERVICE');
  const agents = env('RACE_AGENTS').split(',');
  const deadline = Date.now() + Number(env('RACE_DEADLINE_MS'));
  const store = await openStore({
    kind: 'cosmos',
    endpoint: env('COSMOS_ENDPOINT'),
    key: env('COSMOS_KEY'),
    database: env('COSMOS_DATABASE'),
  });
  const routing = createRouting(store, pino({ level: 'error' }), {
    retryMs: 100,
    intervalMs: 50,
    ownerId: `race-${process.pid}`,
  });
  routing.sweeper.start();
  const queue = queueScope({ kind: 'service', serviceId });
  const figures = {
    accepted: 0,
    claimed: 0,
    refusedAccepts: 0,
    refusedClaims: 0,
    ended: 0,
    errors: 0,
    errorMessages: [] as string[],
  };
  const failed = (err: unknown) => {
    figures.errors++;
    if (figures.errorMessages.length < 5) figures.errorMessages.push(String((err as Error)?.message ?? err));
  };
  const inFlight = new Set<string>();
  const chats = new Set<Promise<void>>();

  const chatThenEnd = (task: Task) => {
    const work = (async () => {
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 15));
      const result = await routing.tasks.end(refOf(task), 'accepted');
      if (result.ok) figures.ended++;
    })().catch(failed);
    chats.add(work);
    void work.finally(() => chats.delete(work));
  };

  const attempt = (key: string, work: () => Promise<void>) => {
    if (inFlight.has(key)) return;
    inFlight.add(key);
    void work()
      .catch(failed)
      .finally(() => inFlight.delete(key));
  };

  let emptySince: number | undefined;
  while (Date.now() < deadline) {
    const live = await store.repos.tasks.query(tenantId, {}, queue);
    if (live.length === 0) {
      emptySince ??= Date.now();
      if (Date.now() - emptySince > 1_000) break;
    } else emptySince = undefined;

    for (const task of live.filter((t) => t.state === 'queued')) {
      for (const offer of task.offers.filter((o) => o.state === 'pending')) {
        attempt(`accept:${offer.id}`, async () => {
          const result = await routing.tasks.accept(refOf(task), offer.id, offer.userId);
          if (result.ok) {
            figures.accepted++;
            chatThenEnd(result.value);
          } else figures.refusedAccepts++;
        });
      }
      if (task.queue?.type === 'pickup') {
        const agent = agents[Math.floor(Math.random() * agents.length)]!;
        attempt(`claim:${task.id}`, async () => {
          const result = await routing.tasks.claim(refOf(task), agent);
          if (result.ok) {
            figures.claimed++;
            chatThenEnd(result.value);
          } else figures.refusedClaims++;
        });
      }
    }
    // Both processes keep distributing the same queue, so their passes overlap.
    void routing.distributor.kick(tenantId, queue);
    await new Promise((r) => setTimeout(r, 5));
  }
  while (chats.size > 0 || inFlight.size > 0) await new Promise((r) => setTimeout(r, 10));
  await routing.stop();
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...figures, store: store.stats.snapshot() })}\n`);
  await store.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
