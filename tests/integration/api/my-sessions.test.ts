import type { App } from '../../../bot/src/app';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';
import { distribution, interactSettings, service, tenant, user } from '../../helpers/fixtures';
import { customerForm } from '../../helpers/interact';
import { eventually } from '../../helpers/process';
import { openSse } from '../../helpers/sse';
import { newTenantId } from '../../helpers/store';
import { devSignIn, tabCall } from '../../helpers/tab-calls';
import { installTeamsApp } from '../../helpers/teams-install';

let app: App;
openForAll(async () => (app = await startTestApp({ DEMO_TENANT: 'false' }, { interact: roomyInteractLimits(1000) })));

const ORIGIN = 'https://shop.example.com';

/** A website-reachable service with agent Alex as its only member, Megan as another agent of the tenant. */
async function setup(options: { persistentRona?: boolean } = {}) {
  const tenantId = newTenantId();
  const contactId = `ct-${tenantId}`;
  const key = `key-${tenantId}-0123456789`;
  const { store } = app;
  await store.repos.tenants.create(
    tenant(tenantId, {
      licenses: {
        contactCenter: { total: 1, assignees: ['svc'] },
        interactService: { total: 1, assignees: ['svc'] },
        imModality: { total: 5, assignees: ['alex', 'megan'] },
      },
    }),
  );
  await store.repos.users.create(
    user(tenantId, 'alex', {
      displayName: 'Alex Wilber',
      interact: interactSettings({ contactId: `ct-a-${tenantId}` }),
    }),
  );
  await store.repos.users.create(
    user(tenantId, 'megan', {
      displayName: 'Megan Bowen',
      interact: interactSettings({ contactId: `ct-m-${tenantId}` }),
    }),
  );
  await store.repos.services.create(
    service(tenantId, 'svc', {
      name: 'Support',
      members: [{ userId: 'alex', active: true }],
      interact: interactSettings({ contactId, widgetKey: key }),
      distribution: distribution({ persistentRona: options.persistentRona ?? false }),
    }),
  );
  await store.directory.registerContact({ id: contactId, tenantId, target: { kind: 'service', serviceId: 'svc' } });
  await installTeamsApp(app, tenantId, 'alex');
  await app.routing.agents.setPresence(tenantId, 'alex', 'available');
  const signIn = (userId: string) => devSignIn(app, tenantId, userId);
  const customer = {
    async start(message = 'Where is my parcel?') {
      const res = await fetch(`${app.baseUrl}/interact/v1/contacts/${contactId}/chats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify(customerForm(key, message)),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { chatId: string; token: string };
    },
    post: (chat: { chatId: string; token: string }, what: string, body: unknown) =>
      fetch(`${app.baseUrl}/interact/v1/contacts/${contactId}/chats/${chat.chatId}/${what}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, authorization: `Bearer ${chat.token}` },
        body: JSON.stringify(body),
      }),
  };
  return { tenantId, signIn, customer, alex: await signIn('alex'), megan: await signIn('megan') };
}

const call = (method: string, path: string, bearer: string, body?: unknown) => tabCall(app, method, path, bearer, body);
const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

type Overview = {
  agent: { presence: string; rona: unknown };
  offers: {
    taskId: string;
    customer: { displayName: string };
    firstMessage: string | null;
    target: { name: string };
  }[];
  active: { chatId: string }[];
};

async function offerFor(s: Awaited<ReturnType<typeof setup>>) {
  await app.routing.idle();
  return eventually(async () => (await json<Overview>(await call('GET', '/me/sessions', s.alex))).offers[0]);
}

