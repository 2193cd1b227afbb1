import nock from 'nock';
import type { App } from '../../../bot/src/app';
import { LicenseChange, Users } from '../../../bot/src/contracts';
import type { LaneSleep } from '../../../bot/src/services/delivery';
import { CONSENT_MISSING, NOT_IN_CATALOG } from '../../../bot/src/services/teams-app';
import { openForAll } from '../../helpers/hooks';
import { adminCall, seedAdminTenant, startSignOnApp } from '../../helpers/tab-api';

/**
 * Assigning the IM license installs the Teams app for the user through Microsoft Graph, with the app's
 * credentials (Bot Framework mode); the identity platform and Graph are nock'd. The outcome is shown to
 * admins on the users page; the assignment itself never waits for Graph or fails because of it.
 */
const LOGIN = 'https://login.microsoftonline.com';
const GRAPH = 'https://graph.microsoft.com';
const TOKEN = 'graph-token-for-the-app';
const CATALOG_APP_ID = 'b1c5353a-7aca-41b3-830f-27d5218fe0e5';
const INSTALLED_APPS = '/v1.0/users/agent/teamwork/installedApps';
const BIND = { 'teamsApp@odata.bind': `${GRAPH}/v1.0/appCatalogs/teamsApps/${CATALOG_APP_ID}` };

const sleep: LaneSleep = async () => undefined;

let app: App;
openForAll(
  async () =>
    ({ app } = await startSignOnApp(
      { TEAMS_APP_CATALOG_ID: CATALOG_APP_ID },
      { delivery: { sleep, random: () => 0 } },
    )),
);
afterEach(() => nock.abortPendingRequests());

const tokenEndpoint = (tenantId: string) =>
  nock(LOGIN)
    .post(`/${tenantId}/oauth2/v2.0/token`)
    .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: TOKEN });

/** Graph's installedApps of the user 'agent', answering once with `status`; the bodies it was sent. */
function installEndpoint(status: number, body: Record<string, unknown>) {
  const bodies: unknown[] = [];
  const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
    .post(INSTALLED_APPS, (b: unknown) => {
      bodies.push(b);
      return true;
    })
    .reply(status, body);
  return { scope, bodies };
}

const assign = async (bearer: string) => {
  const res = await adminCall(app, 'POST', '/licenses/assign', bearer, { kind: 'imModality', holderId: 'agent' });
  expect(res.status).toBe(200);
  return LicenseChange.parse(await res.json());
};
const agentRow = async (bearer: string) =>
  Users.parse(await (await adminCall(app, 'GET', '/users', bearer)).json()).users.find((u) => u.id === 'agent')!;

describe('installing the Teams app when the IM license is assigned', () => {
  it('posts the installation to Graph and records it as pending', async () => {
    const a = await seedAdminTenant(app);
    const login = tokenEndpoint(a.tenantId);
    const graph = installEndpoint(201, { id: 'installation-1' });
    const answer = await assign(a.admin);
    expect(answer.appInstall).toEqual({ state: 'requested' });
    expect(answer.pools.find((p) => p.kind === 'imModality')?.assignees.map((x) => x.id)).toEqual(['agent']);
    await app.appInstaller.idle();
    expect(login.isDone()).toBe(true);
    expect(graph.scope.isDone()).toBe(true);
    expect(graph.bodies).toEqual([BIND]);
    expect(await agentRow(a.admin)).toMatchObject({
      licenses: expect.arrayContaining(['imModality']),
      teamsApp: 'not-installed',
      appInstall: { state: 'pending', reason: null },
    });
  });

  it('records missing admin consent (403) with the reason admins read', async () => {
    const a = await seedAdminTenant(app);
    const login = tokenEndpoint(a.tenantId);
    const graph = installEndpoint(403, { error: { code: 'Forbidden', message: 'Missing role permissions.' } });
    await assign(a.admin);
    await app.appInstaller.idle();
    expect(login.isDone()).toBe(true);
    expect(graph.scope.isDone()).toBe(true);
    expect((await agentRow(a.admin)).appInstall).toMatchObject({ state: 'failed', reason: CONSENT_MISSING });
    expect(CONSENT_MISSING).toBe('admin consent for TeamsAppInstallation.ReadWriteSelfForUser.All is missing');
  });

  it('records an app missing from the catalog (404) with the reason admins read', async () => {
    const a = await seedAdminTenant(app);
    const login = tokenEndpoint(a.tenantId);
    const graph = installEndpoint(404, { error: { code: 'NotFound', message: 'App not found.' } });
    await assign(a.admin);
    await app.appInstaller.idle();
    expect(login.isDone()).toBe(true);
    expect(graph.scope.isDone()).toBe(true);
    expect((await agentRow(a.admin)).appInstall).toMatchObject({ state: 'failed', reason: NOT_IN_CATALOG });
    expect(NOT_IN_CATALOG).toBe("the app is not in your organization's app catalog (TEAMS_APP_CATALOG_ID)");
  });

  it('takes an app installed already (409) as installed', async () => {
    const a = await seedAdminTenant(app);
    tokenEndpoint(a.tenantId);
    const graph = installEndpoint(409, { error: { code: 'Conflict', message: 'App is already installed.' } });
    await assign(a.admin);
    await app.appInstaller.idle();
    expect(graph.scope.isDone()).toBe(true);
    expect((await agentRow(a.admin)).appInstall).toMatchObject({ state: 'installed', reason: null });
  });

  it('installs nothing for an agent the bot already reaches', async () => {
    const a = await seedAdminTenant(app);
    await app.routing.agents.setReachable(a.tenantId, 'agent', true);
    const answer = await assign(a.admin);
    expect(answer.appInstall).toEqual({ state: 'installed' });
    await app.appInstaller.idle();
    expect(await agentRow(a.admin)).toMatchObject({ teamsApp: 'installed', appInstall: null });
  });
});
