import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { InstalledTeams, ServiceSummary } from '../../../bot/src/contracts';
import { service as serviceFixture, tenant as tenantFixture, user as userFixture } from '../../helpers/fixtures';
import { newTenantId } from '../../helpers/store';
import { devSignIn, tabCall } from '../../helpers/tab-calls';
import { SERVICE_URL, activity, teamsTestApp } from './harness';

/**
 * Services that follow a Microsoft Team. The app runs in local mode (the harness's), so the Bot
 * Connector is called without a token: every roster call is asserted to carry no Authorization header
 * (team-roster-auth.test.ts proves the bot's token in Bot Framework mode). Activities are the real
 * Teams shapes of tests/fixtures/teams; the Bot Connector's members API is nock.
 */
const t = teamsTestApp();

const CONNECTOR = 'https://smba.trafficmanager.net';
const hex = () => randomUUID().replace(/-/g, '');

type Person = { accountId: string; aadObjectId: string; name: string; email: string; upn: string };
const person = (name: string, mail = true): Person => {
  const [given = name, family = ''] = name.split(' ');
  return {
    accountId: `29:1${hex()}`,
    aadObjectId: randomUUID(),
    name,
    email: mail ? `${given}.${family}@Contoso.example` : '',
    upn: `${given.toLowerCase()}@contoso.onmicrosoft.example`,
  };
};

/** A person as the Bot Connector's members API answers (a TeamsChannelAccount). */
const account = (tenantId: string, p: Person) => {
  const [givenName = p.name, surname = ''] = p.name.split(' ');
  return activity('connector-teams-channel-account', {
    tenantId,
    accountId: p.accountId,
    aadObjectId: p.aadObjectId,
    name: p.name,
    givenName,
    surname,
    email: p.email,
    userPrincipalName: p.upn,
  });
};

type Team = { teamId: string; teamName: string; channelId: string; aadGroupId: string };
const newTeam = (teamName: string): Team => {
  const teamId = `19:${hex()}@thread.tacv2`;
  // The General channel of a team has the team's id.
  return { teamId, teamName, channelId: teamId, aadGroupId: randomUUID() };
};

type World = { tenantId: string; adminId: string; zoe: string; token: string };

/** An onboarded tenant (root unit, an admin, Zoe as a manual member of Support) and the admin's tab token. */
async function onboardedTenant(): Promise<World> {
  const tenantId = newTenantId();
  const adminId = randomUUID();
  const zoe = randomUUID();
  const { repos } = t.app.store;
  await repos.tenants.create(
    tenantFixture(tenantId, {
      adminUserIds: [adminId],
      licenses: { imModality: { total: 10, assignees: [zoe] } },
    }),
  );
  await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Head office', parentId: null });
  await repos.users.create(userFixture(tenantId, adminId, { displayName: 'Adele Vance' }));
  await repos.users.create(userFixture(tenantId, zoe, { displayName: 'Zoe Manual' }));
  await repos.services.create(
    serviceFixture(tenantId, 'svc-support', { name: 'Support', members: [{ userId: zoe, active: false }] }),
  );
  return { tenantId, adminId, zoe, token: await devSignIn(t.app, tenantId, adminId) };
}

const installer = { fromAccountId: `29:1${hex()}`, fromAadObjectId: randomUUID() };
const teamVars = (w: Pick<World, 'tenantId'>, team: Team, more: Record<string, unknown> = {}) => ({
  tenantId: w.tenantId,
  ...team,
  ...installer,
  ...more,
});

async function post(name: string, vars: Record<string, unknown>): Promise<void> {
  const res = await t.postActivity(activity(name, vars));
  expect(res.status).toBe(200);
}

const installIn = async (w: World, team: Team) => {
  await post('team-installation-update-add', teamVars(w, team));
  await post('team-conversation-update-bot-added', teamVars(w, team));
};

type Seen = { path: string; query: URLSearchParams; authorization: string | undefined };
const teamPath = (team: Team) => `/emea/v3/conversations/${encodeURIComponent(team.teamId)}`;