describe('My Sessions: offers and live chat', () => {
  it('an agent sees the offer, accepts it and chats with the customer both ways, with typing, until they end it', async () => {
    const s = await setup();
    const chat = await s.customer.start();
    const offer = await offerFor(s);
    expect(offer).toMatchObject({
      customer: { displayName: 'Casey Customer' },
      firstMessage: 'Where is my parcel?',
      target: { name: 'Support' },
    });

    const accepted = await call('POST', `/me/offers/${offer.taskId}/accept`, s.alex);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ chatId: chat.chatId });
    expect((await json<Overview>(await call('GET', '/me/sessions', s.alex))).active.map((a) => a.chatId)).toEqual([
      chat.chatId,
    ]);

    const detail = await call('GET', `/me/sessions/${chat.chatId}`, s.alex);
    expect(await detail.json()).toMatchObject({
      live: true,
      customer: { displayName: 'Casey Customer', email: 'casey@example.com' },
      channel: 'interact',
      target: { kind: 'service', name: 'Support' },
      firstMessage: 'Where is my parcel?',
    });

    const stream = await openSse(`${app.baseUrl}/api/v1/me/sessions/${chat.chatId}/stream`, {
      authorization: `Bearer ${s.alex}`,
    });
    expect(stream.status).toBe(200);
    const backlog = await stream.until((e) => e.event === 'message' && e.data.includes('Where is my parcel?'));
    expect(backlog.every((e) => e.id !== undefined)).toBe(true);

    expect((await s.customer.post(chat, 'typing', { typing: true })).status).toBe(204);
    expect(JSON.parse((await stream.until((e) => e.event === 'typing')).pop()!.data)).toEqual({
      from: 'customer',
      typing: true,
    });
    expect((await s.customer.post(chat, 'messages', { text: 'It was due on Monday.' })).status).toBe(201);
    await stream.until((e) => e.event === 'message' && JSON.parse(e.data).text === 'It was due on Monday.');

    expect((await call('POST', `/me/sessions/${chat.chatId}/typing`, s.alex, { typing: true })).status).toBe(204);
    const sent = await call('POST', `/me/sessions/${chat.chatId}/messages`, s.alex, {
      text: 'Let me check that for you.',
    });
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({ kind: 'message', from: 'agent', text: 'Let me check that for you.' });
    const customerView = await app.chats.eventsAfter(s.tenantId, chat.chatId, 0);
    expect(
      customerView.some((e) => e.kind === 'message' && e.from === 'agent' && e.text === 'Let me check that for you.'),
    ).toBe(true);

    const events = await json<{ events: { seq: number; kind: string }[] }>(
      await call('GET', `/me/sessions/${chat.chatId}/events?after=0`, s.alex),
    );
    expect(events.events.map((e) => e.seq)).toEqual([...events.events.keys()].map((i) => i + 1));

    expect((await call('POST', `/me/sessions/${chat.chatId}/end`, s.alex)).status).toBe(204);
    await stream.until((e) => e.event === 'status' && JSON.parse(e.data).state === 'ended');
    await stream.ended;
    expect((await app.chats.get(s.tenantId, chat.chatId))?.state).toBe('ended');
    const afterEnd = await call('POST', `/me/sessions/${chat.chatId}/messages`, s.alex, { text: 'Still there?' });
    expect(afterEnd.status).toBe(409);
    expect(await afterEnd.json()).toMatchObject({ error: { code: 'session-ended' } });
  });

  it('an agent reaches only sessions assigned to them: another agent gets 404 for every call', async () => {
    const s = await setup();
    const chat = await s.customer.start();
    const offer = await offerFor(s);
    expect((await json<Overview>(await call('GET', '/me/sessions', s.megan))).offers).toEqual([]);
    expect((await call('POST', `/me/offers/${offer.taskId}/accept`, s.megan)).status).toBe(404);
    expect((await call('POST', `/me/offers/${offer.taskId}/decline`, s.megan)).status).toBe(404);
    expect((await call('POST', `/me/offers/${offer.taskId}/accept`, s.alex)).status).toBe(200);

    for (const [method, path, body] of [
      ['GET', `/me/sessions/${chat.chatId}`, undefined],
      ['GET', `/me/sessions/${chat.chatId}/events`, undefined],
      ['POST', `/me/sessions/${chat.chatId}/messages`, { text: 'I am not your agent' }],
      ['POST', `/me/sessions/${chat.chatId}/typing`, { typing: true }],
      ['POST', `/me/sessions/${chat.chatId}/end`, undefined],
    ] as const) {
      const res = await call(method, path, s.megan, body);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const stream = await fetch(`${app.baseUrl}/api/v1/me/sessions/${chat.chatId}/stream`, {
      headers: { authorization: `Bearer ${s.megan}` },
    });
    expect(stream.status).toBe(404);
    expect((await app.chats.get(s.tenantId, chat.chatId))?.state).toBe('open');
    expect(
      (await app.chats.eventsAfter(s.tenantId, chat.chatId, 0)).some(
        (e) => e.kind === 'message' && e.text === 'I am not your agent',
      ),
    ).toBe(false);

    // Megan's history holds nothing of Alex's, and Alex's session ids do not open for her.
    await call('POST', `/me/sessions/${chat.chatId}/end`, s.alex);
    const alexHistory = await eventually(async () => {
      const h = await json<{ sessions: { sessionId: string; taskOutcome: string | null }[] }>(
        await call('GET', '/me/history', s.alex),
      );
      return h.sessions[0]?.taskOutcome ? h : undefined;
    });
    expect((await json<{ sessions: unknown[] }>(await call('GET', '/me/history', s.megan))).sessions).toEqual([]);
    const sessionId = alexHistory.sessions[0]!.sessionId;
    expect((await call('GET', `/me/history/${sessionId}`, s.megan)).status).toBe(404);
    expect(
      (await call('PUT', `/me/history/${sessionId}/wrap-up`, s.megan, { code: 'x', tags: [], note: null })).status,
    ).toBe(404);
  });

  it('a declined offer does not put the agent in RONA', async () => {
    const s = await setup();
    await s.customer.start();
    const offer = await offerFor(s);
    expect((await call('POST', `/me/offers/${offer.taskId}/decline`, s.alex)).status).toBe(204);
    const overview = await json<Overview>(await call('GET', '/me/sessions', s.alex));
    expect(overview.agent.rona).toBeNull();
  });

  it('going Offline in the tab withdraws the offer still ringing', async () => {
    const s = await setup();
    await s.customer.start();
    await offerFor(s);
    const offline = await call('PUT', '/me/presence', s.alex, { presence: 'offline' });
    expect(await offline.json()).toMatchObject({ presence: 'offline', rona: null });
    const overview = await json<Overview>(await call('GET', '/me/sessions', s.alex));
    expect(overview.offers).toEqual([]);
    expect((await app.routing.agents.find(s.tenantId, 'alex'))?.slots).toEqual([]);
  });

  it('with persistent RONA, a declined offer puts the agent in RONA, shown with a reset; history lists it as declined', async () => {
    const s = await setup({ persistentRona: true });
    await s.customer.start();
    const offer = await offerFor(s);
    expect((await call('POST', `/me/offers/${offer.taskId}/decline`, s.alex)).status).toBe(204);
    const overview = await json<Overview>(await call('GET', '/me/sessions', s.alex));
    expect(overview.agent.rona).toMatchObject({ reason: 'declined' });
    const reset = await call('POST', '/me/rona-reset', s.alex);
    expect(await reset.json()).toMatchObject({ rona: null, presence: 'available' });
    const history = await json<{ sessions: { outcome: string; taskId: string }[] }>(
      await call('GET', '/me/history', s.alex),
    );
    expect(history.sessions[0]).toMatchObject({ outcome: 'declined', taskId: offer.taskId });
    expect(
      (
        await call(
          'PUT',
          `/me/history/${(history.sessions[0] as unknown as { sessionId: string }).sessionId}/wrap-up`,
          s.alex,
          { code: 'x', tags: [], note: null },
        )
      ).status,
    ).toBe(409);
  });

  it('sets the availability, and refuses values that are not a presence', async () => {
    const s = await setup();
    const away = await call('PUT', '/me/presence', s.alex, { presence: 'away' });
    expect(await away.json()).toMatchObject({ presence: 'away' });
    expect((await call('PUT', '/me/presence', s.alex, { presence: 'sleeping' })).status).toBe(400);
    expect((await call('GET', '/me/sessions', 'not-a-token')).status).toBe(401);
  });

  it('after the conversation: the transcript in the history, and codes and tags the agent adds', async () => {
    const s = await setup();
    const chat = await s.customer.start('Refund please');
    const offer = await offerFor(s);
    await call('POST', `/me/offers/${offer.taskId}/accept`, s.alex);
    await call('POST', `/me/sessions/${chat.chatId}/messages`, s.alex, { text: 'Refund is on its way.' });
    await call('POST', `/me/sessions/${chat.chatId}/end`, s.alex);
    const item = await eventually(async () =>
      (
        await json<{ sessions: { sessionId: string; outcome: string; taskOutcome: string | null }[] }>(
          await call('GET', '/me/history', s.alex),
        )
      ).sessions.find((x) => x.taskOutcome === 'accepted'),
    );
    expect(item.outcome).toBe('accepted');

    const detail = await json<{ chatId: string; events: { kind: string; text?: string }[] }>(
      await call('GET', `/me/history/${item.sessionId}`, s.alex),
    );
    expect(detail.chatId).toBe(chat.chatId);
    expect(detail.events.filter((e) => e.kind === 'message').map((e) => e.text)).toEqual(
      expect.arrayContaining(['Refund please', 'Refund is on its way.']),
    );

    const saved = await call('PUT', `/me/history/${item.sessionId}/wrap-up`, s.alex, {
      code: 'refund',
      tags: ['vip', 'parcel'],
      note: 'Refunded in full.',
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ code: 'refund', tags: ['vip', 'parcel'], note: 'Refunded in full.' });
    const duplicateTags = await call('PUT', `/me/history/${item.sessionId}/wrap-up`, s.alex, {
      code: null,
      tags: ['vip', 'VIP'],
      note: null,
    });
    expect(duplicateTags.status).toBe(400);
    const listed = await json<{ sessions: { sessionId: string; wrapUp: unknown }[] }>(
      await call('GET', '/me/history', s.alex),
    );
    expect(listed.sessions.find((x) => x.sessionId === item.sessionId)?.wrapUp).toMatchObject({
      code: 'refund',
      tags: ['vip', 'parcel'],
    });
  });

  it('the agent stream says when an offer arrives', async () => {
    const s = await setup();
    const stream = await openSse(`${app.baseUrl}/api/v1/me/stream`, { authorization: `Bearer ${s.alex}` });
    expect(stream.status).toBe(200);
    await s.customer.start();
    const changes = await stream.until((e) => e.event === 'changed' && JSON.parse(e.data).kind === 'offers');
    expect(changes.length).toBeGreaterThan(0);
    stream.close();
  });
});
