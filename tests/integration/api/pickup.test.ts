import type { App } from '../../../bot/src/app';
import { refOf } from '../../../bot/src/services/routing';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';
import { service, tenant, user } from '../../helpers/fixtures';
import { eventually } from '../../helpers/process';
import { openSse } from '../../helpers/sse';
import { newTenantId } from '../../helpers/store';
import { devSignIn, tabCall } from '../../helpers/tab-calls';
import { installTeamsApp } from '../../helpers/teams-install';

let app: App;
openForAll(async () => (app = await startTestApp({ DEMO_TENANT: 'false' }, { interact: roomyInteractLimits(1000) })));

type PickupQueue = {
  tasks: {
    taskId: string;
    serviceId: string;
    serviceName: string;
    customer: { displayName: string };
    firstMessage: string | null;
    waitedMs: number;
  }[];
};

const call = (method: string, path: string, bearer: string, body?: unknown) => tabCall(app, method, path, bearer, body);
const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

/** A service whose Queue Task distributes by Pickup, with Alex and Megan as members and Carol outside it. */
async function setup() {
  const tenantId = newTenantId();
  const { store } = app;
  await store.repos.tenants.create(
    tenant(tenantId, { licenses: { imModality: { total: 5, assignees: ['alex', 'megan', 'carol'] } } }),
  );
  for (const [id, name] of [
    ['alex', 'Alex Wilber'],
    ['megan', 'Megan Bowen'],
    ['carol', 'Carol Outsider'],
  ] as const)
    await store.repos.users.create(user(tenantId, id, { displayName: name }));
  await store.repos.services.create(
    service(tenantId, 'svc', {
      name: 'Support',
      members: [
        { userId: 'alex', active: true },
        { userId: 'megan', active: true },
      ],
    }),
  );
  for (const id of ['alex', 'megan', 'carol']) {
    await installTeamsApp(app, tenantId, id);
    await app.routing.agents.setPresence(tenantId, id, 'available');
  }
  const signIn = (userId: string) => devSignIn(app, tenantId, userId);
  return { tenantId, alex: await signIn('alex'), megan: await signIn('megan'), carol: await signIn('carol') };
}

/** A chat queued for the service as a Queue Task with distribution "pickup" puts it. */
async function queuePickup(tenantId: string, customer = 'Casey Customer', firstMessage = 'Where is my parcel?') {
  const target = { kind: 'service' as const, serviceId: 'svc' };
  const chat = await app.chats.open({
    tenantId,
    target,
    channel: 'interact',
    contactId: `ct-${tenantId}`,
    customer: { displayName: customer, email: 'casey@example.com', address: null },
  });
  const task = await app.routing.tasks.create({
    tenantId,
    target,
    channel: 'interact',
    chatId: chat.id,
    customer: chat.customer,
    firstMessage,
  });
  await app.chats.update(tenantId, chat.id, (c) => ({ ...c, task: { id: task.id, queue: refOf(task).queue } }));
  await app.routing.tasks.startWorkflow(refOf(task));
  const queued = await app.routing.tasks.enqueue(refOf(task), { type: 'pickup' });
  if (!queued.ok) throw new Error(`not queued: ${queued.refusal}`);
  await app.routing.idle();
  return { chatId: chat.id, ref: refOf(task) };
}

