import { generateKeyPairSync } from 'node:crypto';
import type nock from 'nock';
import type { App } from '../../../bot/src/app';
import { openForAll } from '../../helpers/hooks';
import { user } from '../../helpers/fixtures';
import { adminKit, errorOf, pem, ssoToken, startSignOnApp } from '../../helpers/tab-api';

/**
 * The admin pages' API with real Teams sign-on tokens: signed with our own key, published through nock
 * as Entra's key set. Every tenant gets the same item ids, so a call that crossed tenants would show.
 */
const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 });

let app: App;
let keys: nock.Scope;
openForAll(async () => ({ app, keys } = await startSignOnApp()));
const { seedTenant, call } = adminKit(() => app);

const template = { name: 'Blog', unitId: 'unit-1', origins: ['https://blog.example.com'] };

describe('admin API: sign-on and roles', () => {
  it('needs a valid Teams sign-on token of a tenant admin', async () => {
    const a = await seedTenant();
    expect((await call('GET', '/licenses', a.admin)).status).toBe(200);
    expect(keys.isDone()).toBe(true);
    expect((await fetch(`${app.baseUrl}/api/v1/admin/licenses`)).status).toBe(401);
    const forged = await call('GET', '/licenses', ssoToken({ tid: a.tenantId, oid: 'admin' }, { key: pem(impostor) }));
    expect(forged.status).toBe(401);
    expect(await errorOf(forged)).toMatchObject({ code: 'unauthenticated', details: { reason: 'invalid-signature' } });
    const agent = await call('GET', '/licenses', a.agent);
    expect(agent.status).toBe(403);
    expect(await errorOf(agent)).toMatchObject({ code: 'admin-only' });
    expect((await call('POST', '/domain-templates', a.agent, template)).status).toBe(403);
    expect(
      (await fetch(`${app.baseUrl}/api/v1/me/sessions`, { headers: { authorization: `Bearer ${a.agent}` } })).status,
    ).toBe(200);
  });
});

describe('admin API: tenant isolation', () => {
  it("tenant A's admin sees only A's items and gets 404 for B's, even with the same ids", async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    await call('PUT', '/domain-templates/dt-1', b.admin, { ...template, name: 'Only in B' });
    const list = (await (await call('GET', '/domain-templates', a.admin)).json()) as {
      items: { id: string; name: string; tenantId: string }[];
    };
    expect(list.items.map((t) => [t.tenantId, t.name])).toEqual([[a.tenantId, 'Shop']]);

    const created = (await (await call('POST', '/domain-templates', b.admin, template)).json()) as { id: string };
    expect((await call('PUT', `/domain-templates/${created.id}`, a.admin, template)).status).toBe(404);
    expect((await call('DELETE', `/domain-templates/${created.id}`, a.admin)).status).toBe(404);
    expect((await app.store.repos.domainTemplates.find(b.tenantId, created.id))?.name).toBe('Blog');
    expect(await app.store.repos.domainTemplates.find(a.tenantId, created.id)).toBeUndefined();

    const serviceB = (await (
      await call('POST', '/services', b.admin, { name: 'B only', unitId: 'unit-1' })
    ).json()) as { id: string };
    expect((await call('GET', `/services/${serviceB.id}`, a.admin)).status).toBe(404);
    expect((await call('PATCH', `/services/${serviceB.id}`, a.admin, { name: 'Taken over' })).status).toBe(404);
    expect((await call('DELETE', `/services/${serviceB.id}`, a.admin)).status).toBe(404);
    const assign = await call('POST', '/licenses/assign', a.admin, { kind: 'contactCenter', holderId: serviceB.id });
    expect(assign.status).toBe(404);
    expect(await errorOf(assign)).toMatchObject({ code: 'holder-not-found' });
    expect(
      (
        await fetch(`${app.baseUrl}/api/v1/services/${serviceB.id}/interact`, {
          headers: { authorization: `Bearer ${a.admin}` },
        })
      ).status,
    ).toBe(404);

    const sm = (await (
      await call('POST', '/system-messages', b.admin, {
        name: 'B',
        unitId: 'unit-1',
        agentDisplayName: { mode: 'firstName' },
        toAgent: {},
        toCustomer: {},
      })
    ).json()) as { id: string };
    expect((await call('DELETE', `/system-messages/${sm.id}`, a.admin)).status).toBe(404);
    const unitB = (await (await call('POST', '/units', b.admin, { name: 'Sales', parentId: 'unit-1' })).json()) as {
      id: string;
    };
    expect((await call('DELETE', `/units/${unitB.id}`, a.admin)).status).toBe(404);
    expect((await call('POST', '/units', a.admin, { name: 'Under B', parentId: unitB.id })).status).toBe(400);
  });
});

