import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { App } from '../../../bot/src/app';
import { AgentView } from '../../../bot/src/contracts';
import type { LaneSleep } from '../../../bot/src/services/delivery';
import { ManualClock } from '../../../bot/src/services/routing';
import { AGENTS_SCOPE, PRESENCE_SCOPE } from '../../../bot/src/store';
import { tenant as tenantFixture, user as userFixture } from '../../helpers/fixtures';
import { newTenantId } from '../../helpers/store';
import { ssoToken, startSignOnApp } from '../../helpers/tab-api';

/**
 * Teams presence from Microsoft Graph against the real app (Bot Framework mode, so it has the app's
 * credentials) and the real store; the identity platform and Graph are nock'd. Each test starts its own
 * app on a manual clock, with the presence loop left to the test (`tick`).
 */
const LOGIN = 'https://login.microsoftonline.com';
const GRAPH = 'https://graph.microsoft.com';
const PUBLIC = 'https://cc.example.com';
const TOKEN = 'graph-token-for-presence';
const HOUR = 60 * 60_000;

const waits: { ms: number; why: string }[] = [];
const sleep: LaneSleep = async (ms, _signal, why) => {
  waits.push({ ms, why });
};

let app: App;
let clock: ManualClock;
let closeApp: () => Promise<void>;
const url = (path: string) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${path}`;

async function start(env: Record<string, string> = {}): Promise<void> {
  clock = new ManualClock();
  waits.length = 0;
  const started = await startSignOnApp(
    { PUBLIC_BASE_URL: PUBLIC, ...env },
    { clock, delivery: { sleep, random: () => 0 }, teamsPresence: { loop: false } },
  );
  app = started.app;
  closeApp = () => started.close();
}
/** Requests nock had no interceptor for: a pass that should not call Graph must leave this empty. */
const unmatched: string[] = [];
nock.emitter.on('no match', (req: { hostname?: string; path?: string; method?: string }) => {
  if (req.hostname === 'graph.microsoft.com' || req.hostname === 'login.microsoftonline.com')
    unmatched.push(`${req.method} ${req.hostname}${req.path}`);
});
beforeEach(() => (unmatched.length = 0));
afterEach(async () => {
  expect(unmatched).toEqual([]);
  nock.abortPendingRequests();
  await closeApp();
});

const agentOf = (tenantId: string, userId: string) => app.store.repos.agents.get(tenantId, userId, AGENTS_SCOPE);
const agentIds = (n: number) => Array.from({ length: n }, (_, i) => `0000000${i + 1}-aaaa-4bbb-8ccc-dddddddddddd`);

/** A tenant whose IM licenses are held by these agents, each with a manual status. */
async function seedTenant(userIds: string[], presence: 'available' | 'away' = 'available'): Promise<string> {
  const tenantId = newTenantId();
  await app.store.repos.tenants.create(
    tenantFixture(tenantId, { licenses: { imModality: { total: userIds.length, assignees: userIds } } }),
  );
  for (const id of userIds) {
    await app.store.repos.users.create(userFixture(tenantId, id, { im: { enabled: true, maxConcurrentChats: null } }));
    await app.routing.agents.setPresence(tenantId, id, presence);
  }
  return tenantId;
}

/** The token endpoint of the tenant (cached afterwards). */
const tokenEndpoint = (tenantId: string) =>
  nock(LOGIN)
    .post(`/${tenantId}/oauth2/v2.0/token`)
    .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: TOKEN });
/** Graph, where every request must carry the app's token. */
const graph = () => nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } });

/** Creates the tenant's subscription through a tick; returns what Graph was sent and the stored subscription. */
async function subscribe(tenantId: string, userIds: string[], subscriptionId = 'sub-1') {
  const bodies: Record<string, unknown>[] = [];
  const login = tokenEndpoint(tenantId);
  const scope = graph()
    .post('/v1.0/subscriptions', (body: Record<string, unknown>) => {
      bodies.push(body);
      return true;
    })
    .reply(201, () => ({
      id: subscriptionId,
      resource: bodies[0]!.resource,
      expirationDateTime: bodies[0]!.expirationDateTime,
    }))
    // Right after subscribing, what Teams says now is read once (notifications tell changes only).
    .post('/v1.0/communications/getPresencesByUserId', { ids: userIds })
    .reply(200, { value: [] });
  await app.teamsPresence.tick();
  expect(login.isDone()).toBe(true);
  expect(scope.isDone()).toBe(true);
  const stored = await app.store.repos.presenceSubscriptions.get(tenantId, subscriptionId, PRESENCE_SCOPE);
  return { bodies, stored };
}

const notify = async (path: string, body: unknown) =>
  fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const presenceNotification = (
  tenantId: string,
  userId: string,
  clientState: string,
  data: { availability: string; activity: string },
) => ({
  value: [
    {
      subscriptionId: 'sub-1',
      clientState,
      tenantId,
      changeType: 'updated',
      resource: `communications/presences('${userId}')`,
      subscriptionExpirationDateTime: new Date(clock.now() + HOUR).toISOString(),
      resourceData: {
        '@odata.type': '#Microsoft.Graph.presence',
        '@odata.id': `communications/presences('${userId}')`,
        id: null,
        ...data,
      },
    },
  ],
});

describe('Teams presence through change notifications', () => {
  beforeEach(async () => start());

  it('creates a subscription on the licensed agents with its own clientState, expiring in an hour', async () => {
    const ids = agentIds(2);
    const tenantId = await seedTenant(ids);
    const { bodies, stored } = await subscribe(tenantId, ids);
    expect(bodies).toEqual([
      {
        changeType: 'updated',
        notificationUrl: `${PUBLIC}/api/graph/presence`,
        lifecycleNotificationUrl: `${PUBLIC}/api/graph/presence/lifecycle`,
        resource: `/communications/presences?$filter=id in ('${ids[0]}','${ids[1]}')`,
        expirationDateTime: new Date(clock.now() + HOUR).toISOString(),
        clientState: stored.clientState,
      },
    ]);
    expect(stored.clientState.length).toBeGreaterThanOrEqual(32);
    expect(stored).toMatchObject({ userIds: ids, expiresAt: clock.now() + HOUR, renewedAt: null });
    // Nothing changed: the next pass neither creates nor renews (no Graph request is expected).
    await app.teamsPresence.tick();
  });

  it('answers the validation handshake by echoing the token as text/plain', async () => {
    for (const path of ['/api/graph/presence', '/api/graph/presence/lifecycle']) {
      const res = await fetch(url(`${path}?validationToken=${encodeURIComponent('Validation: Token 123&x')}`), {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('Validation: Token 123&x');
    }
  });

  it('ignores a notification with a wrong clientState and applies a good one', async () => {
    const [alex] = agentIds(1);
    const tenantId = await seedTenant([alex!]);
    const { stored } = await subscribe(tenantId, [alex!]);

    const forged = await notify(
      '/api/graph/presence',
      presenceNotification(tenantId, alex!, 'not-the-secret', { availability: 'Offline', activity: 'Offline' }),
    );
    expect(forged.status).toBe(202);
    await app.teamsPresence.idle();
    expect((await agentOf(tenantId, alex!)).teams ?? null).toBeNull();

    const good = await notify(
      '/api/graph/presence',
      presenceNotification(tenantId, alex!, stored.clientState, { availability: 'Busy', activity: 'InACall' }),
    );
    expect(good.status).toBe(202);
    await app.teamsPresence.idle();
    const agent = await agentOf(tenantId, alex!);
    expect(agent).toMatchObject({
      presence: 'available',
      teams: { availability: 'Busy', activity: 'InACall', at: clock.now() },
    });

    // My Sessions in the tab shows which layer wins and why.
    const res = await fetch(url('/api/v1/me/sessions'), {
      headers: { authorization: `Bearer ${ssoToken({ tid: tenantId, oid: alex! })}` },
    });
    expect(res.status).toBe(200);
    const { agent: view } = (await res.json()) as { agent: unknown };
    expect(AgentView.parse(view).effective).toEqual({
      presence: 'busy',
      blockedBy: 'call',
      source: 'teams',
      why: 'Teams says you are in a call: no offers until it ends.',
    });
  });

  it('renews a subscription before it expires, as the clock moves', async () => {
    const ids = agentIds(1);
    const tenantId = await seedTenant(ids);
    const { stored } = await subscribe(tenantId, ids);
    // 40 minutes on: 20 left, nothing to do yet.
    clock.advance(40 * 60_000);
    await app.teamsPresence.tick();
    // 50 minutes on: 10 left, renewed.
    clock.advance(10 * 60_000);
    const patches: unknown[] = [];
    const scope = graph()
      .patch('/v1.0/subscriptions/sub-1', (body) => {
        patches.push(body);
        return true;
      })
      .reply(200, () => ({ id: 'sub-1', expirationDateTime: new Date(clock.now() + HOUR).toISOString() }));
    await app.teamsPresence.tick();
    expect(scope.isDone()).toBe(true);
    expect(patches).toEqual([{ expirationDateTime: new Date(clock.now() + HOUR).toISOString() }]);
    expect(await app.store.repos.presenceSubscriptions.get(tenantId, 'sub-1', PRESENCE_SCOPE)).toMatchObject({
      clientState: stored.clientState,
      expiresAt: clock.now() + HOUR,
      renewedAt: clock.now(),
    });
  });

  it('renews on a reauthorizationRequired lifecycle event, and re-reads presence after a missed one', async () => {
    const [alex] = agentIds(1);
    const tenantId = await seedTenant([alex!]);
    const { stored } = await subscribe(tenantId, [alex!]);
    const lifecycle = (event: string, clientState = stored.clientState) =>
      notify('/api/graph/presence/lifecycle', {
        value: [{ subscriptionId: 'sub-1', tenantId, clientState, lifecycleEvent: event }],
      });

    const renewal = graph()
      .patch('/v1.0/subscriptions/sub-1')
      .reply(200, { id: 'sub-1', expirationDateTime: new Date(clock.now() + HOUR).toISOString() });
    expect((await lifecycle('reauthorizationRequired')).status).toBe(202);
    await app.teamsPresence.idle();
    expect(renewal.isDone()).toBe(true);
    expect((await app.store.repos.presenceSubscriptions.get(tenantId, 'sub-1', PRESENCE_SCOPE)).renewedAt).toBe(
      clock.now(),
    );

    // A forged lifecycle event does nothing (no Graph request is expected).
    expect((await lifecycle('reauthorizationRequired', 'forged')).status).toBe(202);
    await app.teamsPresence.idle();

    const read = graph()
      .post('/v1.0/communications/getPresencesByUserId', { ids: [alex] })
      .reply(200, { value: [{ id: alex, availability: 'Away', activity: 'Away' }] });
    await lifecycle('missed');
    await app.teamsPresence.idle();
    expect(read.isDone()).toBe(true);
    expect((await agentOf(tenantId, alex!)).teams).toMatchObject({ availability: 'Away' });
  });
});

describe('Teams presence by polling, where Graph cannot reach the server', () => {
  beforeEach(async () => start({ PUBLIC_BASE_URL: 'http://localhost:3978' }));

  it('reads getPresencesByUserId in batches of 650 and applies what changed', async () => {
    expect(app.config.teamsPresence.mode).toBe('poll');
    const ids = Array.from({ length: 651 }, (_, i) => `user-${String(i).padStart(4, '0')}`);
    const tenantId = await seedTenant(ids.slice(0, 2));
    // The tenant holds 651 licenses; two of the holders are seeded users with routing state.
    await app.store.repos.tenants.update(tenantId, tenantId, (t) => ({
      ...t,
      licenses: { ...t.licenses, imModality: { total: 651, assignees: ids } },
    }));
    const login = tokenEndpoint(tenantId);
    const batches: string[][] = [];
    const scope = graph()
      .post('/v1.0/communications/getPresencesByUserId', (body: { ids: string[] }) => {
        batches.push(body.ids);
        return body.ids.length === 650;
      })
      .reply(200, {
        value: [
          { id: ids[0], availability: 'Offline', activity: 'OffWork' },
          { id: ids[1], availability: 'Available', activity: 'Available' },
        ],
      })
      .post('/v1.0/communications/getPresencesByUserId', (body: { ids: string[] }) => {
        batches.push(body.ids);
        return body.ids.length === 1;
      })
      .reply(200, { value: [] });
    await app.teamsPresence.tick();
    expect(login.isDone()).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(batches.map((b) => b.length)).toEqual([650, 1]);
    expect(batches.flat().sort()).toEqual(ids);
    expect((await agentOf(tenantId, ids[0]!)).teams).toMatchObject({ activity: 'OffWork' });
    expect((await agentOf(tenantId, ids[1]!)).teams).toMatchObject({ availability: 'Available' });
    // 651 license holders: about 10 s alone on 2 cores, several times that beside the rest of the suite.
  }, 120_000);

  it('waits out a 429 for its Retry-After, then reads again', async () => {
    const [alex] = agentIds(1);
    const tenantId = await seedTenant([alex!]);
    tokenEndpoint(tenantId);
    const scope = graph()
      .post('/v1.0/communications/getPresencesByUserId', { ids: [alex] })
      .reply(
        429,
        { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
        { 'Retry-After': '3', 'Content-Type': 'application/json' },
      )
      .post('/v1.0/communications/getPresencesByUserId', { ids: [alex] })
      .reply(200, { value: [{ id: alex, availability: 'DoNotDisturb', activity: 'Presenting' }] });
    await app.teamsPresence.tick();
    expect(scope.isDone()).toBe(true);
    expect(waits.map((w) => [w.ms, w.why])).toEqual([[3000, 'backoff']]);
    expect((await agentOf(tenantId, alex!)).teams).toMatchObject({ activity: 'Presenting' });
  });
});

describe('Teams presence configuration', () => {
  it('subscribes with an https public URL, polls when told to', async () => {
    await start();
    expect(app.teamsPresence.mode).toBe('subscribe');
    expect(app.teamsPresence.loopMs).toBe(60_000);
    await closeApp();
    await start({ TEAMS_PRESENCE: 'poll', TEAMS_PRESENCE_POLL_SECONDS: '45' });
    expect(app.teamsPresence.mode).toBe('poll');
    expect(app.teamsPresence.loopMs).toBe(45_000);
  });
});
