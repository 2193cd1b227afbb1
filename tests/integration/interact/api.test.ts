import type { App } from '../../../bot/src/app';
import type { User } from '../../../bot/src/core/model';
import { signVisitorToken } from '../../../bot/src/services/interact/visitor-token';
import { chatScope, serviceQueueScope, userScope } from '../../../bot/src/store/partition-keys';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';
import { ALLOWED, interactKit } from '../../helpers/interact';
import { interactSettings, systemMessages, tenant as tenantFixture, user as userFixture } from '../../helpers/fixtures';
import { openSse } from '../../helpers/sse';
import { newTenantId } from '../../helpers/store';

let app: App;
openForAll(
  async () =>
    (app = await startTestApp(
      // The change feed off: the heartbeat reads each chat (the feed is tested in tests/integration/scale-out).
      { DEMO_TENANT: 'false', CHANGE_FEED_POLL_MS: '0' },
      { streams: { heartbeatMs: 200 }, interact: roomyInteractLimits(6000, { burst: 5, perMinute: 1 }) },
    )),
);

const { setup, api, getConfig, form, createChat, errorCode, startChat, post, streamUrl } = interactKit(() => app);

describe('public contact config', () => {
  it('describes the contact and its form, shared with an allowed origin', async () => {
    const s = await setup();
    const res = await getConfig(s);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(await res.json()).toMatchObject({
      contactId: s.contactId,
      displayName: 'Service svc-web',
      kind: 'service',
      chat: true,
      privacyPolicyUrl: 'https://example.com/privacy',
      form: { consent: { required: true } },
    });
  });

  it('refuses a wrong widget key', async () => {
    const s = await setup();
    const res = await getConfig(s, ALLOWED, 'not-the-key');
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('invalid-widget-key');
  });

  it('answers 404 for an unknown contact', async () => {
    const res = await fetch(api('/contacts/ct-nobody?key=x'));
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('contact-not-found');
  });

  it.each([
    ['the target’s Interact is inactive', { interact: { active: false } }, 'interact-inactive'],
    ['Instant Messaging is off in Interact', { interact: { instantMessaging: false } }, 'instant-messaging-off'],
    [
      'the service’s IM modality is off',
      { service: { im: { enabled: false, channels: { interact: true, whatsapp: false }, workflowId: null } } },
      'instant-messaging-off',
    ],
    [
      'the service’s Interact channel is off',
      { service: { im: { enabled: true, channels: { interact: false, whatsapp: true }, workflowId: null } } },
      'instant-messaging-off',
    ],
    ['tenant Interact is off', { tenant: { interactEnabled: false } }, 'tenant-interact-disabled'],
    ['no member holds the IM license', { userLicense: false }, 'not-licensed'],
  ] as const)('refuses when %s', async (_name, over, code) => {
    const s = await setup(over as Parameters<typeof setup>[0]);
    const res = await getConfig(s);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe(code);
  });

  it('names the missing license', async () => {
    const s = await setup({
      tenant: {
        licenses: {
          interactService: { total: 1, assignees: [] },
          contactCenter: { total: 1, assignees: ['svc-web'] },
          imModality: { total: 1, assignees: ['agent-1'] },
        },
      },
    });
    const res = await getConfig(s);
    expect(await res.json()).toMatchObject({
      error: { code: 'not-licensed', details: { reasons: ['interact-service-addon-missing'] } },
    });
  });
});