describe('admin API: licenses', () => {
  it('assigns within the pool, names the refusal when it is full or out of order, and returns licenses', async () => {
    const a = await seedTenant();
    const addonFirst = await call('POST', '/licenses/assign', a.admin, { kind: 'interactService', holderId: 'svc' });
    expect(addonFirst.status).toBe(409);
    expect(await errorOf(addonFirst)).toMatchObject({ code: 'requires-contact-center' });
    expect((await call('POST', '/licenses/assign', a.admin, { kind: 'contactCenter', holderId: 'svc' })).status).toBe(
      200,
    );
    const pools = (await (
      await call('POST', '/licenses/assign', a.admin, { kind: 'interactService', holderId: 'svc' })
    ).json()) as { pools: { kind: string; assigned: number; assignees: { id: string; name: string }[] }[] };
    expect(pools.pools.find((p) => p.kind === 'interactService')).toMatchObject({
      assigned: 1,
      assignees: [{ id: 'svc', name: 'Service svc' }],
    });

    expect((await call('POST', '/licenses/assign', a.admin, { kind: 'imModality', holderId: 'agent' })).status).toBe(
      200,
    );
    const full = await call('POST', '/licenses/assign', a.admin, { kind: 'imModality', holderId: 'admin' });
    expect(full.status).toBe(409);
    expect(await errorOf(full)).toMatchObject({
      code: 'pool-exhausted',
      message: 'All 1 Instant Messaging modality licenses are assigned.',
    });
    expect((await call('POST', '/licenses/assign', a.admin, { kind: 'imModality', holderId: 'svc' })).status).toBe(404);

    const dependent = await call('POST', '/licenses/unassign', a.admin, { kind: 'contactCenter', holderId: 'svc' });
    expect(await errorOf(dependent)).toMatchObject({ code: 'addon-depends-on-license' });
    expect(
      (await call('POST', '/licenses/unassign', a.admin, { kind: 'interactService', holderId: 'svc' })).status,
    ).toBe(200);
    expect((await call('POST', '/licenses/unassign', a.admin, { kind: 'contactCenter', holderId: 'svc' })).status).toBe(
      200,
    );
    expect((await app.store.repos.tenants.get(a.tenantId, a.tenantId)).licenses.contactCenter.assignees).toEqual([]);
  });
});

