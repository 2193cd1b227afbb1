import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import twilio from 'twilio';
import type { App } from '../../../bot/src/app';
import { threadId } from '../../../bot/src/core/model';
import { startTestApp } from '../../helpers/app';
import { service, tenant, user } from '../../helpers/fixtures';
import { eventually } from '../../helpers/process';
import { chatScope, serviceQueueScope, whatsappThreadScope } from '../../../bot/src/store/partition-keys';
import { newTenantId } from '../../helpers/store';
import { devSignIn, tabCall } from '../../helpers/tab-calls';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const TOKEN = 'twilio-auth-token-0123456789abcdef';
const SENDER = '+14155550100';
const CUSTOMER = '+41791234567';
const TEMPLATE = `HX${'a'.repeat(32)}`;
const OUT_SID = `SM${'0a'.repeat(16)}`;
const TPL_SID = `SM${'0b'.repeat(16)}`;
const TWILIO = 'https://api.twilio.com';
const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;

let app: App;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  app = await startTestApp({ DEMO_TENANT: 'false' }, { whatsapp: { baseDelayMs: 5 } });
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await app.close();
});
afterEach(() => nock.cleanAll());

/** A tenant whose service is reachable by WhatsApp, with a connector created through the admin API. */
async function setup(over: { licensed?: boolean } = {}) {
  const tenantId = newTenantId();
  const { store } = app;
  await store.repos.tenants.create(
    tenant(tenantId, {
      adminUserIds: ['admin'],
      licenses: {
        contactCenter: { total: 1, assignees: over.licensed === false ? [] : ['svc'] },
        imModality: { total: 1, assignees: ['alex'] },
      },
    }),
  );
  await store.repos.users.create(user(tenantId, 'admin'));
  await store.repos.users.create(user(tenantId, 'alex', { displayName: 'Alex Wilber' }));
  await store.repos.services.create(
    service(tenantId, 'svc', {
      members: [{ userId: 'alex', active: true }],
      im: { enabled: true, channels: { interact: false, whatsapp: true }, workflowId: null },
    }),
  );
  const token = await devSignIn(app, tenantId, 'admin');
  const save = (body: unknown) => tabCall(app, 'PUT', '/whatsapp/connectors/new', token, body);
  return { tenantId, token, save };
}

async function connected() {
  const s = await setup();
  const res = await s.save({
    accountSid: ACCOUNT,
    authToken: TOKEN,
    senders: [{ number: SENDER, serviceId: 'svc' }],
    templateContentSid: TEMPLATE,
  });
  expect(res.status).toBe(201);
  const view = (await res.json()) as { id: string; webhookUrl: string };
  await app.routing.agents.setReachable(s.tenantId, 'alex', true);
  await app.routing.agents.setPresence(s.tenantId, 'alex', 'available');
  return { ...s, connectorId: view.id, webhookUrl: view.webhookUrl };
}

