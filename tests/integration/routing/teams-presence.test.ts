import pino from 'pino';
import { TeamsPresenceService } from '../../../bot/src/services/presence';
import { AGENTS_SCOPE } from '../../../bot/src/store/partition-keys';
import { type World, createWorld as createWorldOn } from '../../helpers/routing';
import { worldsOnSharedCosmos } from '../../helpers/store';

const createWorld = worldsOnSharedCosmos(createWorldOn);

/** The presence service on a world's routing, without Graph: the tests hand it presences as Graph would. */
const presenceOf = (w: World) =>
  new TeamsPresenceService({
    store: w.store,
    agents: w.routing.agents,
    tasks: w.routing.tasks,
    graph: undefined,
    clock: w.clock,
    log: pino({ level: 'silent' }),
    mode: 'off',
    pollSeconds: 0,
    notificationUrl: 'https://cc.example.com/api/graph/presence',
  });
const agentOf = (w: World, userId: string) => w.store.repos.agents.get(w.tenantId, userId, AGENTS_SCOPE);

describe('routing with Teams presence', () => {
  it('offers chats to an agent who never chose a status, as soon as Teams says they are Available', async () => {
    const w = await createWorld({ agents: 1, available: false });
    const presence = presenceOf(w);
    const ref = await w.queueTask();
    expect(await w.pendingOffers(ref)).toEqual([]);
    await presence.apply(w.tenantId, 'agent-1', { availability: 'Available', activity: 'Available' });
    await w.settle();
    expect((await w.pendingOffers(ref)).map((o) => o.userId)).toEqual(['agent-1']);
  });

  it('does not offer a queued chat to an agent in a Teams call while another is available', async () => {
    const w = await createWorld({ agents: 2 });
    const presence = presenceOf(w);
    // agent-1 is the longest idle and would get the offer; a Teams call takes them out.
    await presence.apply(w.tenantId, 'agent-1', { availability: 'Busy', activity: 'InACall' });
    await w.settle();
    const ref = await w.queueTask();
    expect(await w.pendingOffers(ref)).toEqual([{ id: expect.any(String), userId: 'agent-2' }]);
    expect(await agentOf(w, 'agent-1')).toMatchObject({ presence: 'available', slots: [] });

    // The call ends: agent-1 takes the next chat.
    await presence.apply(w.tenantId, 'agent-1', { availability: 'Available', activity: 'Available' });
    await w.settle();
    const next = await w.queueTask();
    expect((await w.pendingOffers(next)).map((o) => o.userId)).toEqual(['agent-1']);
  });

  it('going Offline in Teams withdraws a pending offer; the task goes to the next agent without RONA', async () => {
    const w = await createWorld({ agents: 2 });
    const presence = presenceOf(w);
    const ref = await w.queueTask();
    const [first] = await w.pendingOffers(ref);
    expect(first?.userId).toBe('agent-1');

    await presence.apply(w.tenantId, 'agent-1', { availability: 'Offline', activity: 'Offline' });
    await w.settle();

    const task = await w.routing.tasks.get(ref);
    expect(task?.state).toBe('queued');
    expect(task?.offers.map((o) => [o.userId, o.state])).toEqual([
      ['agent-1', 'withdrawn'],
      ['agent-2', 'pending'],
    ]);
    expect(await agentOf(w, 'agent-1')).toMatchObject({
      presence: 'available',
      teams: { availability: 'Offline', activity: 'Offline' },
      rona: null,
      slots: [],
    });
    expect(
      w.events.filter((e) => e.type === 'offer.resolved').map((e) => 'offer' in e && [e.offer.userId, e.offer.state]),
    ).toEqual([['agent-1', 'withdrawn']]);
  });
});