describe('admin API: configuration items', () => {
  it('domain templates: validated origins, a known unit, and no deleting one that is in use', async () => {
    const a = await seedTenant();
    const bad = await call('POST', '/domain-templates', a.admin, {
      ...template,
      origins: ['https://blog.example.com/path'],
    });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: 'invalid-request', details: [{ path: 'origins.0' }] });
    expect(
      await errorOf(await call('POST', '/domain-templates', a.admin, { ...template, unitId: 'nowhere' })),
    ).toMatchObject({ code: 'unit-not-found' });
    expect((await call('POST', '/domain-templates', a.admin, { ...template, tenantId: 'other' })).status).toBe(400);

    await app.store.repos.users.update(a.tenantId, 'agent', (u) => ({
      ...u,
      interact: { ...u.interact, restrictAccess: true, domainTemplateIds: ['dt-1'] },
    }));
    const inUse = await call('DELETE', '/domain-templates/dt-1', a.admin);
    expect(inUse.status).toBe(409);
    expect(await errorOf(inUse)).toMatchObject({ code: 'in-use', details: { usedBy: ['user Alex Agent (agent)'] } });
    const created = (await (await call('POST', '/domain-templates', a.admin, template)).json()) as { id: string };
    expect((await call('DELETE', `/domain-templates/${created.id}`, a.admin)).status).toBe(204);
  });

  it('direct system messages and opening hours: created, listed, changed and deleted', async () => {
    const a = await seedTenant();
    const sm = await call('POST', '/system-messages', a.admin, {
      name: 'Friendly',
      unitId: 'unit-1',
      agentDisplayName: { mode: 'custom', text: 'Your helper' },
      toAgent: { onAccept: 'Be nice.' },
      toCustomer: { onAccept: 'Hi!' },
    });
    expect(sm.status).toBe(201);
    const { id } = (await sm.json()) as { id: string };
    expect(
      (
        await call('PUT', `/system-messages/${id}`, a.admin, {
          name: 'Friendlier',
          unitId: 'unit-1',
          agentDisplayName: { mode: 'firstName' },
          toAgent: {},
          toCustomer: {},
        })
      ).status,
    ).toBe(200);
    expect(
      ((await (await call('GET', '/system-messages', a.admin)).json()) as { items: { name: string }[] }).items.map(
        (m) => m.name,
      ),
    ).toEqual(['Default', 'Friendlier']);
    expect((await call('DELETE', `/system-messages/${id}`, a.admin)).status).toBe(204);

    const hours = {
      name: 'Office',
      unitId: 'unit-1',
      timeZone: 'Europe/Zurich',
      weekly: [{ day: 'mon', ranges: [{ from: '08:00', to: '17:00' }] }],
      specialDays: [],
      holidays: [],
    };
    const cal = await call('POST', '/calendars', a.admin, hours);
    expect(cal.status).toBe(201);
    expect((await call('POST', '/calendars', a.admin, { ...hours, timeZone: 'Mars/Base' })).status).toBe(400);
    expect(
      (
        await call('POST', '/calendars', a.admin, {
          ...hours,
          weekly: [{ day: 'mon', ranges: [{ from: '17:00', to: '08:00' }] }],
        })
      ).status,
    ).toBe(400);
  });

  it('organization units: a tree without cycles; a unit with members cannot be deleted', async () => {
    const a = await seedTenant();
    const sales = (await (await call('POST', '/units', a.admin, { name: 'Sales', parentId: 'unit-1' })).json()) as {
      id: string;
    };
    const cycle = await call('PUT', '/units/unit-1', a.admin, { name: 'Head office', parentId: sales.id });
    expect(cycle.status).toBe(400);
    expect(await errorOf(cycle)).toMatchObject({ code: 'invalid', message: expect.stringContaining('under itself') });
    const used = await call('DELETE', '/units/unit-1', a.admin);
    expect(used.status).toBe(409);
    expect(await errorOf(used)).toMatchObject({ code: 'in-use' });
    expect((await call('DELETE', `/units/${sales.id}`, a.admin)).status).toBe(204);
  });

  it('organization units: saves their supervisors and refuses a user the organization does not have', async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    await app.store.repos.users.create(user(b.tenantId, 'only-in-b', { displayName: 'Bea Elsewhere' }));
    const sales = (await (
      await call('POST', '/units', a.admin, { name: 'Sales', parentId: 'unit-1', supervisorUserIds: ['agent'] })
    ).json()) as { id: string; supervisorUserIds?: string[] };
    expect(sales.supervisorUserIds).toEqual(['agent']);

    for (const stranger of ['nobody', 'only-in-b']) {
      const refused = await call('PUT', `/units/${sales.id}`, a.admin, {
        name: 'Sales',
        parentId: 'unit-1',
        supervisorUserIds: ['agent', stranger],
      });
      expect(refused.status).toBe(400);
      expect(await errorOf(refused)).toMatchObject({
        code: 'invalid',
        message: 'Every supervisor must be a user of the organization.',
        details: [{ field: 'supervisorUserIds', message: `No user ${stranger}.` }],
      });
    }
    expect((await app.store.repos.units.get(a.tenantId, sales.id)).supervisorUserIds).toEqual(['agent']);

    // A save without the list keeps it; a list replaces it (listed twice, kept once); the list answers it.
    const renamed = await call('PUT', `/units/${sales.id}`, a.admin, { name: 'Sales & Care', parentId: 'unit-1' });
    expect(await renamed.json()).toMatchObject({ name: 'Sales & Care', supervisorUserIds: ['agent'] });
    const replaced = await call('PUT', `/units/${sales.id}`, a.admin, {
      name: 'Sales & Care',
      parentId: 'unit-1',
      supervisorUserIds: ['admin', 'admin'],
    });
    expect(await replaced.json()).toMatchObject({ supervisorUserIds: ['admin'] });
    const list = (await (await call('GET', '/units', a.admin)).json()) as {
      items: { id: string; supervisorUserIds?: string[] }[];
    };
    expect(list.items.find((u) => u.id === sales.id)?.supervisorUserIds).toEqual(['admin']);
    expect(
      (await call('PUT', `/units/${sales.id}`, a.admin, { name: 'Sales', parentId: 'unit-1', supervisorUserIds: [] }))
        .status,
    ).toBe(200);
    expect((await app.store.repos.units.get(a.tenantId, sales.id)).supervisorUserIds).toEqual([]);
  });
});

