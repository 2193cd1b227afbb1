import { aggregateId, allChannels, kpisOf } from '../../../bot/src/core/reporting';
import { createWorld as createWorldOn } from '../../helpers/routing';
import { worldsOnSharedCosmos } from '../../helpers/store';

const createWorld = worldsOnSharedCosmos(createWorldOn);

/**
 * The day documents as routing keeps them: written when a task ends, through the real task lifecycle
 * on the embedded Cosmos, equal to a rebuild from the raw reports.
 */
describe('report aggregates kept as tasks end', () => {
  async function twoTasks() {
    const w = await createWorld({ agents: 2, service: { sla: { acceptanceSeconds: 20, hangupSeconds: 10 } } });
    await w.store.repos.tenants.update(w.tenantId, w.tenantId, (t) => ({ ...t, timeZone: 'Europe/Zurich' }));
    // Accepted after 5 s in the queue, talked for a minute.
    const first = await w.queueTask({}, 'Ada Accepted');
    const [offer] = await w.pendingOffers(first);
    w.clock.advance(5_000);
    expect((await w.routing.tasks.accept(first, offer!.id, offer!.userId)).ok).toBe(true);
    w.clock.advance(60_000);
    expect((await w.routing.tasks.end(first, 'accepted')).ok).toBe(true);
    // Hung up after 30 s in the queue, while an offer rang (withdrawn: a cancelled user session).
    await w.routing.agents.setPresence(w.tenantId, offer!.userId, 'busy');
    const second = await w.queueTask({}, 'Harry Hangup');
    w.clock.advance(30_000);
    expect((await w.routing.tasks.end(second, 'customer-left-in-queue')).ok).toBe(true);
    await w.settle();
    return { w, agent: offer!.userId };
  }

  it('counts each ended task once into the day it arrived, with its sessions', async () => {
    const { w, agent } = await twoTasks();
    // 09:00 UTC is 10:00 in Zurich on 5 January.
    const id = aggregateId('2026-01-05', { kind: 'service', serviceId: w.serviceId });
    const doc = (await w.store.repos.reportAggregates.findDay(w.tenantId, id))!;
    expect(doc.reports).toBe(2);
    expect(Object.keys(doc.hours)).toEqual(['10']);
    const k = kpisOf(allChannels(doc.channels));
    expect(k.outcomes['handled-by-user']).toBe(1);
    expect(k.outcomes['hangup-in-queue']).toBe(1);
    expect(k.reachability).toBe(0.5);
    expect(k.acceptanceSla).toBe(1); // 5 s ≤ 20 s
    expect(k.hangupSla).toBe(0.5); // 30 s > 10 s
    expect(k.connectedTimeMsAvg).toBe(60_000);
    expect(doc.sessions.interact.accepted).toBe(1);
    expect(doc.sessions.interact.cancelled).toBe(1);
    expect(doc.agents[agent]!.handled).toBe(1);
  });

  it('ignores a task end counted again (a finalize repeated after a crash), and equals a rebuild', async () => {
    const { w } = await twoTasks();
    const id = aggregateId('2026-01-05', { kind: 'service', serviceId: w.serviceId });
    const before = (await w.store.repos.reportAggregates.findDay(w.tenantId, id))!;
    const [report] = await w.store.repos.taskReports.ofQueue(w.tenantId, { kind: 'service', serviceId: w.serviceId });
    await w.routing.reporting.taskEnded(report!, []);
    const after = (await w.store.repos.reportAggregates.findDay(w.tenantId, id))!;
    expect(after._etag).toBe(before._etag);

    // A rebuild from the raw reports gives the same document back.
    await w.store.repos.reportAggregates.remove(w.tenantId, id);
    expect(await w.routing.reporting.rebuild(w.tenantId)).toEqual({ documents: 1, reports: 2, removed: 0 });
    const rebuilt = (await w.store.repos.reportAggregates.findDay(w.tenantId, id))!;
    const strip = ({ _etag, _ts, ...rest }: typeof rebuilt & { _ts?: unknown }) => (void _etag, void _ts, rest);
    expect(strip(rebuilt)).toEqual(strip(before));
  });
});
