import { defaultRoutingOptions } from '../../../bot/src/services/routing';
import { queueScope, timerIds } from '../../../bot/src/store/partition-keys';
import { createWorld as createWorldOn } from '../../helpers/routing';
import { worldsOnSharedCosmos } from '../../helpers/store';

const createWorld = worldsOnSharedCosmos(createWorldOn);

// No test here moves the clock: an offer made after a configuration change came from that change,
// not from a retry timer.
describe('distribution after configuration changes', () => {
  it('offers a waiting chat when an admin activates the member in the service', async () => {
    const w = await createWorld({ agents: 1, service: { members: [{ userId: 'agent-1', active: false }] } });
    const ref = await w.queueTask();
    expect(await w.pendingOffers(ref)).toEqual([]);

    await w.store.repos.services.update(w.tenantId, w.serviceId, (s) => ({
      ...s,
      members: [{ userId: 'agent-1', active: true }],
    }));
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-1']);
  });

  it('offers a waiting chat when the agent is given the Instant Messaging license', async () => {
    const w = await createWorld({ agents: 1 });
    await w.store.repos.tenants.update(w.tenantId, w.tenantId, (t) => ({
      ...t,
      licenses: { ...t.licenses, imModality: { ...t.licenses.imModality, assignees: [] } },
    }));
    const ref = await w.queueTask();
    expect(await w.pendingOffers(ref)).toEqual([]);

    await w.store.repos.tenants.update(w.tenantId, w.tenantId, (t) => ({
      ...t,
      licenses: { ...t.licenses, imModality: { ...t.licenses.imModality, assignees: ['agent-1'] } },
    }));
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-1']);
  });

  it('offers a waiting chat when Instant Messaging is switched on for the user', async () => {
    const w = await createWorld({ agents: 1 });
    await w.store.repos.users.update(w.tenantId, 'agent-1', (u) => ({ ...u, im: { ...u.im, enabled: false } }));
    const ref = await w.queueTask();
    expect(await w.pendingOffers(ref)).toEqual([]);

    await w.store.repos.users.update(w.tenantId, 'agent-1', (u) => ({ ...u, im: { ...u.im, enabled: true } }));
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-1']);
  });

  it('runs no pass for a change that cannot add an agent', async () => {
    const w = await createWorld({ agents: 1 });
    await w.store.repos.users.update(w.tenantId, 'agent-1', (u) => ({ ...u, im: { ...u.im, enabled: false } }));
    await w.settle();
    const before = w.store.stats.snapshot().queries;
    // A display name changes nothing routing looks at; IM stays off.
    await w.store.repos.users.update(w.tenantId, 'agent-1', (u) => ({ ...u, displayName: 'Renamed' }));
    await w.settle();
    expect(w.store.stats.snapshot().queries).toBe(before);
  });

  it('looks at a queue nobody can serve again only after the long backstop', async () => {
    const w = await createWorld({ agents: 1, available: false });
    const ref = await w.queueTask();
    expect(await w.pendingOffers(ref)).toEqual([]);
    const timer = await w.store.timers.find(
      timerIds.distribute(w.tenantId, queueScope({ kind: 'service', serviceId: w.serviceId })),
    );
    expect(timer?.dueAt).toBe(w.clock.now() + defaultRoutingOptions.backstopMs);
    expect(defaultRoutingOptions.backstopMs).toBeGreaterThanOrEqual(60_000);
  });
});