describe('admin API: services and members', () => {
  it('creates a service with its own snippet contact, sets members, and gates IM channels by Contact Center', async () => {
    const a = await seedTenant();
    const created = await call('POST', '/services', a.admin, { name: 'Returns', unitId: 'unit-1' });
    expect(created.status).toBe(201);
    const svc = (await created.json()) as { id: string; interactTab: { allowed: boolean } };
    expect(svc.interactTab.allowed).toBe(false);
    const stored = await app.store.repos.services.get(a.tenantId, svc.id);
    expect(await app.store.directory.findContact(stored.interact.contactId)).toMatchObject({
      tenantId: a.tenantId,
      target: { kind: 'service', serviceId: svc.id },
    });

    const stranger = await call('PATCH', `/services/${svc.id}`, a.admin, {
      members: [{ userId: 'nobody', active: true }],
    });
    expect(stranger.status).toBe(400);
    const members = await call('PATCH', `/services/${svc.id}`, a.admin, {
      members: [{ userId: 'agent', active: true }],
    });
    expect(((await members.json()) as { members: { userId: string; displayName: string }[] }).members).toEqual([
      expect.objectContaining({ userId: 'agent', displayName: 'Alex Agent' }),
    ]);

    const whatsapp = await call('PATCH', `/services/${svc.id}`, a.admin, { im: { channels: { whatsapp: true } } });
    expect(whatsapp.status).toBe(403);
    expect(await errorOf(whatsapp)).toMatchObject({
      code: 'channel-not-licensed',
      details: { reasons: ['contact-center-license-missing'] },
    });
    await call('POST', '/licenses/assign', a.admin, { kind: 'contactCenter', holderId: svc.id });
    const enabled = await call('PATCH', `/services/${svc.id}`, a.admin, {
      im: { enabled: true, channels: { whatsapp: true, interact: true } },
      distribution: { maxConcurrentChatsPerUser: 5 },
    });
    expect(enabled.status).toBe(200);
    expect(await enabled.json()).toMatchObject({
      im: { enabled: true, channels: { whatsapp: true, interact: true } },
      distribution: { maxConcurrentChatsPerUser: 5, ronaResetSeconds: 600, persistentRona: false },
    });
    expect(
      (await call('PATCH', `/services/${svc.id}`, a.admin, { distribution: { ronaResetSeconds: 1 } })).status,
    ).toBe(400);
    // Persistent RONA (a decline pauses the user too) is off until an admin turns it on.
    const persistent = await call('PATCH', `/services/${svc.id}`, a.admin, { distribution: { persistentRona: true } });
    expect(await persistent.json()).toMatchObject({ distribution: { persistentRona: true, ronaResetSeconds: 600 } });
    expect(
      (await call('PATCH', `/services/${svc.id}`, a.admin, { distribution: { persistentRona: 'yes' } })).status,
    ).toBe(400);

    const inUse = await call('DELETE', `/services/${svc.id}`, a.admin);
    expect(inUse.status).toBe(409);
    await call('POST', '/licenses/unassign', a.admin, { kind: 'contactCenter', holderId: svc.id });
    expect((await call('DELETE', `/services/${svc.id}`, a.admin)).status).toBe(204);
  });

  it('lists users with their licenses and whether their Interact tab exists', async () => {
    const a = await seedTenant();
    await call('POST', '/licenses/assign', a.admin, { kind: 'interactUser', holderId: 'agent' });
    const users = (await (await call('GET', '/users', a.admin)).json()) as {
      users: { id: string; licenses: string[]; isAdmin: boolean; interactTab: { allowed: boolean } }[];
    };
    expect(users.users.find((u) => u.id === 'agent')).toMatchObject({
      licenses: ['interactUser'],
      isAdmin: false,
      interactTab: { allowed: true },
    });
    expect(users.users.find((u) => u.id === 'admin')).toMatchObject({ isAdmin: true, interactTab: { allowed: false } });
  });
});