/** The paged members API answering the roster in pages, continuation tokens between them; records each call. */
function rosterPages(w: World, team: Team, pages: Person[][], seen: Seen[] = []): { scope: nock.Scope; seen: Seen[] } {
  let scope = nock(CONNECTOR);
  pages.forEach((page, i) => {
    scope = scope
      .get((uri) => uri.startsWith(`${teamPath(team)}/pagedmembers?`))
      .reply(function (uri) {
        const query = new URL(uri, CONNECTOR).searchParams;
        seen.push({ path: uri, query, authorization: first(this.req.headers.authorization) });
        const next = i + 1 < pages.length ? `page-${i + 2}-${hex()}` : undefined;
        return [200, { members: page.map((p) => account(w.tenantId, p)), continuationToken: next }];
      });
  });
  return { scope, seen };
}

/** The members API answering one person, as the bot asks when a conversation update names them. */
function memberLookup(w: World, team: Team, p: Person, seen: Seen[] = []): nock.Scope {
  return nock(CONNECTOR)
    .get(`${teamPath(team)}/members/${encodeURIComponent(p.accountId)}`)
    .reply(function (uri) {
      seen.push({ path: uri, query: new URLSearchParams(), authorization: first(this.req.headers.authorization) });
      return [200, account(w.tenantId, p)];
    });
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const admin = async (w: World, method: string, path: string, body?: unknown) =>
  tabCall(t.app, method, `/admin${path}`, w.token, body);

async function link(w: World, team: Team | null): Promise<ServiceSummary> {
  const res = await admin(w, 'PATCH', '/services/svc-support', { team: team ? { teamId: team.teamId } : null });
  expect(res.status).toBe(200);
  return ServiceSummary.parse(await res.json());
}

const membersOf = async (w: World) =>
  (await t.app.store.repos.services.get(w.tenantId, 'svc-support')).members.map((m) => ({
    userId: m.userId,
    active: m.active,
    source: m.source ?? 'manual',
  }));

const listed = async (w: World) => InstalledTeams.parse(await (await admin(w, 'GET', '/teams')).json()).teams;

describe('a service linked to a Microsoft Team', () => {
  it('records the team the app is added to (announced twice, recorded once), says nothing in it, and lists it to admins', async () => {
    const w = await onboardedTenant();
    const team = newTeam('Contoso Support');
    const before = t.connector.calls.length;
    await installIn(w, team);

    expect(await t.app.store.repos.teamInstallations.find(w.tenantId, team.teamId)).toMatchObject({
      type: 'teamInstallation',
      tenantId: w.tenantId,
      teamId: team.teamId,
      name: 'Contoso Support',
      aadGroupId: team.aadGroupId,
      serviceUrl: SERVICE_URL,
      installed: true,
    });
    expect(await listed(w)).toEqual([{ teamId: team.teamId, name: 'Contoso Support' }]);
    // No welcome in the team's channel: the bot greets agents in personal chats only.
    await new Promise((r) => setTimeout(r, 100));
    expect(t.connector.calls.slice(before)).toEqual([]);
  });

  it('linking reads the whole roster (two pages) and makes everyone a user without licenses and a member', async () => {
    const w = await onboardedTenant();
    const team = newTeam('Contoso Support');
    await installIn(w, team);
    const ann = person('Ann Lee');
    const bob = person('Bob Kent', false);
    const cid = person('Cid Moss');
    const { scope, seen } = rosterPages(w, team, [[ann, bob], [cid]]);

    const linked = await link(w, team);

    expect(scope.isDone()).toBe(true);
    expect(
      seen.map((s) => [s.query.get('pageSize'), s.query.get('continuationToken')?.startsWith('page-2-') ?? null]),
    ).toEqual([
      ['100', null],
      ['100', true],
    ]);
    // Local mode: the Bot Connector gets no token.
    expect(seen.map((s) => s.authorization)).toEqual([undefined, undefined]);
    expect(linked.team).toEqual({ teamId: team.teamId, name: 'Contoso Support' });
    expect(linked.members.map((m) => [m.displayName, m.source, m.active, m.imLicensed])).toEqual([
      ['Zoe Manual', 'manual', false, true],
      ['Ann Lee', 'team', true, false],
      ['Bob Kent', 'team', true, false],
      ['Cid Moss', 'team', true, false],
    ]);
    const { repos } = t.app.store;
    expect(await repos.users.find(w.tenantId, ann.aadObjectId)).toMatchObject({
      displayName: 'Ann Lee',
      email: 'ann.lee@contoso.example',
      active: true,
      unitId: 'unit-1',
    });
    // No mail: the user principal name, which has the mail form.
    expect((await repos.users.get(w.tenantId, bob.aadObjectId)).email).toBe('bob@contoso.onmicrosoft.example');
    const tenant = await repos.tenants.get(w.tenantId, w.tenantId);
    for (const kind of ['contactCenter', 'interactService', 'imModality', 'interactUser'] as const)
      expect(tenant.licenses[kind].assignees).not.toContain(ann.aadObjectId);
    // Linking asks for the app to be installed for the roster (this app has no Graph credentials: skipped).
    await t.app.appInstaller.idle();
    for (const p of [ann, bob, cid])
      expect((await t.app.routing.agents.find(w.tenantId, p.aadObjectId))?.appInstall).toMatchObject({
        state: 'skipped',
      });
  });

  it('follows the team: who joins joins, who leaves leaves, a rename shows; the admin’s members stay', async () => {
    const w = await onboardedTenant();
    const team = newTeam('Contoso Support');
    await installIn(w, team);
    const ann = person('Ann Lee');
    // Zoe is a member by the admin's hand, and in the team too.
    const zoe = { ...person('Zoe Manual'), aadObjectId: w.zoe };
    rosterPages(w, team, [[ann, zoe]]);
    await link(w, team);
    expect(await membersOf(w)).toEqual([
      { userId: w.zoe, active: false, source: 'manual' },
      { userId: ann.aadObjectId, active: true, source: 'team' },
    ]);

    const dan = person('Dan Park');
    const lookups: Seen[] = [];
    const lookup = memberLookup(w, team, dan, lookups);
    await post(
      'team-member-added',
      teamVars(w, team, { memberAccountId: dan.accountId, memberAadObjectId: dan.aadObjectId }),
    );
    expect(lookup.isDone()).toBe(true);
    expect(lookups[0]?.authorization).toBeUndefined();
    expect((await membersOf(w)).at(-1)).toEqual({ userId: dan.aadObjectId, active: true, source: 'team' });
    // A new member is someone to install the app for; this local-mode app has no Graph credentials.
    await t.app.appInstaller.idle();
    expect((await t.app.routing.agents.find(w.tenantId, dan.aadObjectId))?.appInstall).toMatchObject({
      state: 'skipped',
      reason: expect.stringContaining("app's credentials"),
    });
    // The name and mail come from the connector: the conversation update names the account only.
    expect(await t.app.store.repos.users.find(w.tenantId, dan.aadObjectId)).toMatchObject({
      displayName: 'Dan Park',
      email: 'dan.park@contoso.example',
    });

    for (const leaving of [ann, zoe])
      await post(
        'team-member-removed',
        teamVars(w, team, { memberAccountId: leaving.accountId, memberAadObjectId: leaving.aadObjectId }),
      );
    expect(await membersOf(w)).toEqual([
      { userId: w.zoe, active: false, source: 'manual' },
      { userId: dan.aadObjectId, active: true, source: 'team' },
    ]);
    // The person stays a user of the tenant, with their history.
    expect(await t.app.store.repos.users.find(w.tenantId, ann.aadObjectId)).toBeDefined();

    await post('team-renamed', teamVars(w, team, { teamName: 'Contoso Care' }));
    expect(await listed(w)).toEqual([{ teamId: team.teamId, name: 'Contoso Care' }]);
    expect((await t.app.store.repos.services.get(w.tenantId, 'svc-support')).team).toEqual({
      teamId: team.teamId,
      name: 'Contoso Care',
    });
  });

  it('reads the roster again when Teams names someone who left by channel account only', async () => {
    const w = await onboardedTenant();
    const team = newTeam('Contoso Support');
    await installIn(w, team);
    const [ann, bob] = [person('Ann Lee'), person('Bob Kent')];
    rosterPages(w, team, [[ann, bob]]);
    await link(w, team);

    const { scope } = rosterPages(w, team, [[bob]]);
    // An undefined variable drops the field: the account comes without its aadObjectId.
    await post(
      'team-member-removed',
      teamVars(w, team, { memberAccountId: ann.accountId, memberAadObjectId: undefined }),
    );
    expect(scope.isDone()).toBe(true);
    expect((await membersOf(w)).map((m) => m.userId)).toEqual([w.zoe, bob.aadObjectId]);
  });

  it('keeps every member when the admin unlinks the team, as manual members from then on', async () => {
    const w = await onboardedTenant();
    const team = newTeam('Contoso Support');
    await installIn(w, team);
    const ann = person('Ann Lee');
    rosterPages(w, team, [[ann]]);
    await link(w, team);

    const unlinked = await link(w, null);
    expect(unlinked.team).toBeNull();
    expect(unlinked.members.map((m) => [m.userId, m.source])).toEqual([
      [w.zoe, 'manual'],
      [ann.aadObjectId, 'manual'],
    ]);
    // The team no longer decides: leaving it changes nothing.
    await post(
      'team-member-removed',
      teamVars(w, team, { memberAccountId: ann.accountId, memberAadObjectId: ann.aadObjectId }),
    );
    expect((await membersOf(w)).map((m) => m.userId)).toEqual([w.zoe, ann.aadObjectId]);
  });

  it('saves nothing when the roster cannot be read, and refuses a team the app is not installed in', async () => {
    const w = await onboardedTenant();
    const team = newTeam('Contoso Support');
    await installIn(w, team);
    const failing = nock(CONNECTOR)
      .get((uri) => uri.startsWith(`${teamPath(team)}/pagedmembers?`))
      .reply(503, { error: { code: 'ServiceUnavailable' } });
    const res = await admin(w, 'PATCH', '/services/svc-support', {
      name: 'Support desk',
      team: { teamId: team.teamId },
    });
    expect(failing.isDone()).toBe(true);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('roster-unavailable');
    const stored = await t.app.store.repos.services.get(w.tenantId, 'svc-support');
    expect([stored.name, stored.team ?? null]).toEqual(['Support', null]);

    const elsewhere = newTeam('Not here');
    const refused = await admin(w, 'PATCH', '/services/svc-support', { team: { teamId: elsewhere.teamId } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('team-not-installed');
  });

  it('removing the app from the team marks it uninstalled and unlisted; its services keep their members', async () => {
    const w = await onboardedTenant();
    const team = newTeam('Contoso Support');
    await installIn(w, team);
    const ann = person('Ann Lee');
    rosterPages(w, team, [[ann]]);
    await link(w, team);

    await post('team-installation-update-remove', teamVars(w, team));
    expect(await t.app.store.repos.teamInstallations.find(w.tenantId, team.teamId)).toMatchObject({ installed: false });
    expect(await listed(w)).toEqual([]);
    const stored = await t.app.store.repos.services.get(w.tenantId, 'svc-support');
    expect(stored.team).toBeNull();
    expect(await membersOf(w)).toEqual([
      { userId: w.zoe, active: false, source: 'manual' },
      { userId: ann.aadObjectId, active: true, source: 'manual' },
    ]);

    // Added again later: listed again, with the name Teams gives now.
    await post('team-conversation-update-bot-added', teamVars(w, team, { teamName: 'Contoso Support 2' }));
    expect(await listed(w)).toEqual([{ teamId: team.teamId, name: 'Contoso Support 2' }]);
  });

  it('ignores a team of a tenant that is not onboarded: nothing is stored', async () => {
    const stranger = { tenantId: newTenantId() };
    const team = newTeam('Fabrikam');
    await post('team-installation-update-add', teamVars(stranger, team));
    await post('team-conversation-update-bot-added', teamVars(stranger, team));
    const p = person('Pat Stranger');
    await post(
      'team-member-added',
      teamVars(stranger, team, { memberAccountId: p.accountId, memberAadObjectId: p.aadObjectId }),
    );
    const { repos } = t.app.store;
    expect(await repos.teamInstallations.find(stranger.tenantId, team.teamId)).toBeUndefined();
    expect(await repos.teamInstallations.all(stranger.tenantId)).toEqual([]);
    expect(await repos.users.find(stranger.tenantId, p.aadObjectId)).toBeUndefined();
  });
});