const inboundParams = (over: Record<string, string> = {}) => ({
  MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`,
  AccountSid: ACCOUNT,
  From: `whatsapp:${CUSTOMER}`,
  To: `whatsapp:${SENDER}`,
  Body: 'Hello, my order is late',
  NumMedia: '0',
  ProfileName: 'Wanda Customer',
  WaId: CUSTOMER.slice(1),
  // Twilio adds fields over time; unknown ones are accepted.
  SmsMessageSid: 'SMxyz',
  ...over,
});

function post(
  url: string,
  params: Record<string, string>,
  signature: string | null = twilio.getExpectedTwilioSignature(TOKEN, url, params),
) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature ? { 'x-twilio-signature': signature } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
}

const liveTasks = (tenantId: string) => app.store.repos.tasks.query(tenantId, {}, serviceQueueScope('svc'));

/**
 * The delivery of chat event `seq`, found by its fields: its document id is the WhatsApp service's own
 * scheme, which has no builder in store/partition-keys.ts.
 */
async function deliveryOf(tenantId: string, chatId: string, seq: number) {
  const found = (await app.store.repos.deliveries.all(tenantId, chatScope(chatId))).filter((d) => d.seq === seq);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The text of the first message in the chat of the tenant's one live task ('' when there is none). */
async function firstMessageText(tenantId: string): Promise<string> {
  const [task] = await liveTasks(tenantId);
  const message = (await app.chats.eventsAfter(tenantId, task!.chatId, 0)).find((e) => e.kind === 'message');
  return message?.kind === 'message' ? message.text : '';
}

/** A customer's first message becomes a task, and Alex accepts it. */
async function acceptedChat(s: { webhookUrl: string; tenantId: string }) {
  await post(s.webhookUrl, inboundParams());
  await app.routing.idle();
  const [task] = await liveTasks(s.tenantId);
  const ref = { tenantId: s.tenantId, queue: serviceQueueScope('svc'), taskId: task!.id };
  const offer = (await app.routing.tasks.get(ref))!.offers.find((o) => o.state === 'pending')!;
  expect((await app.routing.tasks.accept(ref, offer.id, 'alex')).ok).toBe(true);
  await eventually(async () => (await app.chats.get(s.tenantId, task!.chatId))?.agent ?? undefined);
  return { task, ref };
}

/** Where Twilio serves the `n`th test message's media. */
const mediaPath = (n: number) => `/2010-04-01/Accounts/${ACCOUNT}/Messages/MM${n}/Media/ME${n}`;

/** Twilio's Messages endpoint giving these answers in turn; `bodies` collects the text each call sent. */
function twilioAnswering(
  ...answers: [status: number, body: Record<string, unknown>, headers?: Record<string, string>][]
) {
  const bodies: string[] = [];
  const record = (body: Record<string, string>) => {
    bodies.push(body.Body!);
    return true;
  };
  let scope = nock(TWILIO);
  for (const [status, body, headers] of answers) scope = scope.post(MESSAGES, record).reply(status, body, headers);
  return { scope, bodies };
}

describe('WhatsApp connector administration', () => {
  it('never returns the auth token, and gives the webhook URL to configure in Twilio', async () => {
    const s = await connected();
    const list = await fetch(`${app.baseUrl}/api/v1/whatsapp/connectors`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    const body = JSON.stringify(await list.json());
    expect(body).not.toContain(TOKEN);
    expect(body).toContain('"authTokenSet":true');
    expect(s.webhookUrl).toBe(`${app.baseUrl}/whatsapp/v1/webhook/${s.connectorId}`);
  });

  it('refuses a number for a service without the Contact Center license, naming the reason', async () => {
    const s = await setup({ licensed: false });
    const res = await s.save({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      senders: [{ number: SENDER, serviceId: 'svc' }],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('Contact Center license missing on the service.');
  });
});

describe('inbound webhook', () => {
  it('accepts a signed message: a chat and a task for the service, customer = profile name and number', async () => {
    const s = await connected();
    const res = await post(s.webhookUrl, inboundParams());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/xml');
    const [task] = await liveTasks(s.tenantId);
    expect(task).toMatchObject({
      channel: 'whatsapp',
      customer: { displayName: 'Wanda Customer', address: CUSTOMER },
      firstMessage: 'Hello, my order is late',
      state: 'queued',
    });
    const events = await app.chats.eventsAfter(s.tenantId, task!.chatId, 0);
    expect(events[0]).toMatchObject({ kind: 'message', from: 'customer', text: 'Hello, my order is late' });
  });

  it.each([
    [
      'a tampered body',
      (url: string, p: Record<string, string>) =>
        post(url, { ...p, Body: 'tampered' }, twilio.getExpectedTwilioSignature(TOKEN, url, p)),
    ],
    [
      'a signature for another URL',
      (url: string, p: Record<string, string>) =>
        post(url, p, twilio.getExpectedTwilioSignature(TOKEN, `${url}?x=1`, p)),
    ],
    [
      'another auth token',
      (url: string, p: Record<string, string>) =>
        post(url, p, twilio.getExpectedTwilioSignature('another-token-0123456789', url, p)),
    ],
    ['no signature header', (url: string, p: Record<string, string>) => post(url, p, null)],
    [
      'a signature for a host the client names in X-Forwarded-Host (no trusted proxy)',
      (url: string, p: Record<string, string>) => {
        const spoofed = url.replace(/^https?:\/\/[^/]+/, 'https://attacker.example');
        return fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-forwarded-host': 'attacker.example',
            'x-forwarded-proto': 'https',
            'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, spoofed, p),
          },
          body: new URLSearchParams(p).toString(),
        });
      },
    ],
  ])('refuses %s with 403 and stores nothing', async (_name, send) => {
    const s = await connected();
    const res = await send(s.webhookUrl, inboundParams());
    expect(res.status).toBe(403);
    expect(await liveTasks(s.tenantId)).toEqual([]);
  });

  it('refuses a signed request whose MessageSid is not a Twilio id with 400 and stores nothing', async () => {
    const s = await connected();
    for (const sid of ['SM/../../x', `SM${'a'.repeat(31)}#`, 'x'.repeat(300)]) {
      expect((await post(s.webhookUrl, inboundParams({ MessageSid: sid }))).status).toBe(400);
    }
    expect(await liveTasks(s.tenantId)).toEqual([]);
  });

  it('processes a repeated MessageSid once', async () => {
    const s = await connected();
    const params = inboundParams();
    for (let i = 0; i < 3; i++) expect((await post(s.webhookUrl, params)).status).toBe(200);
    const [task] = await liveTasks(s.tenantId);
    const messages = (await app.chats.eventsAfter(s.tenantId, task!.chatId, 0)).filter((e) => e.kind === 'message');
    expect(messages).toHaveLength(1);
  });

  it('joins the open chat of that number instead of opening another', async () => {
    const s = await connected();
    await post(s.webhookUrl, inboundParams());
    await post(s.webhookUrl, inboundParams({ Body: 'Are you there?' }));
    const tasks = await liveTasks(s.tenantId);
    expect(tasks).toHaveLength(1);
    const texts = (await app.chats.eventsAfter(s.tenantId, tasks[0]!.chatId, 0)).flatMap((e) =>
      e.kind === 'message' ? [e.text] : [],
    );
    expect(texts).toEqual(['Hello, my order is late', 'Are you there?']);
  });

  it('offers inbound media to the agent as a link through our server, fetched with the account credentials', async () => {
    const s = await connected();
    const mediaUrl = `${TWILIO}${mediaPath(1)}`;
    await post(
      s.webhookUrl,
      inboundParams({ Body: 'See the photo', NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: 'image/jpeg' }),
    );
    const link = /\[image\/jpeg\] (\S+)/.exec(await firstMessageText(s.tenantId))?.[1];
    expect(link).toMatch(new RegExp(`^${app.baseUrl}/whatsapp/v1/media/`));
    const fetched = nock(TWILIO)
      .get(mediaPath(1))
      .matchHeader('authorization', `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`)
      .reply(200, Buffer.from('JPEGDATA'), { 'content-type': 'image/jpeg' });
    const res = await fetch(link!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('JPEGDATA');
    expect(fetched.isDone()).toBe(true);
    expect((await fetch(`${link!.slice(0, -4)}AAAA`)).status).toBe(404);
  });

  it('takes media links only from Twilio, and serves what a customer sent so that it cannot run script here', async () => {
    const s = await connected();
    const foreign = [
      'https://127.0.0.1/x',
      'https://evil.example/2010-04-01/Media/ME1',
      'http://api.twilio.com/x',
      'https://api.twilio.com.evil.example/x',
      'https://api.twilio.com:8443/x',
    ];
    const html = `${TWILIO}${mediaPath(2)}`;
    const params: Record<string, string> = { Body: 'files', NumMedia: String(foreign.length + 1) };
    foreign.forEach((url, i) => (params[`MediaUrl${i}`] = url));
    params[`MediaUrl${foreign.length}`] = html;
    params[`MediaContentType${foreign.length}`] = 'text/html';
    await post(s.webhookUrl, inboundParams(params));
    const links = [...(await firstMessageText(s.tenantId)).matchAll(/\] (\S+)/g)].map((m) => m[1]!);
    expect(links).toHaveLength(1);
    nock(TWILIO).get(mediaPath(2)).reply(200, '<script>alert(1)</script>', { 'content-type': 'text/html' });
    const res = await fetch(links[0]!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('does not follow a media redirect to an internal address', async () => {
    const s = await connected();
    const internal = http.createServer((_req, res) => res.end('internal')).listen(0, '127.0.0.1');
    await new Promise((resolve) => internal.once('listening', resolve));
    let reached = 0;
    internal.on('request', () => reached++);
    const port = (internal.address() as AddressInfo).port;
    try {
      const mediaUrl = `${TWILIO}${mediaPath(3)}`;
      await post(
        s.webhookUrl,
        inboundParams({ Body: 'photo', NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: 'image/jpeg' }),
      );
      const link = /\] (\S+)/.exec(await firstMessageText(s.tenantId))?.[1];
      nock(TWILIO)
        .get(mediaPath(3))
        .reply(302, '', { location: `http://127.0.0.1:${port}/secret` });
      const res = await fetch(link!);
      expect(res.status).toBe(404);
      expect(reached).toBe(0);
    } finally {
      internal.close();
    }
  });
});

