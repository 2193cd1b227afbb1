import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { AGENTS_SCOPE, userScope } from '../../../bot/src/store/partition-keys';
import { createRouting } from '../../../bot/src/services/routing';
import { openStore } from '../../../bot/src/store';
import { createWorld } from '../../helpers/routing';

const SEC = 1000;

describe('a restart with offers and timers pending', () => {
  it('loses nothing: every timer fires after the process comes back', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-restart-'));
    const open = () => openStore({ kind: 'embedded', database: 'cc', dataDir, saveIntervalMs: 0 });

    // Before the restart: two agents with one chat each; A and B are offered, C waits with a 120 s limit.
    const first = await open();
    const w = await createWorld(first, {
      agents: 2,
      maxChats: 1,
      service: {
        distribution: {
          maxConcurrentChatsPerUser: 1,
          selectableWhenBusy: false,
          selectableWhenAway: false,
          ronaResetSeconds: 60,
          persistentRona: false,
        },
      },
    });
    const a = await w.queueTask({ ringTimeoutSeconds: 30 });
    w.clock.advance(1);
    const b = await w.queueTask({ ringTimeoutSeconds: 30 });
    w.clock.advance(1);
    const c = await w.queueTask({ ringTimeoutSeconds: 30, maxQueueSeconds: 120 });
    expect((await w.pendingOffers(a)).map((o) => o.userId)).toEqual(['agent-1']);
    expect((await w.pendingOffers(b)).map((o) => o.userId)).toEqual(['agent-2']);
    expect(await w.pendingOffers(c)).toEqual([]);
    const clock = w.clock;
    await w.close();
    await first.close();

    // After: a new store restored from disk, new routing services, the same (manual) time line.
    const second = await open();
    const routing = createRouting(
      second,
      pino({ level: 'silent' }),
      { retryMs: 1_000, ownerId: 'after-restart' },
      clock,
    );
    const advance = async (ms: number) => {
      clock.advance(ms);
      for (let i = 0; i < 3; i++) {
        await routing.sweeper.tick();
        await routing.idle();
      }
    };
    try {
      const pending = async (ref: typeof a) =>
        ((await routing.tasks.get(ref))?.offers ?? []).filter((o) => o.state === 'pending').map((o) => o.userId);
      expect(await pending(a)).toEqual(['agent-1']);
      expect(await pending(b)).toEqual(['agent-2']);

      // Ring timeouts fire: both agents go into RONA, nobody is offered anything.
      await advance(30 * SEC);
      expect(await pending(a)).toEqual([]);
      expect(await pending(b)).toEqual([]);
      for (const id of ['agent-1', 'agent-2'])
        expect((await second.repos.agents.get(w.tenantId, id, AGENTS_SCOPE)).rona?.reason).toBe('no-answer');

      // RONA resets fire after 60 s: the two oldest tasks are offered again.
      await advance(60 * SEC);
      for (const id of ['agent-1', 'agent-2'])
        expect((await second.repos.agents.get(w.tenantId, id, AGENTS_SCOPE)).rona).toBeNull();
      expect([...(await pending(a)), ...(await pending(b))].sort()).toEqual(['agent-1', 'agent-2']);

      // C's max queue time (120 s after it was queued) fires.
      await advance(30 * SEC);
      expect(await routing.tasks.get(c)).toBeUndefined();
      expect(await second.repos.taskReports.get(w.tenantId, c.taskId, c.queue)).toMatchObject({
        outcome: 'max-queue-time',
      });
      const reports = await second.repos.userSessions.query(w.tenantId, {}, userScope('agent-1'));
      expect(reports.map((r) => r.outcome)).toContain('no-answer');
    } finally {
      await routing.stop();
      await second.close();
    }
  });
});
