import type { ChatEvent } from '../../../bot/src/core/model';
import { type Store, queueScope } from '../../../bot/src/store';
import { agentState, queuedTask, service, task, user, userSession } from '../../helpers/fixtures';
import { newTenantId, openTestStore } from '../../helpers/store';
import { openForAll } from '../../helpers/hooks';

let store: Store;
openForAll(async () => (store = await openTestStore()));

const ids = (docs: { id: string }[]) => docs.map((d) => d.id).sort();

const message = (tenantId: string, chatId: string, seq: number): ChatEvent => ({
  id: `e-${String(seq).padStart(10, '0')}`,
  tenantId,
  type: 'chatEvent',
  chatId,
  seq,
  at: seq,
  kind: 'message',
  from: 'customer',
  authorName: 'Casey',
  text: `message ${seq}`,
  audience: 'all',
});

describe('the named queries of the repositories', () => {
  it('find what one unit holds, and only in the asking tenant', async () => {
    const [a, b] = [newTenantId(), newTenantId()];
    await Promise.all([
      store.repos.users.create(user(a, 'in-1', { unitId: 'unit-x' })),
      store.repos.users.create(user(a, 'elsewhere', { unitId: 'unit-y' })),
      store.repos.users.create(user(b, 'other-tenant', { unitId: 'unit-x' })),
      store.repos.services.create(service(a, 'svc-1', { unitId: 'unit-x' })),
      store.repos.units.create({ id: 'unit-child', tenantId: a, type: 'unit', name: 'Child', parentId: 'unit-x' }),
      store.repos.units.create({ id: 'unit-x', tenantId: a, type: 'unit', name: 'Parent', parentId: null }),
    ]);
    expect(ids(await store.repos.users.inUnit(a, 'unit-x'))).toEqual(['in-1']);
    expect(ids(await store.repos.services.inUnit(a, 'unit-x'))).toEqual(['svc-1']);
    expect(ids(await store.repos.units.children(a, 'unit-x'))).toEqual(['unit-child']);
    expect((await store.repos.units.byName(a)).map((u) => u.name)).toEqual(['Child', 'Parent']);
  });

  it('list users by display name and by id, and services by member', async () => {
    const t = newTenantId();
    await Promise.all([
      store.repos.users.create(user(t, 'u1', { displayName: 'Zoe' })),
      store.repos.users.create(user(t, 'u2', { displayName: 'Adam' })),
      store.repos.users.create(user(t, 'u3', { displayName: 'Mia' })),
      store.repos.services.create(service(t, 's1', { members: [{ userId: 'u1', active: false }] })),
      store.repos.services.create(service(t, 's2', { members: [{ userId: 'u2', active: true }] })),
      store.repos.agents.create(agentState(t, 'u1')),
      store.repos.agents.create(agentState(t, 'u3')),
    ]);
    expect((await store.repos.users.byDisplayName(t)).map((u) => u.displayName)).toEqual(['Adam', 'Mia', 'Zoe']);
    expect(ids(await store.repos.users.withIds(t, ['u1', 'u3', 'missing']))).toEqual(['u1', 'u3']);
    expect(await store.repos.users.withIds(t, [])).toEqual([]);
    expect(ids(await store.repos.agents.withIds(t, ['u1', 'u2']))).toEqual(['u1']);
    expect(ids(await store.repos.services.withMember(t, 'u1'))).toEqual(['s1']);
  });

  it('read one queue, one chat and one user partition', async () => {
    const t = newTenantId();
    await Promise.all([
      store.repos.tasks.create(queuedTask(t, 'q1')),
      store.repos.tasks.create(task(t, 'not-queued')),
      store.repos.tasks.create(
        queuedTask(t, 'other-queue', {}, 0, { target: { kind: 'service', serviceId: 'svc-2' } }),
      ),
      ...[3, 1, 2].map((seq) => store.repos.chatEvents.create(message(t, 'chat-1', seq))),
      store.repos.chatEvents.create(message(t, 'chat-2', 9)),
      ...[10, 30, 20].map((at) => store.repos.userSessions.upsert(userSession(t, `s${at}`, 'agent-a', at))),
      store.repos.userSessions.upsert(userSession(t, 's-b', 'agent-b', 99)),
    ]);
    expect(ids(await store.repos.tasks.queued(t, queueScope({ kind: 'service', serviceId: 'svc' })))).toEqual(['q1']);
    expect((await store.repos.chatEvents.after(t, 'chat-1', 1)).map((e) => e.seq)).toEqual([2, 3]);
    expect((await store.repos.userSessions.recent(t, 'agent-a', 2)).map((s) => s.offeredAt)).toEqual([30, 20]);
  });
});
