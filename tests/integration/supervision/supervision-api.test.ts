import type { App } from '../../../bot/src/app';
import { Dashboard as DashboardContract, SupervisedChat as SupervisedChatContract } from '../../../bot/src/contracts';
import type { Dashboard, SupervisedChat } from '../../../bot/src/contracts';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';
import { interactSettings, service, tenant, unit, user } from '../../helpers/fixtures';
import { customerForm } from '../../helpers/interact';
import { eventually } from '../../helpers/process';
import { openSse } from '../../helpers/sse';
import { newTenantId } from '../../helpers/store';
import { devSignIn, tabCall } from '../../helpers/tab-calls';
import { FakeConnector, type Agent, install, newAgent, textOf } from '../teams/harness';

let app: App;
let connector: FakeConnector;
openForAll(async () => {
  app = await startTestApp({ DEMO_TENANT: 'false' }, { interact: roomyInteractLimits(1000) });
  connector = new FakeConnector();
  return [app, { close: async () => connector.done() }];
});

const ORIGIN = 'https://shop.example.com';
const call = (method: string, path: string, bearer: string, body?: unknown) => tabCall(app, method, path, bearer, body);
const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

/**
 * A tenant with two services in two units: Support (agent Alex; Sue supervises it by name) in the
 * child unit "Care", and Billing in the root unit (Olga supervises Billing by name). Uma supervises the
 * root unit, so every service below it. Adele is the admin, Gary an agent who supervises nothing.
 */
