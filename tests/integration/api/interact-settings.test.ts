import type { App } from '../../../bot/src/app';
import { startTestApp } from '../../helpers/app';
import { domainTemplate, interactSettings, service, tenant, user } from '../../helpers/fixtures';
import { newTenantId } from '../../helpers/store';
import { devSignIn, tabCall } from '../../helpers/tab-calls';

let app: App;
beforeAll(async () => {
  app = await startTestApp({ DEMO_TENANT: 'false' });
});
afterAll(async () => {
  await app.close();
});

const UNIT = 'unit-1';

/** A tenant with a licensed user (Interact user + IM modality), an unlicensed one, an admin and a service. */
async function setup() {
  const tenantId = newTenantId();
  const { store } = app;
  await store.repos.tenants.create(
    tenant(tenantId, {
      adminUserIds: ['admin'],
      licenses: {
        interactUser: { total: 2, assignees: ['yvonne'] },
        imModality: { total: 2, assignees: ['yvonne'] },
        contactCenter: { total: 1, assignees: ['svc'] },
        interactService: { total: 1, assignees: ['svc'] },
      },
    }),
  );
  await store.repos.users.create(
    user(tenantId, 'yvonne', {
      unitId: UNIT,
      interact: interactSettings({ contactId: `ct-y-${tenantId}`, widgetKey: 'k'.repeat(32) }),
    }),
  );
  await store.repos.users.create(
    user(tenantId, 'nolicense', { unitId: UNIT, interact: interactSettings({ contactId: `ct-n-${tenantId}` }) }),
  );
  await store.repos.users.create(
    user(tenantId, 'admin', { unitId: UNIT, interact: interactSettings({ contactId: `ct-a-${tenantId}` }) }),
  );
  await store.repos.services.create(
    service(tenantId, 'svc', { unitId: UNIT, interact: interactSettings({ contactId: `ct-s-${tenantId}` }) }),
  );
  await store.repos.services.create(
    service(tenantId, 'svc-no-addon', { unitId: UNIT, interact: interactSettings({ contactId: `ct-s2-${tenantId}` }) }),
  );
  await store.directory.registerContact({
    id: `ct-y-${tenantId}`,
    tenantId,
    target: { kind: 'user', userId: 'yvonne' },
  });
  const signIn = (userId: string) => devSignIn(app, tenantId, userId);
  return { tenantId, signIn };
}

const call = (method: string, path: string, bearer: string, body?: unknown) => tabCall(app, method, path, bearer, body);

type View = {
  settings: {
    active: boolean;
    restrictAccess: boolean;
    domainTemplateIds: string[];
    contactId: string;
    widgetKey: string;
  };
  snippet: string;
  previewUrl: string;
  restrictAccess: { available: boolean; reason?: string; message?: string };
  domainTemplates: { id: string }[];
};