describe('Pickup queues in My Sessions', () => {
  it('members see the waiting chat; of two claiming it at once exactly one gets it, the other is told', async () => {
    const s = await setup();
    const { chatId, ref } = await queuePickup(s.tenantId);

    for (const bearer of [s.alex, s.megan]) {
      const queue = await json<PickupQueue>(await call('GET', '/me/pickup', bearer));
      expect(queue.tasks).toEqual([
        expect.objectContaining({
          taskId: ref.taskId,
          serviceId: 'svc',
          serviceName: 'Support',
          customer: expect.objectContaining({ displayName: 'Casey Customer' }),
          firstMessage: 'Where is my parcel?',
          waitedMs: expect.any(Number),
        }),
      ]);
    }

    const claims = await Promise.all(
      [s.alex, s.megan].map((bearer) => call('POST', `/me/pickup/svc/${ref.taskId}/claim`, bearer)),
    );
    const statuses = claims.map((r) => r.status);
    expect([...statuses].sort()).toEqual([200, 409]);
    const winner = statuses[0] === 200 ? 'alex' : 'megan';
    const loser = winner === 'alex' ? 'megan' : 'alex';
    const [won, lost] = statuses[0] === 200 ? claims : [claims[1]!, claims[0]!];
    expect(await won!.json()).toEqual({ chatId });
    expect(await lost!.json()).toMatchObject({
      error: { code: 'pickup-taken', message: 'Someone else already took this chat.' },
    });

    const task = await app.routing.tasks.get(ref);
    expect(task).toMatchObject({ state: 'connected', assignedUserId: winner });
    // The loser's capacity is free again; the winner holds one chat.
    expect((await app.routing.agents.find(s.tenantId, loser))?.slots).toEqual([]);
    expect((await app.routing.agents.find(s.tenantId, winner))?.slots.map((x) => x.kind)).toEqual(['chat']);
    // The same connect path as an accepted offer: the customer's chat names the agent, it is live in My Sessions.
    await eventually(async () => (await app.chats.get(s.tenantId, chatId))?.agent?.userId === winner || undefined);
    const winnerBearer = winner === 'alex' ? s.alex : s.megan;
    const overview = await json<{ active: { chatId: string }[] }>(await call('GET', '/me/sessions', winnerBearer));
    expect(overview.active.map((a) => a.chatId)).toEqual([chatId]);
    expect((await json<PickupQueue>(await call('GET', '/me/pickup', s.alex))).tasks).toEqual([]);

    // Reports: the claimed session is in the winner's history once it ends.
    expect((await call('POST', `/me/sessions/${chatId}/end`, winnerBearer)).status).toBe(204);
    const history = await eventually(async () => {
      const h = await json<{ sessions: { taskId: string; outcome: string; taskOutcome: string | null }[] }>(
        await call('GET', '/me/history', winnerBearer),
      );
      return h.sessions.find((x) => x.taskId === ref.taskId && x.taskOutcome !== null);
    });
    expect(history).toMatchObject({ outcome: 'accepted', taskOutcome: 'accepted' });
    expect((await app.store.repos.taskReports.find(s.tenantId, ref.taskId, ref.queue))?.acceptedByUserId).toBe(winner);
  });

  it('non-members and other tenants neither see nor claim the chat', async () => {
    const s = await setup();
    const other = await setup();
    const { ref } = await queuePickup(s.tenantId);

    expect((await json<PickupQueue>(await call('GET', '/me/pickup', s.carol))).tasks).toEqual([]);
    expect((await json<PickupQueue>(await call('GET', '/me/pickup', other.alex))).tasks).toEqual([]);
    const outsider = await call('POST', `/me/pickup/svc/${ref.taskId}/claim`, s.carol);
    expect(outsider.status).toBe(404);
    // The same service id and task id from another tenant's member reach only their own tenant, where no such chat waits.
    const elsewhere = await call('POST', `/me/pickup/svc/${ref.taskId}/claim`, other.alex);
    expect(elsewhere.status).toBe(409);
    expect(await elsewhere.json()).toMatchObject({ error: { code: 'pickup-gone' } });
    expect(await app.routing.tasks.get(ref)).toMatchObject({ state: 'queued', assignedUserId: null });
  });

  it('an agent who cannot take a chat now is refused and the chat keeps waiting; bad ids are a 400', async () => {
    const s = await setup();
    const { ref } = await queuePickup(s.tenantId);
    await app.routing.agents.setPresence(s.tenantId, 'alex', 'offline');

    const refused = await call('POST', `/me/pickup/svc/${ref.taskId}/claim`, s.alex);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'not-selectable' } });
    expect(await app.routing.tasks.get(ref)).toMatchObject({ state: 'queued' });
    expect((await call('POST', `/me/pickup/svc/${encodeURIComponent('a b')}/claim`, s.alex)).status).toBe(400);
  });

  it('the event stream tells members when a pickup chat starts waiting', async () => {
    const s = await setup();
    const stream = await openSse(`${app.baseUrl}/api/v1/me/stream`, { authorization: `Bearer ${s.megan}` });
    expect(stream.status).toBe(200);
    try {
      await queuePickup(s.tenantId);
      const changes = await stream.until((e) => e.event === 'changed' && JSON.parse(e.data).kind === 'pickup');
      expect(changes.length).toBeGreaterThan(0);
    } finally {
      stream.close();
    }
  });
});