async function setup() {
  const tenantId = newTenantId();
  const contactId = `ct-${tenantId}`;
  const key = `key-${tenantId}-0123456789`;
  const { store } = app;
  await store.repos.tenants.create(
    tenant(tenantId, {
      adminUserIds: ['adele'],
      licenses: {
        contactCenter: { total: 2, assignees: ['svc', 'billing'] },
        interactService: { total: 1, assignees: ['svc'] },
        imModality: { total: 5, assignees: ['alex', 'gary', 'sue'] },
      },
    }),
  );
  await store.repos.units.create(unit(tenantId, 'root', { name: 'Contoso', supervisorUserIds: ['uma'] }));
  await store.repos.units.create(unit(tenantId, 'care', { name: 'Care', parentId: 'root' }));
  for (const [id, name] of [
    ['alex', 'Alex Wilber'],
    ['gary', 'Gary Agent'],
    ['sue', 'Sue Supervisor'],
    ['olga', 'Olga Other'],
    ['uma', 'Uma Unit'],
    ['adele', 'Adele Admin'],
  ] as const)
    await store.repos.users.create(user(tenantId, id, { displayName: name, unitId: id === 'alex' ? 'care' : 'root' }));
  await store.repos.services.create(
    service(tenantId, 'svc', {
      name: 'Support',
      unitId: 'care',
      members: [
        { userId: 'alex', active: true },
        { userId: 'gary', active: true },
      ],
      supervisorUserIds: ['sue'],
      interact: interactSettings({ contactId, widgetKey: key }),
    }),
  );
  await store.repos.services.create(
    service(tenantId, 'billing', { name: 'Billing', unitId: 'root', members: [], supervisorUserIds: ['olga'] }),
  );
  await store.directory.registerContact({ id: contactId, tenantId, target: { kind: 'service', serviceId: 'svc' } });
  const alex: Agent = { ...newAgent('Alex Wilber'), aadObjectId: 'alex' };
  const sue: Agent = { ...newAgent('Sue Supervisor'), aadObjectId: 'sue' };
  await install(app, connector, tenantId, alex);
  await install(app, connector, tenantId, sue);
  await app.routing.agents.setPresence(tenantId, 'alex', 'available');
  const tokens = Object.fromEntries(
    await Promise.all(
      ['alex', 'gary', 'sue', 'olga', 'uma', 'adele'].map(async (id) => [id, await devSignIn(app, tenantId, id)]),
    ),
  ) as Record<'alex' | 'gary' | 'sue' | 'olga' | 'uma' | 'adele', string>;

  /** A customer starts a chat on the website; Alex accepts it. */
  async function connectedChat(message = 'Where is my parcel?') {
    const res = await fetch(`${app.baseUrl}/interact/v1/contacts/${contactId}/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify(customerForm(key, message)),
    });
    expect(res.status).toBe(201);
    const chat = (await res.json()) as { chatId: string; token: string };
    await app.routing.idle();
    const stored = await app.chats.get(tenantId, chat.chatId);
    const accept = await call('POST', `/me/offers/${stored!.task!.id}/accept`, tokens.alex);
    expect(accept.status).toBe(200);
    await eventually(async () => (await app.chats.get(tenantId, chat.chatId))?.agent ?? undefined);
    const customerPost = (what: string, body: unknown) =>
      fetch(`${app.baseUrl}/interact/v1/contacts/${contactId}/chats/${chat.chatId}/${what}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, authorization: `Bearer ${chat.token}` },
        body: JSON.stringify(body),
      });
    const customerStream = () =>
      openSse(
        `${app.baseUrl}/interact/v1/contacts/${contactId}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
        { origin: ORIGIN },
      );
    return { ...chat, taskId: stored!.task!.id, queue: stored!.task!.queue, customerPost, customerStream };
  }
  return { tenantId, tokens, alex, sue, connectedChat };
}

describe('supervision: who may see and steer what', () => {
  it('shows each supervisor the services they supervise, by name or by unit, and refuses agents', async () => {
    const s = await setup();
    const services = async (who: keyof typeof s.tokens) => {
      const res = await call('GET', '/supervision/dashboard', s.tokens[who]);
      return res.status === 200 ? (await json<Dashboard>(res)).services.map((x) => x.name) : res.status;
    };
    expect(await services('adele')).toEqual(['Billing', 'Support']);
    expect(await services('sue')).toEqual(['Support']);
    expect(await services('olga')).toEqual(['Billing']);
    // Uma supervises the root unit, and so both services below it.
    expect(await services('uma')).toEqual(['Billing', 'Support']);
    expect(await services('gary')).toBe(403);
    expect(await services('alex')).toBe(403);

    const me = async (who: keyof typeof s.tokens) =>
      json<{ supervision: boolean; reports: boolean }>(await call('GET', '/me', s.tokens[who]));
    expect(await me('sue')).toMatchObject({ supervision: true, reports: true });
    expect(await me('uma')).toMatchObject({ supervision: true, reports: true });
    expect(await me('gary')).toMatchObject({ supervision: false, reports: false });
    // The reports follow the same scope: Uma reads Support's reports through her unit.
    const report = await call('GET', '/reports/summary?from=2026-11-01&to=2026-11-30', s.tokens.uma);
    expect(report.status).toBe(200);
  });

  it("refuses a chat to an agent, to another service's supervisor and to another tenant's admin", async () => {
    const s = await setup();
    const chat = await s.connectedChat();
    const other = await setup();
    const tries: [string, number][] = [];
    for (const [who, token] of [
      ['gary', s.tokens.gary],
      ['olga', s.tokens.olga],
      ['other tenant admin', other.tokens.adele],
    ] as const) {
      for (const [method, what, body] of [
        ['GET', '', undefined],
        ['POST', '/whisper', { text: 'psst' }],
        ['POST', '/barge-in', { text: 'hello' }],
        ['POST', '/take-over', undefined],
      ] as const) {
        const res = await call(method, `/supervision/chats/${chat.chatId}${what}`, token, body);
        tries.push([`${who} ${method} ${what}`, res.status]);
      }
      const stream = await openSse(`${app.baseUrl}/api/v1/supervision/chats/${chat.chatId}/stream`, {
        authorization: `Bearer ${token}`,
      });
      tries.push([`${who} stream`, stream.status]);
      stream.close();
    }
    // Same tenant: forbidden; another tenant: the chat does not exist for them.
    expect(tries.filter(([w]) => !w.startsWith('other')).every(([, status]) => status === 403)).toBe(true);
    expect(tries.filter(([w]) => w.startsWith('other')).every(([, status]) => status === 404)).toBe(true);
    // Nothing of it was written: no supervision in the task, no message in the chat.
    const task = await app.routing.tasks.get({ tenantId: s.tenantId, queue: chat.queue, taskId: chat.taskId });
    expect(task!.supervision ?? []).toEqual([]);
    const texts = (await app.chats.eventsAfter(s.tenantId, chat.chatId, 0)).map((e) =>
      e.kind === 'message' ? e.text : e.state,
    );
    expect(texts.some((t) => t === 'psst' || t === 'hello')).toBe(false);
  });
});

describe('supervising a live chat', () => {
  it('reads the whole chat; a whisper reaches the agent in Teams and the tab, never the customer', async () => {
    const s = await setup();
    const chat = await s.connectedChat();
    const customer = await chat.customerStream();
    const agentTab = await openSse(`${app.baseUrl}/api/v1/me/sessions/${chat.chatId}/stream`, {
      authorization: `Bearer ${s.tokens.alex}`,
    });
    const watching = await openSse(`${app.baseUrl}/api/v1/supervision/chats/${chat.chatId}/stream`, {
      authorization: `Bearer ${s.tokens.sue}`,
    });
    expect(watching.status).toBe(200);

    const read = await call('GET', `/supervision/chats/${chat.chatId}`, s.tokens.sue);
    expect(read.status).toBe(200);
    const detail = await json<SupervisedChat>(read);
    expect(SupervisedChatContract.safeParse(detail).success).toBe(true);
    expect(detail).toMatchObject({ serviceName: 'Support', taskState: 'connected', mine: false });
    expect(detail.agent?.userId).toBe('alex');
    expect(detail.events.some((e) => e.kind === 'message' && e.text === 'Where is my parcel?')).toBe(true);

    const whisper = await call('POST', `/supervision/chats/${chat.chatId}/whisper`, s.tokens.sue, {
      text: 'Offer the 10 % voucher',
    });
    expect(whisper.status).toBe(201);
    expect((await chat.customerPost('messages', { text: 'Are you there?' })).status).toBe(201);

    // The agent's tab shows the whisper, marked as such; so does the supervisor's view.
    const tabEvents = await agentTab.until((e) => e.event === 'message' && e.data.includes('Are you there?'));
    const tabWhisper = tabEvents.find((e) => e.data.includes('10 % voucher'));
    expect(JSON.parse(tabWhisper!.data)).toMatchObject({
      supervision: 'whisper',
      audience: 'agent',
      authorName: 'Sue Supervisor',
    });
    await watching.until((e) => e.data.includes('10 % voucher'));
    // Teams: Alex gets it as a whisper, in order before the customer's next message.
    const [teams] = await connector.waitFor(s.alex.conversationId, (c) => textOf(c).includes('10 % voucher'));
    expect(textOf(teams!)).toContain('whisper, only you see this');
    await connector.waitFor(s.alex.conversationId, (c) => textOf(c).includes('Are you there?'));

    // The customer's stream went past the whisper without it.
    const seen = await customer.until((e) => e.event === 'message' && e.data.includes('Are you there?'));
    expect(seen.some((e) => e.data.includes('voucher'))).toBe(false);
    // And a stream that reads the log from the start (from the store, not live) leaves it out too.
    const replay = await chat.customerStream();
    const replayed = await replay.until((e) => e.event === 'message' && e.data.includes('Are you there?'));
    expect(replayed.filter((e) => e.event === 'message').length).toBeGreaterThan(1);
    expect(replayed.some((e) => e.data.includes('voucher'))).toBe(false);
    replay.close();

    // Recorded in the trace: one monitor, one whisper.
    const task = await app.routing.tasks.get({ tenantId: s.tenantId, queue: chat.queue, taskId: chat.taskId });
    expect(task!.supervision!.map((e) => [e.kind, e.userId, e.count])).toEqual([
      ['monitor', 'sue', 1],
      ['whisper', 'sue', 1],
    ]);
    for (const stream of [customer, agentTab, watching]) stream.close();
  });

  it('barges in: the customer is told and reads the supervisor; the agent sees it too', async () => {
    const s = await setup();
    const chat = await s.connectedChat();
    const customer = await chat.customerStream();
    for (const text of ['Sorry for the wait.', 'Alex will finish here.'])
      expect((await call('POST', `/supervision/chats/${chat.chatId}/barge-in`, s.tokens.sue, { text })).status).toBe(
        201,
      );
    const events = await customer.until((e) => e.event === 'message' && e.data.includes('Alex will finish here.'));
    const messages = events
      .filter((e) => e.event === 'message')
      .map((e) => JSON.parse(e.data) as { authorName: string; text: string });
    const joined = messages.filter((m) => m.text === 'Sue Supervisor (supervisor) joined the conversation.');
    expect(joined).toHaveLength(1);
    expect(messages.filter((m) => m.authorName === 'Sue Supervisor').map((m) => m.text)).toEqual(
      expect.arrayContaining(['Sorry for the wait.', 'Alex will finish here.']),
    );
    await connector.waitFor(
      s.alex.conversationId,
      (c) => textOf(c).includes('Sue Supervisor') && textOf(c).includes('Sorry for the wait.'),
    );
    // A message too long or empty is refused with the reason, and nothing is stored.
    const empty = await call('POST', `/supervision/chats/${chat.chatId}/barge-in`, s.tokens.sue, { text: '  ' });
    expect(empty.status).toBe(400);
    customer.close();

    // The end of the session carries the supervision into its report.
    expect((await call('POST', `/me/sessions/${chat.chatId}/end`, s.tokens.alex)).status).toBe(204);
    const report = await eventually(() => app.store.repos.taskReports.find(s.tenantId, chat.taskId, chat.queue));
    expect(report.supervision!.find((e) => e.kind === 'barge-in')).toMatchObject({ userId: 'sue', count: 2 });
    // An ended chat is no longer supervised.
    const late = await call('POST', `/supervision/chats/${chat.chatId}/whisper`, s.tokens.sue, { text: 'late' });
    expect(late.status).toBe(409);
  });

  it('takes over: the chat moves to the supervisor, the agent is told and freed, the reports keep the chain', async () => {
    const s = await setup();
    const chat = await s.connectedChat();
    const customer = await chat.customerStream();
    const take = await call('POST', `/supervision/chats/${chat.chatId}/take-over`, s.tokens.sue);
    expect(take.status).toBe(200);
    expect(await json(take)).toMatchObject({ agentUserId: 'sue' });
    // A second take-over is a conflict, not a second change.
    expect((await call('POST', `/supervision/chats/${chat.chatId}/take-over`, s.tokens.sue)).status).toBe(409);

    // The customer reads one neutral line naming who helps them now.
    await customer.until(
      (e) => e.event === 'message' && e.data.includes('Sue Supervisor is now taking care of your chat.'),
    );
    // Alex is told and no longer holds the chat; Sue gets its card and the conversation so far.
    await connector.waitFor(s.alex.conversationId, (c) => textOf(c).includes('took over your chat'));
    await eventually(async () => {
      const alex = await app.routing.agents.find(s.tenantId, 'alex');
      return alex!.slots.length === 0 ? true : undefined;
    });
    await connector.waitFor(
      s.sue.conversationId,
      (c) => textOf(c).includes('Where is my parcel?') || textOf(c).includes('You took over'),
    );
    const sueState = await app.routing.agents.find(s.tenantId, 'sue');
    expect(sueState!.slots.map((x) => [x.taskId, x.kind])).toEqual([[chat.taskId, 'chat']]);

    // Sue answers from My Sessions; Alex cannot write to the chat any more.
    const sueWrites = await call('POST', `/me/sessions/${chat.chatId}/messages`, s.tokens.sue, { text: 'I am on it.' });
    expect(sueWrites.status).toBe(201);
    const alexWrites = await call('POST', `/me/sessions/${chat.chatId}/messages`, s.tokens.alex, { text: 'me too' });
    expect(alexWrites.status).toBeGreaterThanOrEqual(400);
    await customer.until((e) => e.event === 'message' && e.data.includes('I am on it.'));
    customer.close();

    expect((await call('POST', `/me/sessions/${chat.chatId}/end`, s.tokens.sue)).status).toBe(204);
    const report = await eventually(() => app.store.repos.taskReports.find(s.tenantId, chat.taskId, chat.queue));
    expect(report).toMatchObject({ outcome: 'accepted', acceptedByUserId: 'sue' });
    expect(report.supervision!.map((e) => e.kind)).toContain('take-over');
    const sessions = [
      ...(await app.store.repos.userSessions.ofUser(s.tenantId, 'alex')),
      ...(await app.store.repos.userSessions.ofUser(s.tenantId, 'sue')),
    ].filter((x) => x.taskId === chat.taskId);
    expect(sessions.map((x) => [x.userId, x.outcome, x.taskOutcome]).sort()).toEqual([
      ['alex', 'accepted', 'transferred'],
      ['sue', 'accepted', 'accepted'],
    ]);
  });
});

describe('the live dashboard', () => {
  it('lists the queue, what is connected and each agent, and its stream says when to refetch', async () => {
    const s = await setup();
    const stream = await openSse(`${app.baseUrl}/api/v1/supervision/stream`, {
      authorization: `Bearer ${s.tokens.sue}`,
    });
    expect(stream.status).toBe(200);
    const chat = await s.connectedChat();
    await stream.until((e) => e.event === 'changed');
    const res = await call('GET', '/supervision/dashboard', s.tokens.sue);
    const board = await json<Dashboard>(res);
    expect(DashboardContract.safeParse(board).success).toBe(true);
    const [support] = board.services;
    expect(support!.connected.map((t) => [t.chatId, t.agent?.displayName])).toEqual([[chat.chatId, 'Alex Wilber']]);
    expect(support!.waiting).toBe(0);
    const alex = support!.agents.find((a) => a.userId === 'alex')!;
    expect(alex).toMatchObject({ presence: 'available', chats: 1, state: 'available' });
    const gary = support!.agents.find((a) => a.userId === 'gary')!;
    expect(gary).toMatchObject({ state: 'offline', reason: 'The user is Offline.' });

    // Alex at capacity: a second and third chat wait in the queue, in order.
    await app.store.repos.users.update(s.tenantId, 'alex', (u) => ({ ...u, im: { ...u.im, maxConcurrentChats: 1 } }));
    const start = async () =>
      fetch(`${app.baseUrl}/interact/v1/contacts/ct-${s.tenantId}/chats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify(customerForm(`key-${s.tenantId}-0123456789`, 'Next one')),
      });
    expect((await start()).status).toBe(201);
    expect((await start()).status).toBe(201);
    await app.routing.idle();
    const queued = await eventually(async () => {
      const b = await json<Dashboard>(await call('GET', '/supervision/dashboard', s.tokens.sue));
      return b.services[0]!.waiting === 2 ? b : undefined;
    });
    const q = queued.services[0]!;
    expect(q.queue.map((t) => t.state)).toEqual(['queued', 'queued']);
    expect(q.queue[0]!.since).toBeLessThanOrEqual(q.queue[1]!.since);
    expect(q.longestWaitSince).toBe(q.queue[0]!.since);
    expect(q.agents.find((a) => a.userId === 'alex')).toMatchObject({ state: 'full', chats: 1, chatLimit: 1 });
    stream.close();
  });
});