describe('Restrict Access (domain templates)', () => {
  it.each([
    ['an exact allowed origin', ALLOWED, 200],
    ['a wildcard subdomain', 'https://eu.partner.example', 200],
    ['a deeper wildcard subdomain', 'https://a.b.partner.example', 200],
    ['the bare wildcard domain', 'https://partner.example', 403],
    ['an origin outside the whitelist', 'https://evil.example', 403],
    ['http instead of https', 'http://shop.example.com', 403],
  ])('%s → %i', async (_name, origin, status) => {
    const s = await setup();
    const res = await getConfig(s, origin);
    expect(res.status).toBe(status);
    if (status === 403) {
      // The refusal (and nothing else) is readable by the page, so the widget can say why.
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(await errorCode(res)).toBe('origin-not-allowed');
    }
  });

  it('refuses a request with no Origin', async () => {
    const s = await setup();
    const res = await getConfig(s, null);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('origin-required');
  });

  it('accepts any origin when Restrict Access is off', async () => {
    const s = await setup({ interact: { restrictAccess: false } });
    expect((await getConfig(s, 'https://anywhere.example')).status).toBe(200);
    expect((await getConfig(s, null)).status).toBe(200);
  });

  it('always allows our own preview page', async () => {
    const s = await setup();
    expect((await getConfig(s, new URL(app.baseUrl).origin)).status).toBe(200);
  });

  it('answers a CORS preflight only for allowed origins', async () => {
    const s = await setup();
    const ok = await fetch(api(`/contacts/${s.contactId}/chats`), {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-headers')).toContain('Authorization');
    const denied = await fetch(api(`/contacts/${s.contactId}/chats`), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(denied.status).toBe(403);
  });

  it('is enforced on chat calls too, not only on the config', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const res = await post(s, chat, 'messages', { text: 'from elsewhere' }, 'https://evil.example');
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('origin-not-allowed');
  });
});

describe('creating a chat', () => {
  it('creates the chat, its task and returns a visitor token', async () => {
    const s = await setup();
    const res = await createChat(s);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { chatId: string; token: string; expiresAt: number };
    expect(body.token).toMatch(/^v1\./);
    const chat = await app.chats.get(s.tenantId, body.chatId);
    expect(chat).toMatchObject({
      state: 'open',
      channel: 'interact',
      customer: { displayName: 'Casey Customer', email: 'casey@example.com' },
      task: { queue: serviceQueueScope('svc-web') },
    });
    const task = await app.routing.tasks.get({
      tenantId: s.tenantId,
      queue: serviceQueueScope('svc-web'),
      taskId: chat!.task!.id,
    });
    expect(task).toMatchObject({ state: 'queued', channel: 'interact', firstMessage: 'Hello' });
    const events = await app.chats.eventsAfter(s.tenantId, body.chatId, 0);
    expect(events[0]).toMatchObject({ kind: 'message', from: 'customer', text: 'Hello' });
  });

  it.each([
    ['a missing name', { displayName: '' }, 'displayName'],
    ['a name over 100 characters', { displayName: 'x'.repeat(101) }, 'displayName'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['no consent to the privacy policy', { consent: false }, 'consent'],
    ['a first message over 4,000 characters', { message: 'x'.repeat(4001) }, 'message'],
  ])('refuses %s, naming the field', async (_name, over, field) => {
    const s = await setup();
    const res = await createChat(s, form(s, over));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('invalid-request');
    expect(body.error.details.map((d) => d.path)).toEqual([field]);
  });

  it('refuses a wrong key in the form and stores nothing', async () => {
    const s = await setup();
    const res = await createChat(s, form(s, { key: 'wrong' }));
    expect(res.status).toBe(403);
    expect(await app.store.repos.tasks.query(s.tenantId, {}, serviceQueueScope('svc-web'))).toEqual([]);
  });
});

describe('chat calls and visitor tokens', () => {
  it('accepts a message with the token and stores it', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const res = await post(s, chat, 'messages', { text: 'Where is my order?' });
    expect(res.status).toBe(201);
    const { seq } = (await res.json()) as { seq: number };
    const events = await app.chats.eventsAfter(s.tenantId, chat.chatId, seq - 1);
    expect(events[0]).toMatchObject({ kind: 'message', from: 'customer', text: 'Where is my order?' });
  });

  it('refuses an empty message and one over 4,000 characters', async () => {
    const s = await setup();
    const chat = await startChat(s);
    expect((await post(s, chat, 'messages', { text: '   ' })).status).toBe(400);
    expect((await post(s, chat, 'messages', { text: 'x'.repeat(4001) })).status).toBe(400);
  });

  it('refuses a forged token, a token of another chat and an expired token', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const other = await startChat(s);
    const [payload, signature] = chat.token.split('.').slice(1);
    const forged = `v1.${Buffer.from(JSON.stringify({ tid: s.tenantId, chat: chat.chatId, contact: s.contactId, exp: Date.now() + 1e9 })).toString('base64url')}.${signature}`;
    const secret = await app.store.directory.secret('visitor-token-key');
    const expired = signVisitorToken(
      { tid: s.tenantId, chat: chat.chatId, contact: s.contactId, exp: Date.now() - 1 },
      secret,
    );
    const cases: [string, string][] = [
      [forged, 'bad-signature'],
      [`v1.${payload}.${'A'.repeat(43)}`, 'bad-signature'],
      [other.token, 'wrong-chat'],
      [expired, 'expired'],
      ['garbage', 'malformed'],
    ];
    for (const [token, reason] of cases) {
      const res = await post(s, { chatId: chat.chatId, token }, 'messages', { text: 'hi' });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid-token', details: { reason } } });
    }
    const none = await fetch(api(`/contacts/${s.contactId}/chats/${chat.chatId}/messages`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ALLOWED },
      body: '{"text":"hi"}',
    });
    expect(none.status).toBe(401);
  });

  it('rate-limits messages per chat with 429 and Retry-After', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await post(s, chat, 'messages', { text: `message ${i}` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('ends the chat as the customer: the task ends as left in the queue', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const stored = await app.chats.get(s.tenantId, chat.chatId);
    const res = await post(s, chat, 'end', {});
    expect(await res.json()).toEqual({ ended: true });
    expect((await app.chats.get(s.tenantId, chat.chatId))?.state).toBe('ended');
    expect(
      await app.store.repos.taskReports.get(s.tenantId, stored!.task!.id, serviceQueueScope('svc-web')),
    ).toMatchObject({
      outcome: 'customer-left-in-queue',
    });
    const after = await post(s, chat, 'messages', { text: 'still there?' });
    expect(after.status).toBe(409);
  });
});

describe('the event stream', () => {
  it('sends stored events, then live ones; a client that reconnects with Last-Event-ID misses nothing', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const first = await openSse(streamUrl(s, chat), { origin: ALLOWED });
    expect(first.status).toBe(200);
    const initial = await first.until((e) => e.event === 'status');
    expect(initial.map((e) => e.event)).toEqual(['message', 'status']);
    expect(JSON.parse(initial[1]!.data)).toMatchObject({ state: 'waiting', position: 1 });
    const lastSeen = initial[1]!.id!;
    first.close();

    // While disconnected: an agent writes twice (as the Teams relay would) and the customer once.
    await app.chats.postMessage(s.tenantId, chat.chatId, 'agent', 'Alex', 'Hi Casey');
    await post(s, chat, 'messages', { text: 'Hi!' });
    await app.chats.postMessage(s.tenantId, chat.chatId, 'agent', 'Alex', 'How can I help?');

    const second = await openSse(streamUrl(s, chat), { origin: ALLOWED, 'last-event-id': lastSeen });
    const resumed = await second.until((e) => e.data.includes('How can I help?'));
    // First the event the client says it has, as it was (so it can tell the log did not change), then the rest.
    expect(resumed[0]).toEqual(initial[1]);
    expect(resumed.slice(1).map((e) => JSON.parse(e.data).text)).toEqual(['Hi Casey', 'Hi!', 'How can I help?']);
    expect(resumed.map((e) => Number(e.id))).toEqual([2, 3, 4, 5]);

    // Live: a message stored now arrives on the open stream.
    await app.chats.postMessage(s.tenantId, chat.chatId, 'agent', 'Alex', '<img src=x onerror=alert(1)>');
    const live = await second.next();
    expect(JSON.parse(live.data)).toMatchObject({ from: 'agent', text: '<img src=x onerror=alert(1)>' });
    second.close();
  });

  it('answers "reset" and then the whole log to a client that is further on than the log', async () => {
    const s = await setup();
    const chat = await startChat(s);
    // A client that saw 40 events of this chat, from a log that is not there any more.
    const stream = await openSse(streamUrl(s, chat), { origin: ALLOWED, 'last-event-id': '40' });
    const events = await stream.until((e) => e.event === 'status');
    stream.close();
    expect(events.map((e) => e.event)).toEqual(['reset', 'message', 'status']);
    expect(JSON.parse(events[0]!.data)).toEqual({ lastSeq: 2 });
    expect(events.slice(1).map((e) => Number(e.id))).toEqual([1, 2]);
  });

  it('delivers an event another process stored at the next heartbeat when the change feed is off', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const stream = await openSse(streamUrl(s, chat), { origin: ALLOWED });
    await stream.until((e) => e.event === 'status');
    // Written straight to the store, as a second process would: this process's live listeners hear nothing.
    const numbered = await app.store.repos.chats.increment(
      s.tenantId,
      chat.chatId,
      'lastSeq',
      1,
      chatScope(chat.chatId),
    );
    await app.store.repos.chatEvents.create({
      id: `e-${String(numbered.lastSeq).padStart(10, '0')}`,
      tenantId: s.tenantId,
      type: 'chatEvent',
      chatId: chat.chatId,
      seq: numbered.lastSeq,
      at: Date.now(),
      kind: 'message',
      from: 'agent',
      authorName: 'Alex',
      text: 'from the other process',
      audience: 'all',
    });
    const event = await stream.until((e) => e.data.includes('from the other process'), 3000);
    expect(Number(event[event.length - 1]!.id)).toBe(numbered.lastSeq);
    stream.close();
  });

  it('relays the agent typing, and closes after the chat ends', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const stream = await openSse(streamUrl(s, chat), { origin: ALLOWED });
    await stream.until((e) => e.event === 'status');
    app.chats.typing(s.tenantId, chat.chatId, 'agent', true);
    expect(await stream.next()).toMatchObject({
      event: 'typing',
      id: undefined,
      data: JSON.stringify({ from: 'agent', typing: true }),
    });
    await post(s, chat, 'end', {});
    const ended = await stream.until((e) => e.event === 'status' && JSON.parse(e.data).state === 'ended');
    expect(ended.length).toBeGreaterThan(0);
    await stream.ended;
  });

  it('refuses a stream without a valid token', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const stream = await openSse(streamUrl(s, { chatId: chat.chatId, token: 'v1.x.y' }), { origin: ALLOWED });
    expect(stream.status).toBe(401);
    stream.close();
  });
});