describe('Interact settings of a user', () => {
  it('shows the settings with the ready snippet and the preview link', async () => {
    const { tenantId, signIn } = await setup();
    const res = await call('GET', '/users/yvonne/interact', await signIn('yvonne'));
    expect(res.status).toBe(200);
    const view = (await res.json()) as View;
    expect(view.snippet).toBe(
      `<script src="${app.baseUrl}/interact/v1/widget.js" data-contact-id="ct-y-${tenantId}" data-widget-key="${'k'.repeat(32)}" async></script>`,
    );
    expect(view.previewUrl).toBe(`${app.baseUrl}/interact/preview/ct-y-${tenantId}?key=${'k'.repeat(32)}`);
    expect((await fetch(view.previewUrl)).status).toBe(200);
  });

  it('does not exist without the Interact user license', async () => {
    const { signIn } = await setup();
    const res = await call('GET', '/users/nolicense/interact', await signIn('nolicense'));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: 'not-licensed', message: 'Interact user license missing.' },
    });
  });

  it('keeps the license assigned when Interact is switched off, and the tab stays', async () => {
    const { tenantId, signIn } = await setup();
    const token = await signIn('yvonne');
    const off = await call('PATCH', '/users/yvonne/interact', token, { active: false });
    expect(off.status).toBe(200);
    expect(((await off.json()) as View).settings.active).toBe(false);
    expect((await app.store.repos.tenants.get(tenantId, tenantId)).licenses.interactUser.assignees).toContain('yvonne');
    expect((await call('GET', '/users/yvonne/interact', token)).status).toBe(200);
  });

  it('offers Restrict Access only once a domain template exists in the unit, and only with one selected', async () => {
    const { tenantId, signIn } = await setup();
    const token = await signIn('yvonne');
    const before = (await (await call('GET', '/users/yvonne/interact', token)).json()) as View;
    expect(before.restrictAccess).toEqual({
      available: false,
      reason: 'no-domain-templates',
      message: expect.stringContaining('domain template'),
    });
    const refused = await call('PATCH', '/users/yvonne/interact', token, { restrictAccess: true });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { code: 'invalid-settings', details: [{ field: 'restrictAccess', code: 'no-domain-templates' }] },
    });

    await app.store.repos.domainTemplates.create(
      domainTemplate(tenantId, 'dt-own', { unitId: UNIT, name: 'Our site', origins: ['https://www.example.com'] }),
    );
    await app.store.repos.domainTemplates.create(
      domainTemplate(tenantId, 'dt-other', {
        unitId: 'unit-2',
        name: 'Other unit',
        origins: ['https://other.example.com'],
      }),
    );
    const now = (await (await call('GET', '/users/yvonne/interact', token)).json()) as View;
    expect(now.restrictAccess).toEqual({ available: true });
    expect(now.domainTemplates.map((t) => t.id)).toEqual(['dt-own']);

    const noneSelected = await call('PATCH', '/users/yvonne/interact', token, { restrictAccess: true });
    expect(await noneSelected.json()).toMatchObject({
      error: { details: [{ field: 'domainTemplateIds', code: 'select-a-template' }] },
    });
    const otherUnit = await call('PATCH', '/users/yvonne/interact', token, {
      restrictAccess: true,
      domainTemplateIds: ['dt-other'],
    });
    expect(await otherUnit.json()).toMatchObject({
      error: { details: [{ field: 'domainTemplateIds', code: 'template-not-in-unit' }] },
    });
    const ok = await call('PATCH', '/users/yvonne/interact', token, {
      restrictAccess: true,
      domainTemplateIds: ['dt-own'],
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as View).settings).toMatchObject({ restrictAccess: true, domainTemplateIds: ['dt-own'] });
  });

  it("offers the domain templates of the user's unit and its ancestors, and the widget whitelists the same", async () => {
    const { tenantId, signIn } = await setup();
    const { store } = app;
    const unit = (id: string, parentId: string | null) =>
      store.repos.units.create({ id, tenantId, type: 'unit', name: id, parentId });
    await unit('root', null);
    await unit('region', 'root');
    await unit(UNIT, 'region');
    await unit('sibling', 'region');
    const template = (id: string, unitId: string, origin: string) =>
      store.repos.domainTemplates.create(domainTemplate(tenantId, id, { unitId, name: id, origins: [origin] }));
    await template('dt-own', UNIT, 'https://own.example.com');
    await template('dt-region', 'region', 'https://region.example.com');
    await template('dt-root', 'root', 'https://root.example.com');
    await template('dt-sibling', 'sibling', 'https://sibling.example.com');

    const token = await signIn('yvonne');
    const view = (await (await call('GET', '/users/yvonne/interact', token)).json()) as View;
    expect(view.domainTemplates.map((t) => t.id).sort()).toEqual(['dt-own', 'dt-region', 'dt-root']);
    const sibling = await call('PATCH', '/users/yvonne/interact', token, {
      restrictAccess: true,
      domainTemplateIds: ['dt-sibling'],
    });
    expect(await sibling.json()).toMatchObject({
      error: { details: [{ field: 'domainTemplateIds', code: 'template-not-in-unit' }] },
    });
    const fromRoot = await call('PATCH', '/users/yvonne/interact', token, {
      restrictAccess: true,
      domainTemplateIds: ['dt-root'],
    });
    expect(fromRoot.status).toBe(200);

    const configFrom = (origin: string) =>
      fetch(`${app.baseUrl}/interact/v1/contacts/ct-y-${tenantId}?key=${'k'.repeat(32)}`, { headers: { origin } });
    expect((await configFrom('https://root.example.com')).status).toBe(200);
    // A selected template moved out of the user's reach no longer whitelists its origins.
    await store.repos.domainTemplates.update(tenantId, 'dt-root', (t) => ({ ...t, unitId: 'sibling' }));
    expect((await configFrom('https://root.example.com')).status).toBe(403);
  });

  it('refuses fields the page cannot change and values of the wrong type', async () => {
    const { signIn } = await setup();
    const token = await signIn('yvonne');
    expect((await call('PATCH', '/users/yvonne/interact', token, { widgetKey: 'mine' })).status).toBe(400);
    expect((await call('PATCH', '/users/yvonne/interact', token, { active: 'yes' })).status).toBe(400);
  });

  it('regenerating the key invalidates the old snippet at once', async () => {
    const { tenantId, signIn } = await setup();
    const token = await signIn('yvonne');
    const old = 'k'.repeat(32);
    const configWith = (key: string) => fetch(`${app.baseUrl}/interact/v1/contacts/ct-y-${tenantId}?key=${key}`);
    expect((await configWith(old)).status).toBe(200);
    const res = await call('POST', '/users/yvonne/interact/regenerate-key', token);
    const view = (await res.json()) as View;
    expect(view.settings.widgetKey).not.toBe(old);
    expect(view.settings.contactId).toBe(`ct-y-${tenantId}`);
    expect(view.snippet).toContain(view.settings.widgetKey);
    const oldRes = await configWith(old);
    expect(oldRes.status).toBe(403);
    expect(await oldRes.json()).toMatchObject({ error: { code: 'invalid-widget-key' } });
    expect((await configWith(view.settings.widgetKey)).status).toBe(200);
  });
});

describe('Interact settings of a service', () => {
  it('is for admins, and exists only with the Interact service add-on', async () => {
    const { signIn } = await setup();
    const admin = await signIn('admin');
    expect((await call('GET', '/services/svc/interact', admin)).status).toBe(200);
    const noAddon = await call('GET', '/services/svc-no-addon/interact', admin);
    expect(noAddon.status).toBe(403);
    expect(await noAddon.json()).toMatchObject({
      error: { code: 'not-licensed', details: { reasons: ['interact-service-addon-missing'] } },
    });
    expect((await call('GET', '/services/svc/interact', await signIn('yvonne'))).status).toBe(403);
  });
});