describe('admin API: workflows', () => {
  const workflow = (name: string) => ({
    name,
    unitId: 'unit-1',
    start: 'accept',
    nodes: [
      { id: 'accept', kind: 'accept', settings: {}, exits: { next: 'queue' } },
      { id: 'queue', kind: 'queue-task', settings: {}, exits: { next: null } },
    ],
  });

  it('checks an edit without saving it, saves versions, and keeps each tenant to its own workflows', async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    const broken = await call('POST', '/workflows/wf-1/check', a.admin, { ...workflow('Broken'), start: 'nowhere' });
    expect(broken.status).toBe(200);
    const check = (await broken.json()) as { ok: boolean; errors: { message: string }[] };
    expect(check.ok).toBe(false);
    expect(check.errors.length).toBeGreaterThan(0);
    expect((await call('GET', '/workflows/wf-1', a.admin)).status).toBe(404);

    const refused = await call('PUT', '/workflows/wf-1', a.admin, { ...workflow('Broken'), start: 'nowhere' });
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toMatchObject({ code: 'invalid' });

    const first = await call('PUT', '/workflows/wf-1', a.admin, { ...workflow('Queue only'), tenantId: b.tenantId });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: 'wf-1', version: 1 });
    expect(await (await call('PUT', '/workflows/wf-1', a.admin, workflow('Queue only'))).json()).toMatchObject({
      version: 2,
    });
    expect(await (await call('GET', '/workflows/wf-1', a.admin)).json()).toMatchObject({
      tenantId: a.tenantId,
      name: 'Queue only',
    });

    expect((await call('GET', '/workflows/wf-1', b.admin)).status).toBe(404);
    expect(((await (await call('GET', '/workflows', b.admin)).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await call('GET', '/workflows', a.agent)).status).toBe(403);
  });

  it('a service selects a workflow its channels support, and an incompatible one is refused with the reason', async () => {
    const a = await seedTenant();
    await call('PUT', '/workflows/wf-ok', a.admin, workflow('Queue only'));
    const withUnsupported = workflow('Plays music');
    withUnsupported.nodes[0] = { id: 'accept', kind: 'play-music', settings: {}, exits: { next: 'queue' } };
    await app.store.repos.tenants.update(a.tenantId, a.tenantId, (t) => ({
      ...t,
      licenses: { ...t.licenses, contactCenter: { total: 2, assignees: ['svc'] } },
    }));
    await call('PATCH', '/services/svc', a.admin, { im: { channels: { interact: true } } });
    // Saved (a workflow may hold any activity), but no IM service can select it.
    expect((await call('PUT', '/workflows/wf-music', a.admin, withUnsupported)).status).toBe(200);
    const refused = await call('PATCH', '/services/svc', a.admin, { im: { workflowId: 'wf-music' } });
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toMatchObject({
      code: 'workflow-refused',
      message: expect.stringContaining('not supported on Interact'),
    });
    const ok = await call('PATCH', '/services/svc', a.admin, { im: { workflowId: 'wf-ok' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ im: { workflowId: 'wf-ok' } });
  });

  it('an incompatible workflow cannot be chosen: listed with the reason, warned before saving, refused with nothing saved', async () => {
    const a = await seedTenant();
    await app.store.repos.tenants.update(a.tenantId, a.tenantId, (t) => ({
      ...t,
      licenses: { ...t.licenses, contactCenter: { total: 2, assignees: ['svc'] } },
    }));
    const withUnsupported = {
      ...workflow('Plays music'),
      nodes: [
        { id: 'accept', name: 'Hold', kind: 'play-music', settings: {}, exits: { next: 'queue' } },
        ...workflow('Plays music').nodes.slice(1),
      ],
    };

    // The editor warns while the admin types, before anything is saved.
    const check = await call('POST', '/workflows/wf-music/check', a.admin, withUnsupported);
    expect(await check.json()).toEqual({
      ok: true,
      errors: [],
      warnings: [
        'A service with the Interact channel cannot select this workflow: Play Music "Hold" is not supported on Interact.',
        'A service with the WhatsApp channel cannot select this workflow: Play Music "Hold" is not supported on WhatsApp.',
      ],
    });
    expect((await call('PUT', '/workflows/wf-music', a.admin, withUnsupported)).status).toBe(200);
    await call('PUT', '/workflows/wf-ok', a.admin, workflow('Queue only'));
    const listed = (await (await call('GET', '/workflows', a.admin)).json()) as {
      items: { id: string; unsupported: Record<string, string[]> }[];
    };
    expect(listed.items.find((w) => w.id === 'wf-music')?.unsupported).toEqual({
      interact: ['Play Music "Hold" is not supported on Interact'],
      whatsapp: ['Play Music "Hold" is not supported on WhatsApp'],
    });
    expect(listed.items.find((w) => w.id === 'wf-ok')?.unsupported).toEqual({ interact: [], whatsapp: [] });

    // Refused as a whole: the channel switched on in the same save is not saved either.
    const together = await call('PATCH', '/services/svc', a.admin, {
      name: 'Renamed',
      im: { channels: { interact: true }, workflowId: 'wf-music' },
    });
    expect(together.status).toBe(400);
    expect(await errorOf(together)).toMatchObject({ code: 'workflow-refused' });
    const unchanged = await app.store.repos.services.get(a.tenantId, 'svc');
    expect([unchanged.name, unchanged.im.channels.interact, unchanged.im.workflowId]).toEqual([
      'Service svc',
      false,
      null,
    ]);

    // Chosen while no channel was on, it stops a channel from being switched on under it.
    expect((await call('PATCH', '/services/svc', a.admin, { im: { workflowId: 'wf-music' } })).status).toBe(200);
    const channelOn = await call('PATCH', '/services/svc', a.admin, { im: { channels: { interact: true } } });
    expect(channelOn.status).toBe(400);
    expect(await errorOf(channelOn)).toMatchObject({
      code: 'workflow-refused',
      message: expect.stringContaining('Play Music "Hold" is not supported on Interact'),
    });
    expect((await app.store.repos.services.get(a.tenantId, 'svc')).im.channels.interact).toBe(false);
  });
});
