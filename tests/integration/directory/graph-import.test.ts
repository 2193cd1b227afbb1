import nock from 'nock';
import type { App } from '../../../bot/src/app';
import { DirectoryStatus, DirectorySyncResult, Users } from '../../../bot/src/contracts';
import type { LaneSleep } from '../../../bot/src/services/delivery';
import { startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';
import { devSignIn } from '../../helpers/tab-calls';
import { adminCall, errorOf, seedAdminTenant, startSignOnApp } from '../../helpers/tab-api';

/**
 * Importing users from Entra ID against the real app (Bot Framework mode, so it has the app's
 * credentials) and the real store; the identity platform and Microsoft Graph are nock'd. Every test
 * has its own tenant, so its token endpoint and its sync document are its own.
 */
const LOGIN = 'https://login.microsoftonline.com';
const GRAPH = 'https://graph.microsoft.com';
const SELECT = 'id,displayName,mail,userPrincipalName,accountEnabled';
const BOT_ID = '11111111-2222-4333-8444-555555555555';
const TOKEN = 'graph-token-for-the-app';

/** Waits the lanes were asked for; none of them really waits. */
const waits: { ms: number; why: string; at: number }[] = [];
const sleep: LaneSleep = async (ms, _signal, why) => {
  waits.push({ ms, why, at: Date.now() });
};

let app: App;
openForAll(async () => ({ app } = await startSignOnApp({}, { delivery: { sleep, random: () => 0 } })));
afterEach(() => nock.abortPendingRequests());

const guid = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`;
const person = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: guid(n),
  displayName: `Person ${n}`,
  mail: `person${n}@contoso.com`,
  userPrincipalName: `person${n}@contoso.onmicrosoft.com`,
  accountEnabled: true,
  ...overrides,
});

/** The token endpoint of the tenant, answering once, and the form bodies it was sent. */
function tokenEndpoint(tenantId: string) {
  const forms: Record<string, string>[] = [];
  const scope = nock(LOGIN)
    .post(`/${tenantId}/oauth2/v2.0/token`, (body: Record<string, string>) => {
      forms.push(body);
      return true;
    })
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: TOKEN });
  return { scope, forms };
}

/** Graph, where every request must carry the app's token. */
const graph = () => nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } });

const sync = async (bearer: string, body: unknown = {}) => adminCall(app, 'POST', '/directory/sync', bearer, body);
const status = async (bearer: string) =>
  DirectoryStatus.parse(await (await adminCall(app, 'GET', '/directory', bearer)).json());
const usersOf = async (bearer: string) =>
  Users.parse(await (await adminCall(app, 'GET', '/users', bearer)).json()).users;

describe('importing users from Entra ID', () => {
  it('imports every user page by page, then a delta sync deactivates, refreshes and creates', async () => {
    const a = await seedAdminTenant(app);
    const login = tokenEndpoint(a.tenantId);
    const full = graph()
      .get('/v1.0/users/delta')
      .query({ $select: SELECT })
      .reply(200, {
        '@odata.context': `${GRAPH}/v1.0/$metadata#users(id,displayName,mail,userPrincipalName,accountEnabled)`,
        value: [person(1), person(2, { mail: null, userPrincipalName: 'Person2@Contoso.com' })],
        '@odata.nextLink': `${GRAPH}/v1.0/users/delta?$skiptoken=page-2`,
      })
      .get('/v1.0/users/delta')
      .query({ $skiptoken: 'page-2' })
      .reply(200, {
        // A disabled account we never imported is not created.
        value: [person(3, { mail: null, userPrincipalName: 'no mail form' }), person(4, { accountEnabled: false })],
        '@odata.deltaLink': `${GRAPH}/v1.0/users/delta?$deltatoken=round-1`,
      });

    const first = await sync(a.admin);
    expect(first.status).toBe(200);
    expect(DirectorySyncResult.parse(await first.json())).toEqual({
      kind: 'full',
      groupId: null,
      created: 3,
      updated: 0,
      deactivated: 0,
      skipped: 1,
      pages: 2,
    });
    expect(login.scope.isDone()).toBe(true);
    expect(full.isDone()).toBe(true);
    expect(login.forms).toEqual([
      {
        client_id: BOT_ID,
        client_secret: 'secret',
        scope: 'https://graph.microsoft.com/.default',
        grant_type: 'client_credentials',
      },
    ]);

    const imported = (await usersOf(a.admin)).filter((u) => u.id.startsWith('0000000'));
    expect(imported.map((u) => [u.id, u.displayName, u.email, u.active, u.licenses, u.isAdmin])).toEqual([
      [guid(1), 'Person 1', 'person1@contoso.com', true, [], false],
      [guid(2), 'Person 2', 'person2@contoso.com', true, [], false],
      [guid(3), 'Person 3', null, true, [], false],
    ]);
    expect(await app.store.repos.users.find(a.tenantId, guid(4))).toBeUndefined();
    expect((await app.store.repos.users.get(a.tenantId, guid(1))).unitId).toBe('unit-1');
    const afterFirst = await status(a.admin);
    expect(afterFirst).toMatchObject({
      available: true,
      running: null,
      incremental: true,
      last: { kind: 'full', outcome: 'succeeded', created: 3, pages: 2, error: null },
    });

    // The later sync starts from the stored delta link, with the cached token.
    const delta = graph()
      .get('/v1.0/users/delta')
      .query({ $deltatoken: 'round-1' })
      .reply(200, {
        value: [
          { id: guid(1), '@removed': { reason: 'changed' } },
          { id: guid(2), displayName: 'Person Two' },
          person(5),
        ],
        '@odata.deltaLink': `${GRAPH}/v1.0/users/delta?$deltatoken=round-2`,
      });
    const second = await sync(a.admin);
    expect(second.status).toBe(200);
    expect(DirectorySyncResult.parse(await second.json())).toEqual({
      kind: 'delta',
      groupId: null,
      created: 1,
      updated: 1,
      deactivated: 1,
      skipped: 0,
      pages: 1,
    });
    expect(delta.isDone()).toBe(true);

    const users = new Map((await usersOf(a.admin)).map((u) => [u.id, u]));
    // Removed from the directory: still listed, with their history, but inactive.
    expect(users.get(guid(1))).toMatchObject({ displayName: 'Person 1', active: false });
    // A delta entry carries what changed: the name is refreshed, the mail kept.
    expect(users.get(guid(2))).toMatchObject({ displayName: 'Person Two', email: 'person2@contoso.com', active: true });
    expect(users.get(guid(5))).toMatchObject({ displayName: 'Person 5', active: true, licenses: [] });
    expect(users.get('admin')).toMatchObject({ active: true, isAdmin: true });
    expect((await app.store.repos.directorySync.get(a.tenantId, 'directory-sync')).deltaLink).toBe(
      `${GRAPH}/v1.0/users/delta?$deltatoken=round-2`,
    );
    expect((await status(a.admin)).last).toMatchObject({ kind: 'delta', outcome: 'succeeded', deactivated: 1 });
  });

  it('waits out a 429 for its Retry-After (2 s) and then retries, without waiting in real time', async () => {
    const a = await seedAdminTenant(app);
    tokenEndpoint(a.tenantId);
    let waitsBeforeRetry: typeof waits = [];
    const started = Date.now();
    waits.length = 0;
    const scope = graph()
      .get('/v1.0/users/delta')
      .query({ $select: SELECT })
      .reply(
        429,
        { error: { code: 'TooManyRequests', message: 'Too many requests.' } },
        { 'Retry-After': '2', 'Content-Type': 'application/json' },
      )
      .get('/v1.0/users/delta')
      .query({ $select: SELECT })
      .reply(200, () => {
        waitsBeforeRetry = [...waits];
        return { value: [person(1)], '@odata.deltaLink': `${GRAPH}/v1.0/users/delta?$deltatoken=after-429` };
      });

    const res = await sync(a.admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 1, pages: 1 });
    expect(scope.isDone()).toBe(true);
    expect(waitsBeforeRetry.map((w) => [w.ms, w.why])).toEqual([[2000, 'backoff']]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when throttling does not end, keeping the users already read and the previous delta link', async () => {
    const a = await seedAdminTenant(app);
    tokenEndpoint(a.tenantId);
    const scope = graph()
      .get('/v1.0/users/delta')
      .query({ $select: SELECT })
      .reply(200, { value: [person(1)], '@odata.nextLink': `${GRAPH}/v1.0/users/delta?$skiptoken=p2` })
      .get('/v1.0/users/delta')
      .query({ $skiptoken: 'p2' })
      .times(5)
      .reply(503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } }, { 'Retry-After': '1' });

    const res = await sync(a.admin);
    expect(res.status).toBe(502);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: 'sync-failed', details: { counts: { created: 1, pages: 1 } } });
    expect(error.message).toMatch(/^The import from Entra ID stopped: Microsoft Graph is throttling this app \(503\)/);
    expect(error.message).toContain('1 created');
    expect(scope.isDone()).toBe(true);
    expect((await app.store.repos.users.get(a.tenantId, guid(1))).active).toBe(true);
    expect((await app.store.repos.directorySync.get(a.tenantId, 'directory-sync')).deltaLink).toBeNull();
    expect(await status(a.admin)).toMatchObject({
      running: null,
      incremental: false,
      last: { kind: 'full', outcome: 'failed', created: 1, error: error.message },
    });
  });

  it('names the missing permission when Graph refuses, and the identity platform error when sign-in fails', async () => {
    const a = await seedAdminTenant(app);
    tokenEndpoint(a.tenantId);
    graph()
      .get('/v1.0/users/delta')
      .query(true)
      .reply(403, {
        error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
      });
    const refused = await sync(a.admin);
    expect(refused.status).toBe(502);
    expect((await errorOf(refused)).message).toBe(
      "The import from Entra ID stopped: Microsoft Graph refused to list the users (Insufficient privileges to complete the operation.). The bot's app registration needs the application permission User.Read.All, with admin consent.",
    );

    const b = await seedAdminTenant(app);
    nock(LOGIN).post(`/${b.tenantId}/oauth2/v2.0/token`).reply(401, {
      error: 'invalid_client',
      error_description:
        'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID. Trace ID: 1 Correlation ID: 2 Timestamp: 2026-01-05 09:00:00Z',
    });
    const signIn = await sync(b.admin);
    expect(signIn.status).toBe(502);
    expect((await errorOf(signIn)).message).toMatch(
      /^The import from Entra ID stopped: Entra ID refused to sign the app in for this organization: AADSTS7000215: Invalid client secret provided\./,
    );
  });

  it('starts a new round over everyone when Graph no longer knows the stored delta link (410)', async () => {
    const a = await seedAdminTenant(app);
    tokenEndpoint(a.tenantId);
    await app.store.repos.directorySync.create({
      id: 'directory-sync',
      tenantId: a.tenantId,
      type: 'directorySync',
      deltaLink: `${GRAPH}/v1.0/users/delta?$deltatoken=forgotten`,
      running: null,
      last: null,
    });
    const scope = graph()
      .get('/v1.0/users/delta')
      .query({ $deltatoken: 'forgotten' })
      .reply(410, { error: { code: 'syncStateNotFound', message: 'The sync state is no longer available.' } })
      .get('/v1.0/users/delta')
      .query({ $select: SELECT })
      .reply(200, { value: [person(1)], '@odata.deltaLink': `${GRAPH}/v1.0/users/delta?$deltatoken=fresh` });
    const res = await sync(a.admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'full', created: 1, pages: 1 });
    expect(scope.isDone()).toBe(true);
    expect((await app.store.repos.directorySync.get(a.tenantId, 'directory-sync')).deltaLink).toBe(
      `${GRAPH}/v1.0/users/delta?$deltatoken=fresh`,
    );
  });

  it('runs one import per organization at a time', async () => {
    const a = await seedAdminTenant(app);
    await app.store.repos.directorySync.create({
      id: 'directory-sync',
      tenantId: a.tenantId,
      type: 'directorySync',
      deltaLink: null,
      running: { runId: 'other-process', kind: 'full', groupId: null, startedAt: Date.now() },
      last: null,
    });
    const res = await sync(a.admin);
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toMatchObject({
      code: 'sync-running',
      message: 'An import from Entra ID is already running for this organization. Wait for it to finish.',
    });
    expect((await status(a.admin)).running).toMatchObject({ kind: 'full', groupId: null });
  });

  it('imports the members of one group, page by page', async () => {
    const a = await seedAdminTenant(app);
    tokenEndpoint(a.tenantId);
    const groupId = '9f8e7d6c-5b4a-4392-8180-7f6e5d4c3b2a';
    const path = `/v1.0/groups/${groupId}/members/microsoft.graph.user`;
    const scope = graph()
      .get(path)
      .query({ $select: SELECT })
      .reply(200, { value: [person(6), person(7)], '@odata.nextLink': `${GRAPH}${path}?$skiptoken=g2` })
      .get(path)
      .query({ $skiptoken: 'g2' })
      .reply(200, { value: [person(8, { accountEnabled: false })] });

    const res = await sync(a.admin, { groupId });
    expect(res.status).toBe(200);
    expect(DirectorySyncResult.parse(await res.json())).toEqual({
      kind: 'group',
      groupId,
      created: 2,
      updated: 0,
      deactivated: 0,
      skipped: 1,
      pages: 2,
    });
    expect(scope.isDone()).toBe(true);
    expect((await usersOf(a.admin)).map((u) => u.id)).toEqual(expect.arrayContaining([guid(6), guid(7)]));
    // A group import reads no delta round: the next full sync still starts from the beginning.
    expect(await status(a.admin)).toMatchObject({ incremental: false, last: { kind: 'group', groupId } });

    const missing = '11111111-0000-4000-8000-000000000000';
    graph()
      .get(`/v1.0/groups/${missing}/members/microsoft.graph.user`)
      .query(true)
      .reply(404, { error: { code: 'Request_ResourceNotFound', message: `Resource '${missing}' does not exist.` } });
    const notFound = await sync(a.admin, { groupId: missing });
    expect(notFound.status).toBe(404);
    expect(await errorOf(notFound)).toMatchObject({
      code: 'group-not-found',
      message: `There is no group ${missing} in this organization's Entra ID.`,
    });
  });

  it('refuses a group id that is not one, and anything else in the body, with a 400 that says why', async () => {
    const a = await seedAdminTenant(app);
    const bad = await sync(a.admin, { groupId: 'sales team' });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({
      code: 'invalid-request',
      message: 'The group id must be the object id of an Entra ID group (a GUID).',
    });
    const extra = await sync(a.admin, { full: true });
    expect(extra.status).toBe(400);
    expect((await errorOf(extra)).message).toBe('Only groupId can be given (not full).');
  });

  it('is for tenant admins only', async () => {
    const a = await seedAdminTenant(app);
    for (const res of [await sync(a.agent), await adminCall(app, 'GET', '/directory', a.agent)]) {
      expect(res.status).toBe(403);
      expect(await errorOf(res)).toMatchObject({ code: 'admin-only' });
    }
    expect((await fetch(`${app.baseUrl}/api/v1/admin/directory/sync`, { method: 'POST' })).status).toBe(401);
  });
});

describe('importing users from Entra ID without the app credentials', () => {
  let local: App;
  openForAll(async () => (local = await startTestApp({ DEMO_TENANT: 'false' })));

  it('refuses in local mode with the reason, and never calls Graph', async () => {
    const a = await seedAdminTenant(local);
    const admin = await devSignIn(local, a.tenantId, 'admin');
    const res = await adminCall(local, 'POST', '/directory/sync', admin, {});
    expect(res.status).toBe(409);
    const error = await errorOf(res);
    expect(error.code).toBe('credentials-missing');
    expect(error.message).toMatch(/^Importing from Entra ID needs the app's credentials: /);
    expect(error.message).toContain('AUTH_MODE=local');
    const view = DirectoryStatus.parse(await (await adminCall(local, 'GET', '/directory', admin)).json());
    expect(view).toEqual({
      available: false,
      unavailableReason: error.message,
      running: null,
      incremental: false,
      last: null,
    });
  });
});
