import type { App } from '../../../bot/src/app';
import { InteractSettings } from '../../../bot/src/core/model';
import { startTestApp } from '../../helpers/app';
import { interactSettings, user } from '../../helpers/fixtures';
import { openForAll } from '../../helpers/hooks';
import { type Setup, interactKit } from '../../helpers/interact';
import { devSignIn, tabCall } from '../../helpers/tab-calls';

/**
 * The privacy policy the widget's consent links to: the organization's, which admins change on the
 * admin pages, or a contact's own from its Interact settings. Over HTTP against the embedded store.
 */
let app: App;
openForAll(async () => (app = await startTestApp({ DEMO_TENANT: 'false' })));
const { setup, getConfig } = interactKit(() => app);

const TENANT_URL = 'https://example.com/privacy';

/** A website-reachable service (svc-web) of a tenant with an admin and an agent who is not one. */
async function tenantWithAdmin() {
  const s = await setup({ tenant: { adminUserIds: ['admin'] } });
  await app.store.repos.users.create(
    user(s.tenantId, 'admin', { interact: interactSettings({ contactId: `ct-a-${s.tenantId}` }) }),
  );
  const admin = await devSignIn(app, s.tenantId, 'admin');
  const agent = await devSignIn(app, s.tenantId, 'agent-1');
  return { s, admin, agent };
}

const call = (method: string, path: string, bearer: string, body?: unknown) => tabCall(app, method, path, bearer, body);
const configUrl = async (s: Setup) => {
  const res = await getConfig(s);
  expect(res.status).toBe(200);
  return ((await res.json()) as { privacyPolicyUrl: string | null }).privacyPolicyUrl;
};
const storedTenant = (s: Setup) => app.store.repos.tenants.get(s.tenantId, s.tenantId);

describe('the organization privacy policy (admin API)', () => {
  it('is read and changed by an admin, refused to others, validated, and followed by the contact config', async () => {
    const { s, admin, agent } = await tenantWithAdmin();
    const read = await call('GET', '/admin/privacy-policy', admin);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ privacyPolicyUrl: TENANT_URL });

    const changed = await call('PUT', '/admin/privacy-policy', admin, {
      privacyPolicyUrl: 'https://example.com/new-privacy',
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ privacyPolicyUrl: 'https://example.com/new-privacy' });
    expect((await storedTenant(s)).privacyPolicyUrl).toBe('https://example.com/new-privacy');
    expect(await configUrl(s)).toBe('https://example.com/new-privacy');

    // Not an admin: refused, reading included, and nothing changes.
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { privacyPolicyUrl: 'https://evil.example/privacy' }],
    ] as const) {
      const refused = await call(method, '/admin/privacy-policy', agent, body);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'admin-only' } });
    }

    // Bad values: 400 naming the field, and the tenant document is not written.
    const before = await storedTenant(s);
    for (const bad of [
      { privacyPolicyUrl: 'javascript:alert(1)' },
      { privacyPolicyUrl: 'not a url' },
      { privacyPolicyUrl: `https://example.com/${'a'.repeat(2000)}` },
      { privacyPolicyUrl: 'https://example.com/privacy', interactEnabled: false },
      {},
    ]) {
      const res = await call('PUT', '/admin/privacy-policy', admin, bad);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid-request', details: [expect.any(Object)] } });
    }
    const invalid = await call('PUT', '/admin/privacy-policy', admin, { privacyPolicyUrl: 'ftp://example.com/p' });
    expect(await invalid.json()).toMatchObject({
      error: {
        code: 'invalid-request',
        details: [{ path: 'privacyPolicyUrl', message: expect.stringContaining('https://') }],
      },
    });
    expect((await storedTenant(s))._etag).toBe(before._etag);
    expect(await configUrl(s)).toBe('https://example.com/new-privacy');

    // Cleared: the widget links to none.
    const cleared = await call('PUT', '/admin/privacy-policy', admin, { privacyPolicyUrl: null });
    expect(await cleared.json()).toEqual({ privacyPolicyUrl: null });
    expect(await configUrl(s)).toBeNull();
  });

  it('is a conditional write: a license assigned at the same time is kept, and so is the URL', async () => {
    const { s, admin } = await tenantWithAdmin();
    const [license, policy] = await Promise.all([
      call('POST', '/admin/licenses/assign', admin, { kind: 'interactUser', holderId: 'admin' }),
      call('PUT', '/admin/privacy-policy', admin, { privacyPolicyUrl: 'https://example.com/both' }),
    ]);
    expect([license.status, policy.status]).toEqual([200, 200]);
    const stored = await storedTenant(s);
    expect(stored.privacyPolicyUrl).toBe('https://example.com/both');
    expect(stored.licenses.interactUser.assignees).toContain('admin');
  });
});

describe("a contact's own privacy policy (Interact settings)", () => {
  it('overrides the organization’s in the contact config until it is cleared', async () => {
    const { s, admin } = await tenantWithAdmin();
    const path = `/services/${s.serviceId}/interact`;
    const view = (await (await call('GET', path, admin)).json()) as { settings: { privacyPolicyUrl: string | null } };
    expect(view.settings.privacyPolicyUrl).toBeNull();
    expect(await configUrl(s)).toBe(TENANT_URL);

    const own = await call('PATCH', path, admin, { privacyPolicyUrl: 'https://shop.example.com/privacy' });
    expect(own.status).toBe(200);
    expect(((await own.json()) as typeof view).settings.privacyPolicyUrl).toBe('https://shop.example.com/privacy');
    expect(await configUrl(s)).toBe('https://shop.example.com/privacy');

    // The organization's changes do not reach a contact with its own; other settings leave it as it is.
    await call('PUT', '/admin/privacy-policy', admin, { privacyPolicyUrl: 'https://example.com/v2' });
    expect((await call('PATCH', path, admin, { audioVideo: true })).status).toBe(200);
    expect(await configUrl(s)).toBe('https://shop.example.com/privacy');

    const bad = await call('PATCH', path, admin, { privacyPolicyUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'invalid-request', details: [{ path: 'privacyPolicyUrl' }] },
    });
    expect((await app.store.repos.services.get(s.tenantId, s.serviceId)).interact.privacyPolicyUrl).toBe(
      'https://shop.example.com/privacy',
    );

    // Cleared: the organization's again.
    expect((await call('PATCH', path, admin, { privacyPolicyUrl: null })).status).toBe(200);
    expect(await configUrl(s)).toBe('https://example.com/v2');
  });

  it('reads stored settings from before the field as "use the organization’s"', () => {
    const { privacyPolicyUrl: _dropped, ...older } = interactSettings();
    expect(InteractSettings.parse(older).privacyPolicyUrl).toBeNull();
  });
});