describe('OpenAPI', () => {
  it('documents every endpoint from the same schemas', async () => {
    const doc = (await (await fetch(api('/openapi.json'))).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: { 'application/json': { schema: { properties: Record<string, { maxLength?: number }> } } };
            };
          }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/beacons/contacts/{contactId}/chats/{chatId}/leave',
      '/contacts/{contactId}',
      '/contacts/{contactId}/chats',
      '/contacts/{contactId}/chats/{chatId}/end',
      '/contacts/{contactId}/chats/{chatId}/events',
      '/contacts/{contactId}/chats/{chatId}/messages',
      '/contacts/{contactId}/chats/{chatId}/typing',
    ]);
    expect(
      doc.paths['/contacts/{contactId}/chats']!.post!.requestBody!.content['application/json'].schema.properties
        .displayName!.maxLength,
    ).toBe(100);
  });
});

describe('direct contact of a user', () => {
  /** User Y with the given licenses, reachable in Teams and available. */
  const directUser = async (licenses: { imModality: boolean }) => {
    const tenantId = newTenantId();
    const { store } = app;
    await store.repos.tenants.create(
      tenantFixture(tenantId, {
        licenses: {
          interactUser: { total: 1, assignees: ['user-y'] },
          imModality: { total: 1, assignees: licenses.imModality ? ['user-y'] : [] },
        },
      }),
    );
    await store.repos.systemMessages.create(
      systemMessages(tenantId, 'sm-y', { name: 'Direct', toCustomer: { onCreate: 'Yvonne will answer shortly.' } }),
    );
    const userY: User = userFixture(tenantId, 'user-y', {
      interact: interactSettings({
        contactId: `ct-y-${tenantId}`,
        widgetKey: 'y'.repeat(32),
        directSystemMessagesId: 'sm-y',
      }),
    });
    await store.repos.users.create(userY);
    await store.directory.registerContact({
      id: userY.interact.contactId,
      tenantId,
      target: { kind: 'user', userId: 'user-y' },
    });
    await app.routing.agents.setReachable(tenantId, 'user-y', true);
    await app.routing.agents.setPresence(tenantId, 'user-y', 'available');
    return { tenantId, userY };
  };

  it('refuses a chat for a user with the Interact user license but no IM modality license', async () => {
    const { userY } = await directUser({ imModality: false });
    const res = await fetch(api(`/contacts/${userY.interact.contactId}/chats`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://any.example' },
      body: JSON.stringify({ key: 'y'.repeat(32), displayName: 'Dana', email: 'dana@example.com', consent: true }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: 'not-licensed', details: { reasons: ['im-modality-license-missing'] } },
    });
  });

  it('creates a chat offered to that user only', async () => {
    const { tenantId, userY } = await directUser({ imModality: true });
    const res = await fetch(api(`/contacts/${userY.interact.contactId}/chats`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://any.example' },
      body: JSON.stringify({ key: 'y'.repeat(32), displayName: 'Dana', email: 'dana@example.com', consent: true }),
    });
    expect(res.status).toBe(201);
    const { chatId } = (await res.json()) as { chatId: string };
    await app.routing.idle();
    const chat = await app.chats.get(tenantId, chatId);
    const task = await app.routing.tasks.get({ tenantId, queue: userScope('user-y'), taskId: chat!.task!.id });
    expect(task?.offers.map((o) => [o.userId, o.state])).toEqual([['user-y', 'pending']]);
    // The user's direct system messages greet the customer.
    const texts = (await app.chats.eventsAfter(tenantId, chatId, 0)).flatMap((e) =>
      e.kind === 'message' ? [e.text] : [],
    );
    expect(texts).toContain('Yvonne will answer shortly.');
  });
});
