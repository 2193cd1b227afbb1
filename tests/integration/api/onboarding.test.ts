import { randomUUID } from 'node:crypto';
import type { App } from '../../../bot/src/app';
import { SetupStatus } from '../../../bot/src/contracts/setup';
import { ROOT_UNIT_ID } from '../../../bot/src/services/accounts/onboarding';
import { startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';
import { errorOf, ssoToken, startSignOnApp } from '../../helpers/tab-api';
import { tabCall } from '../../helpers/tab-calls';

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const allowed = randomUUID();
const other = randomUUID();
const bootstrapped = randomUUID();

const setup = {
  organizationName: 'Fabrikam',
  rootUnitName: 'Fabrikam HQ',
  imEnabled: true,
  interactEnabled: true,
  licenses: { contactCenter: 2, interactService: 1, imModality: 10, interactUser: 3 },
  privacyPolicyUrl: 'https://fabrikam.example/privacy',
};

/** A person of an Entra tenant: their SSO token, optionally a Global Administrator's. */
const person = (tid: string, opts: { admin?: boolean; upn?: string; name?: string } = {}) => {
  const oid = randomUUID();
  return {
    oid,
    token: ssoToken({
      tid,
      oid,
      name: opts.name ?? 'Pat Person',
      preferred_username: opts.upn ?? `${oid.slice(0, 8)}@fabrikam.example`,
      ...(opts.admin ? { wids: [GLOBAL_ADMIN] } : {}),
    }),
  };
};

describe('setting up an organization from the tab (Entra sign-on)', () => {
  let app: App;
  openForAll(async () =>
    startSignOnApp({
      ONBOARDING_TENANTS: `${allowed},${bootstrapped}`,
      BOOTSTRAP_ADMINS: 'Boot.Strap@Fabrikam.example',
    }).then((started) => {
      app = started.app;
      return started;
    }),
  );
  const call = (method: string, path: string, token: string, body?: unknown) => tabCall(app, method, path, token, body);
  const status = async (token: string) => SetupStatus.parse(await (await call('GET', '/setup', token)).json());

  it('tells everyone of an unknown organization that it is not set up, and why they cannot set it up', async () => {
    const pat = person(allowed);
    const me = await call('GET', '/me', pat.token);
    expect(me.status).toBe(403);
    expect(await errorOf(me)).toMatchObject({
      code: 'tenant-not-set-up',
      message: 'Your organization has not been set up for this app yet. An administrator sets it up in the Admin tab.',
    });
    expect(await status(pat.token)).toMatchObject({ state: 'cannot-set-up', reason: 'not-an-admin' });
    const refused = await call('POST', '/setup', pat.token, setup);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('not-an-admin');

    const stranger = person(other, { admin: true });
    expect(await status(stranger.token)).toMatchObject({ state: 'cannot-set-up', reason: 'tenant-not-allowed' });
    const notServed = await call('POST', '/setup', stranger.token, setup);
    expect(notServed.status).toBe(403);
    expect(await errorOf(notServed)).toMatchObject({
      code: 'tenant-not-allowed',
      message: expect.stringContaining('does not serve your organization'),
    });
    // Nothing was written for either.
    for (const tid of [allowed, other]) {
      expect(await app.store.repos.tenants.find(tid, tid)).toBeUndefined();
      expect(await app.store.repos.units.roots(tid)).toEqual([]);
    }
  });

  it('lets a Global Administrator set it up once; they become its first admin and user', async () => {
    const ada = person(allowed, { admin: true, name: 'Ada Admin', upn: 'ada@fabrikam.example' });
    expect(await status(ada.token)).toEqual({
      state: 'can-set-up',
      tenantId: allowed,
      suggested: { organizationName: 'Fabrikam', adminName: 'Ada Admin' },
    });
    const done = await call('POST', '/setup', ada.token, setup);
    expect(done.status).toBe(201);
    expect(await done.json()).toEqual({ tenantId: allowed, tenantName: 'Fabrikam', rootUnitId: ROOT_UNIT_ID });

    const tenant = await app.store.repos.tenants.get(allowed, allowed);
    expect(tenant).toMatchObject({
      name: 'Fabrikam',
      imEnabled: true,
      interactEnabled: true,
      privacyPolicyUrl: 'https://fabrikam.example/privacy',
      adminUserIds: [ada.oid],
      licenses: { imModality: { total: 10, assignees: [] }, contactCenter: { total: 2, assignees: [] } },
    });
    expect((await app.store.repos.units.roots(allowed)).map((u) => [u.id, u.name])).toEqual([
      [ROOT_UNIT_ID, 'Fabrikam HQ'],
    ]);
    expect(await (await call('GET', '/me', ada.token)).json()).toEqual({
      tenantId: allowed,
      tenantName: 'Fabrikam',
      userId: ada.oid,
      displayName: 'Ada Admin',
      isAdmin: true,
      // A new organization has assigned no Interact user license yet: no Interact tab.
      interactTab: false,
      // Admins read the reports of their whole organization, and supervise all of it live.
      reports: true,
      supervision: true,
    });
    expect(await status(ada.token)).toEqual({ state: 'ready', tenantId: allowed, tenantName: 'Fabrikam' });

    // A second admin later (or at the same time) changes nothing.
    const late = person(allowed, { admin: true });
    const again = await call('POST', '/setup', late.token, { ...setup, organizationName: 'Other name' });
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({
      code: 'already-set-up',
      message: 'Your organization is already set up as "Fabrikam".',
    });
    expect((await app.store.repos.tenants.get(allowed, allowed)).name).toBe('Fabrikam');
    expect(await app.store.repos.units.roots(allowed)).toHaveLength(1);
  });

  it('makes every other person of the organization a user on their first visit, without licenses', async () => {
    const sam = person(allowed, { name: 'Sam Agent', upn: 'Sam.Agent@Fabrikam.example' });
    expect((await call('GET', '/me', sam.token)).status).toBe(200);
    expect(await app.store.repos.users.get(allowed, sam.oid)).toMatchObject({
      displayName: 'Sam Agent',
      email: 'sam.agent@fabrikam.example',
      unitId: ROOT_UNIT_ID,
      active: true,
      interact: { active: false },
    });
    // Admins find them in Users, holding nothing.
    const [admin] = (await app.store.repos.tenants.get(allowed, allowed)).adminUserIds;
    const adminToken = ssoToken({ tid: allowed, oid: admin! });
    const users = (await (await call('GET', '/admin/users', adminToken)).json()) as {
      users: { id: string; licenses: string[]; active: boolean }[];
    };
    expect(users.users.find((u) => u.id === sam.oid)).toMatchObject({ licenses: [], active: true });
    // Not an admin: the admin pages stay closed.
    expect((await call('GET', '/admin/users', sam.token)).status).toBe(403);
  });

  it('lets a bootstrap admin named by UPN set up an allowed organization without the Global Administrator role', async () => {
    const boot = person(bootstrapped, { upn: 'boot.strap@fabrikam.example' });
    expect(await status(boot.token)).toMatchObject({ state: 'can-set-up' });
    expect((await call('POST', '/setup', boot.token, { ...setup, organizationName: 'Fabrikam EU' })).status).toBe(201);
    expect((await app.store.repos.tenants.get(bootstrapped, bootstrapped)).adminUserIds).toEqual([boot.oid]);
  });

  it('refuses setup input it cannot use, with the field named', async () => {
    const ada = person(other, { admin: true });
    for (const body of [
      { ...setup, licenses: { ...setup.licenses, imModality: -1 } },
      { ...setup, organizationName: '' },
      { ...setup, privacyPolicyUrl: 'javascript:alert(1)' },
      { ...setup, extra: true },
    ]) {
      const res = await call('POST', '/setup', ada.token, body);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('invalid-request');
    }
  });
});

describe('setting up an organization locally (dev sign-in)', () => {
  let app: App;
  openForAll(async () => (app = await startTestApp({ DEMO_TENANT: 'false' })));

  it('signs in as a new organization admin, sets it up, and the agent who signs in next becomes a user', async () => {
    const tenantId = randomUUID();
    const signIn = async (body: Record<string, unknown>) => {
      const res = await fetch(`${app.baseUrl}/api/v1/dev/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId, ...body }),
      });
      return res;
    };
    const unknown = await signIn({ userId: randomUUID() });
    expect(unknown.status).toBe(404);
    const admin = (
      (await (await signIn({ userId: 'admin-1', displayName: 'Local Admin', globalAdmin: true })).json()) as {
        token: string;
      }
    ).token;
    expect((await tabCall(app, 'POST', '/setup', admin, setup)).status).toBe(201);
    const agent = (
      (await (await signIn({ userId: 'agent-1', displayName: 'Local Agent' })).json()) as { token: string }
    ).token;
    expect(await (await tabCall(app, 'GET', '/me', agent)).json()).toMatchObject({ userId: 'agent-1', isAdmin: false });
    expect((await app.store.repos.users.get(tenantId, 'agent-1')).displayName).toBe('Local Agent');
  });
});
