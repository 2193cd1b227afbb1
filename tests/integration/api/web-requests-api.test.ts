import type { App } from '../../../bot/src/app';
import { webRequestInput } from '../../helpers/fixtures';
import { openForAll } from '../../helpers/hooks';
import { adminKit, errorOf, startSignOnApp } from '../../helpers/tab-api';

/**
 * The web requests of the admin pages, with real Teams sign-on tokens published through nock as Entra's
 * key set. API keys and client secrets never come back; every tenant uses the same ids.
 */
let app: App;
openForAll(async () => ({ app } = await startSignOnApp()));
const { seedTenant, call } = adminKit(() => app);

const oauth2 = {
  kind: 'oauth2-client-credentials',
  tokenUrl: 'https://login.example.com/token',
  clientId: 'client-1',
  clientSecret: 'client-secret-456',
  scope: null,
};

type Item = { id: string; tenantId: string; name: string; auth: Record<string, unknown> };
type Problems = { ok: boolean; errors: { field: string; message: string }[] };

describe('admin API: web requests', () => {
  it('creates, lists and reads web requests without ever returning the secret', async () => {
    const a = await seedTenant();
    expect(((await (await call('GET', '/web-requests', a.admin)).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await call('GET', '/web-requests/wr-1', a.admin)).status).toBe(404);

    const created = await call('PUT', '/web-requests/wr-1', a.admin, {
      ...webRequestInput(),
      tenantId: 'someone-else',
      id: 'other',
    });
    expect(created.status).toBe(200);
    const body = await created.text();
    expect(body).not.toContain('key-123-secret');
    expect(JSON.parse(body)).toMatchObject({
      id: 'wr-1',
      tenantId: a.tenantId,
      auth: { kind: 'api-key', header: 'X-Api-Key', value: '********' },
    });
    expect((await app.workflows.repos.webRequests.get(a.tenantId, 'wr-1')).auth).toEqual({
      kind: 'api-key',
      header: 'X-Api-Key',
      value: 'key-123-secret',
    });

    const list = await (await call('GET', '/web-requests', a.admin)).text();
    expect(list).not.toContain('key-123-secret');
    expect(JSON.parse(list)).toEqual({
      items: [{ id: 'wr-1', name: 'Order status', unitId: 'unit-1', method: 'GET', url: webRequestInput().url }],
    });
    const one = await (await call('GET', '/web-requests/wr-1', a.admin)).text();
    expect(one).not.toContain('key-123-secret');
    expect(JSON.parse(one)).toMatchObject({
      name: 'Order status',
      auth: { value: '********' },
      responseMappings: [{ path: '$.status', parameter: 'orderStatus' }],
    });
  });

  it('keeps the stored secret when the edit sends it redacted or leaves it out, and only for the same destination', async () => {
    const a = await seedTenant();
    await call('PUT', '/web-requests/wr-1', a.admin, webRequestInput());
    const edited = (await (await call('GET', '/web-requests/wr-1', a.admin)).json()) as Item;
    const { id: _id, tenantId: _t, type: _type, ...definition } = edited as Item & { type: string };

    const renamed = await call('PUT', '/web-requests/wr-1', a.admin, { ...definition, name: 'Order status v2' });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: 'Order status v2', auth: { value: '********' } });
    expect((await app.workflows.repos.webRequests.get(a.tenantId, 'wr-1')).auth).toMatchObject({
      value: 'key-123-secret',
    });

    const omitted = await call('PUT', '/web-requests/wr-1', a.admin, {
      ...definition,
      auth: { kind: 'api-key', header: 'X-Api-Key' },
    });
    expect(omitted.status).toBe(200);
    expect((await app.workflows.repos.webRequests.get(a.tenantId, 'wr-1')).auth).toMatchObject({
      value: 'key-123-secret',
    });

    // Another host would receive the stored key: it must be entered again.
    const moved = await call('PUT', '/web-requests/wr-1', a.admin, {
      ...definition,
      url: 'https://elsewhere.example.net/status',
    });
    expect(moved.status).toBe(400);
    expect(await errorOf(moved)).toMatchObject({
      code: 'invalid',
      details: [{ field: 'auth.value', message: expect.stringContaining('Enter the API key again') }],
    });

    // A new secret replaces the stored one; OAuth2 secrets are redacted and kept the same way.
    expect((await call('PUT', '/web-requests/wr-1', a.admin, { ...definition, auth: oauth2 })).status).toBe(200);
    const withOauth = await (await call('GET', '/web-requests/wr-1', a.admin)).text();
    expect(withOauth).not.toContain('client-secret-456');
    expect(JSON.parse(withOauth)).toMatchObject({
      auth: { kind: 'oauth2-client-credentials', clientId: 'client-1', clientSecret: '********' },
    });
    expect(
      (
        await call('PUT', '/web-requests/wr-1', a.admin, {
          ...definition,
          auth: { ...oauth2, clientSecret: '********' },
          timeoutSeconds: 20,
        })
      ).status,
    ).toBe(200);
    expect(await app.workflows.repos.webRequests.get(a.tenantId, 'wr-1')).toMatchObject({
      timeoutSeconds: 20,
      auth: { clientSecret: 'client-secret-456' },
    });
    const otherClient = await call('POST', '/web-requests/wr-1/check', a.admin, {
      ...definition,
      auth: { ...oauth2, clientId: 'client-2', clientSecret: '********' },
    });
    expect(await otherClient.json()).toEqual({
      ok: false,
      errors: [{ field: 'auth.clientSecret', message: expect.stringContaining('Enter the client secret again') }],
    });

    // A new web request has no stored secret to keep.
    const fresh = await call(
      'PUT',
      '/web-requests/wr-2',
      a.admin,
      webRequestInput({ auth: { kind: 'api-key', header: 'X-Api-Key', value: '********' } }),
    );
    expect(fresh.status).toBe(400);
    expect(await errorOf(fresh)).toMatchObject({
      details: [{ field: 'auth.value', message: expect.stringContaining('none is stored') }],
    });
  });

  it('checks a definition without saving it and refuses an invalid one with field errors', async () => {
    const a = await seedTenant();
    const good = await call('POST', '/web-requests/wr-1/check', a.admin, webRequestInput());
    expect(await good.json()).toEqual({ ok: true, errors: [] });
    expect(await app.workflows.repos.webRequests.find(a.tenantId, 'wr-1')).toBeUndefined();

    const broken = webRequestInput({
      method: 'FETCH',
      url: 'ftp://orders.example.com/{{param.orderId',
      unitId: 'unit-x',
      timeoutSeconds: 600,
    });
    const checked = (await (await call('POST', '/web-requests/wr-1/check', a.admin, broken)).json()) as Problems;
    expect(checked.ok).toBe(false);
    expect(checked.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['unitId', 'method', 'timeoutSeconds']));
    for (const e of checked.errors) expect(e.message).not.toBe('');

    const refused = await call('PUT', '/web-requests/wr-1', a.admin, broken);
    expect(refused.status).toBe(400);
    const error = await errorOf(refused);
    expect(error).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^The web request has \d+ errors?\.$/),
    });
    expect((error.details as { field: string }[]).map((d) => d.field)).toEqual(
      expect.arrayContaining(['unitId', 'method', 'timeoutSeconds']),
    );

    // Templates are checked too: an unclosed placeholder in the URL is named by field.
    const template = (await (
      await call(
        'POST',
        '/web-requests/wr-1/check',
        a.admin,
        webRequestInput({ url: 'https://orders.example.com/{{param.orderId' }),
      )
    ).json()) as Problems;
    expect(template.ok).toBe(false);
    expect(template.errors.some((e) => e.field === 'url')).toBe(true);
    expect(await app.workflows.repos.webRequests.find(a.tenantId, 'wr-1')).toBeUndefined();
  });

  it('refuses a URL or token URL the server must not call (loopback, metadata, odd spellings, localhost), naming the field', async () => {
    const a = await seedTenant();
    for (const [url, address] of [
      ['http://127.0.0.1/status', '127.0.0.1'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      ['http://2130706433/status', '127.0.0.1'],
      ['http://[::1]:8081/', '::1'],
    ] as const) {
      const refused = await call('PUT', '/web-requests/wr-1', a.admin, webRequestInput({ url }));
      expect(refused.status).toBe(400);
      expect(await errorOf(refused)).toMatchObject({
        code: 'invalid',
        message: 'The web request has 1 error.',
        details: [
          {
            field: 'url',
            message: expect.stringMatching(
              new RegExp(
                `the address ${address.replace(/\./g, '\\.')} is not public .*; ask the deployment to allow-list it$`,
              ),
            ),
          },
        ],
      });
    }
    const token = await call(
      'PUT',
      '/web-requests/wr-1',
      a.admin,
      webRequestInput({ auth: { ...oauth2, tokenUrl: 'http://localhost:3978/token' } }),
    );
    expect(token.status).toBe(400);
    expect(await errorOf(token)).toMatchObject({
      details: [
        { field: 'auth.tokenUrl', message: 'the host localhost is this server; ask the deployment to allow-list it' },
      ],
    });
    expect(
      await (
        await call('POST', '/web-requests/wr-1/check', a.admin, webRequestInput({ url: 'http://169.254.169.254/' }))
      ).json(),
    ).toEqual({
      ok: false,
      errors: [{ field: 'url', message: expect.stringContaining('the address 169.254.169.254 is not public') }],
    });
    expect(await app.workflows.repos.webRequests.find(a.tenantId, 'wr-1')).toBeUndefined();
  });

  it('is for admins only, and each tenant sees only its own web requests', async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    await call('PUT', '/web-requests/wr-1', a.admin, webRequestInput());
    expect((await call('GET', '/web-requests', a.agent)).status).toBe(403);
    expect((await call('GET', '/web-requests/wr-1', a.agent)).status).toBe(403);
    expect((await call('POST', '/web-requests/wr-1/check', a.agent, webRequestInput())).status).toBe(403);
    expect((await call('PUT', '/web-requests/wr-1', a.agent, webRequestInput({ name: 'Hijacked' }))).status).toBe(403);

    expect((await call('GET', '/web-requests/wr-1', b.admin)).status).toBe(404);
    expect(((await (await call('GET', '/web-requests', b.admin)).json()) as { items: unknown[] }).items).toEqual([]);
    // B saving the same id writes B's own item, without A's secret: there is none to keep in B.
    const b1 = await call(
      'PUT',
      '/web-requests/wr-1',
      b.admin,
      webRequestInput({ name: 'Only in B', auth: { kind: 'api-key', header: 'X-Api-Key', value: '********' } }),
    );
    expect(b1.status).toBe(400);
    expect(
      (await call('PUT', '/web-requests/wr-1', b.admin, webRequestInput({ name: 'Only in B', auth: { kind: 'none' } })))
        .status,
    ).toBe(200);
    expect((await app.workflows.repos.webRequests.get(a.tenantId, 'wr-1')).name).toBe('Order status');
    expect((await app.workflows.repos.webRequests.get(b.tenantId, 'wr-1')).name).toBe('Only in B');
  });
});