describe('a WhatsApp conversation', () => {
  it('inbound → task → agent accepts → the reply goes out through Twilio → the status callback updates it; reported as WhatsApp', async () => {
    const s = await connected();
    const { task, ref } = await acceptedChat(s);

    let sent: Record<string, string> | undefined;
    const scope = nock(TWILIO)
      .post(MESSAGES, (body: Record<string, string>) => {
        sent = body;
        return true;
      })
      .matchHeader('authorization', `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`)
      .reply(201, { sid: OUT_SID, status: 'queued' });
    const reply = await app.chats.postMessage(s.tenantId, task!.chatId, 'agent', 'Alex', 'Let me check that for you.');
    await app.whatsapp.idle();
    expect(scope.isDone()).toBe(true);
    expect(sent).toMatchObject({
      From: `whatsapp:${SENDER}`,
      To: `whatsapp:${CUSTOMER}`,
      Body: 'Let me check that for you.',
    });
    const seq = reply.ok ? reply.value.seq : -1;
    expect(sent?.StatusCallback).toBe(
      `${app.baseUrl}/whatsapp/v1/status/${s.connectorId}?chat=${encodeURIComponent(task!.chatId)}&seq=${seq}`,
    );
    expect(await deliveryOf(s.tenantId, task!.chatId, seq)).toMatchObject({
      status: 'queued',
      providerMessageId: OUT_SID,
    });

    for (const status of ['delivered', 'sent']) {
      const callback = { MessageSid: OUT_SID, MessageStatus: status, AccountSid: ACCOUNT };
      expect((await post(sent!.StatusCallback!, callback)).status).toBe(204);
    }
    // A late "sent" does not move "delivered" back.
    expect(await deliveryOf(s.tenantId, task!.chatId, seq)).toMatchObject({
      status: 'delivered',
    });

    expect((await app.routing.tasks.end(ref, 'accepted')).ok).toBe(true);
    expect(await app.store.repos.taskReports.get(s.tenantId, task!.id, serviceQueueScope('svc'))).toMatchObject({
      channel: 'whatsapp',
      outcome: 'accepted',
      acceptedByUserId: 'alex',
    });
  });

  it("sends a supervisor's barge-in to WhatsApp and never their whisper", async () => {
    const s = await connected();
    await app.store.repos.users.create(user(s.tenantId, 'sue', { displayName: 'Sue Supervisor' }));
    await app.store.repos.services.update(s.tenantId, 'svc', (svc) => ({ ...svc, supervisorUserIds: ['sue'] }));
    const { task } = await acceptedChat(s);
    await app.whatsapp.idle();

    const twilioGot = twilioAnswering(
      [201, { sid: `SM${'0c'.repeat(16)}`, status: 'queued' }],
      [201, { sid: `SM${'0d'.repeat(16)}`, status: 'queued' }],
    );
    const sue = await devSignIn(app, s.tenantId, 'sue');
    const say = (what: string, text: string) =>
      tabCall(app, 'POST', `/supervision/chats/${task!.chatId}/${what}`, sue, { text });
    expect((await say('whisper', 'Psst: offer the voucher')).status).toBe(201);
    expect((await say('barge-in', 'Hello, I am the team lead.')).status).toBe(201);
    await eventually(() => (twilioGot.bodies.length >= 2 ? true : undefined));
    await app.whatsapp.idle();
    expect(twilioGot.bodies).toEqual([
      'Sue Supervisor (supervisor) joined the conversation.',
      'Hello, I am the team lead.',
    ]);
    // The whisper is stored (the agent reads it) but has no WhatsApp delivery.
    const events = await app.chats.eventsAfter(s.tenantId, task!.chatId, 0);
    const whisper = events.find((e) => e.kind === 'message' && e.text === 'Psst: offer the voucher')!;
    const deliveries = await app.store.repos.deliveries.all(s.tenantId, chatScope(task!.chatId));
    expect(deliveries.some((d) => d.seq === whisper.seq)).toBe(false);
  });

  it('delivers each reply once and in order when Twilio answers 429 first', async () => {
    const s = await connected();
    await post(s.webhookUrl, inboundParams());
    const [task] = await liveTasks(s.tenantId);
    const { scope, bodies } = twilioAnswering(
      [429, { code: 20429, message: 'Too Many Requests' }, { 'retry-after': '0' }],
      [201, { sid: 'SM1', status: 'queued' }],
      [503, { message: 'Service Unavailable' }],
      [201, { sid: 'SM2', status: 'queued' }],
    );
    const first = await app.chats.postMessage(s.tenantId, task!.chatId, 'agent', 'Alex', 'first');
    const second = await app.chats.postMessage(s.tenantId, task!.chatId, 'agent', 'Alex', 'second');
    await app.whatsapp.idle();
    expect(scope.isDone()).toBe(true);
    expect(bodies).toEqual(['first', 'first', 'second', 'second']);
    const delivery = (r: typeof first) => deliveryOf(s.tenantId, task!.chatId, r.ok ? r.value.seq : 0);
    expect(await delivery(first)).toMatchObject({ status: 'queued', providerMessageId: 'SM1', attempts: 2 });
    expect(await delivery(second)).toMatchObject({ status: 'queued', providerMessageId: 'SM2', attempts: 2 });
  });

  it('splits a reply longer than one WhatsApp message at 1600 characters, in order, never cutting an emoji', async () => {
    const s = await connected();
    await post(s.webhookUrl, inboundParams());
    const [task] = await liveTasks(s.tenantId);
    const { scope, bodies } = twilioAnswering(
      [201, { sid: 'SM1', status: 'queued' }],
      [201, { sid: 'SM2', status: 'queued' }],
    );
    const reply = await app.chats.postMessage(
      s.tenantId,
      task!.chatId,
      'agent',
      'Alex',
      `${'a'.repeat(1599)}😀 and the rest`,
    );
    await app.whatsapp.idle();
    expect(scope.isDone()).toBe(true);
    expect(bodies).toEqual(['a'.repeat(1599), '😀 and the rest']);
    expect(await deliveryOf(s.tenantId, task!.chatId, reply.ok ? reply.value.seq : 0)).toMatchObject({
      status: 'queued',
      providerMessageId: 'SM2',
      attempts: 2,
    });
  });

  it('records a reply that still fails and tells the agent, never dropping it silently', async () => {
    const s = await connected();
    await post(s.webhookUrl, inboundParams());
    const [task] = await liveTasks(s.tenantId);
    nock(TWILIO)
      .post(MESSAGES)
      .reply(400, { code: 63007, message: 'Twilio could not find a Channel with the specified From address' });
    const reply = await app.chats.postMessage(s.tenantId, task!.chatId, 'agent', 'Alex', 'hello');
    await app.whatsapp.idle();
    expect(await deliveryOf(s.tenantId, task!.chatId, reply.ok ? reply.value.seq : 0)).toMatchObject({
      status: 'failed',
      errorCode: '63007',
    });
    const notes = (await app.chats.eventsAfter(s.tenantId, task!.chatId, 0)).filter(
      (e) => e.kind === 'message' && e.audience === 'agent',
    );
    expect(notes.map((n) => (n.kind === 'message' ? n.text : ''))).toEqual([expect.stringContaining('error 63007')]);
  });

  it('outside the 24-hour window: no free text is attempted, the agent is told, and the approved template can be sent', async () => {
    const s = await connected();
    await post(s.webhookUrl, inboundParams());
    const [task] = await liveTasks(s.tenantId);
    const id = threadId('svc', CUSTOMER);
    await app.store.repos.whatsappThreads.update(
      s.tenantId,
      id,
      (t) => ({ ...t, lastInboundAt: Date.now() - 25 * 3600 * 1000 }),
      { scope: whatsappThreadScope('svc') },
    );

    const reply = await app.chats.postMessage(s.tenantId, task!.chatId, 'agent', 'Alex', 'Sorry for the wait');
    await app.whatsapp.idle();
    expect(nock.pendingMocks()).toEqual([]);
    expect(await deliveryOf(s.tenantId, task!.chatId, reply.ok ? reply.value.seq : 0)).toMatchObject({
      status: 'not-sent',
      reason: 'outside the 24-hour customer-service window',
    });
    const note = (await app.chats.eventsAfter(s.tenantId, task!.chatId, 0)).find(
      (e) => e.kind === 'message' && e.audience === 'agent',
    );
    expect(note?.kind === 'message' && note.text).toContain('Send the approved template instead.');

    let sent: Record<string, string> | undefined;
    nock(TWILIO)
      .post(MESSAGES, (body: Record<string, string>) => {
        sent = body;
        return true;
      })
      .reply(201, { sid: TPL_SID, status: 'queued' });
    expect(await app.whatsapp.sendTemplate(s.tenantId, task!.chatId)).toEqual({ ok: true, value: null });
    await app.whatsapp.idle();
    expect(sent).toMatchObject({ ContentSid: TEMPLATE, To: `whatsapp:${CUSTOMER}` });
    expect(sent?.Body).toBeUndefined();
  });
});
