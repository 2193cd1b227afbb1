import { z } from 'zod/v4';
import type { App } from '../../../bot/src/app';
import { serviceReachableByWebsite, userReachableByWebsite } from '../../../bot/src/core/licensing';
import { HttpError } from '../../../bot/src/http/errors';
import { handle } from '../../../bot/src/http/server';
import { DEMO_TENANT_ID, demoIds, seedDemoTenant } from '../../../bot/src/services/demo-tenant';
import { startTestApp } from '../../helpers/app';
import { DEMO_BANNER_URL_NAMES } from '../../helpers/process';

let app: App;
beforeAll(async () => {
  app = await startTestApp();
  // Routes that exercise the error mapping of the HTTP edge.
  app.server.get(
    '/test/boom',
    handle(() => {
      throw new Error('database exploded');
    }),
  );
  app.server.get(
    '/test/refused',
    handle(() => {
      throw new HttpError(429, 'rate-limited', 'Slow down.', undefined, { 'retry-after': '7' });
    }),
  );
  app.server.post(
    '/test/echo',
    handle((req) => z.object({ name: z.string().min(1).max(5) }).parse(req.body)),
  );
});
afterAll(async () => {
  await app.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.baseUrl}${path}`, { headers });

describe('HTTP edge', () => {
  it('answers /healthz with the store kind and a request id', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', store: 'embedded' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a caller-supplied request id and replaces an unsafe one', async () => {
    expect((await get('/healthz', { 'x-request-id': 'trace-123' })).headers.get('x-request-id')).toBe('trace-123');
    expect((await get('/healthz', { 'x-request-id': 'bad id <script>' })).headers.get('x-request-id')).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  it('answers an unknown route and a wrong method in the one error shape', async () => {
    const missing = await get('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not-found', message: 'No such endpoint.' } });

    const wrongMethod = await fetch(`${app.baseUrl}/healthz`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({
      error: { code: 'method-not-allowed', message: expect.stringContaining('DELETE') },
    });
  });

  it('turns a validation failure into 400 with the fields named', async () => {
    const res = await fetch(`${app.baseUrl}/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'far too long' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid-request',
        message: 'The request is not valid.',
        details: [{ path: 'name', message: expect.stringContaining('5') }],
      },
    });
  });

  it('turns malformed JSON into 400 in the same shape', async () => {
    const res = await fetch(`${app.baseUrl}/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid-json', message: 'The request body is not valid JSON.' },
    });
  });

  it("refuses a body over its route's limit with 413 in the same shape", async () => {
    const res = await fetch(`${app.baseUrl}/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'payload-too-large', message: expect.any(String) } });
  });

  it('passes an expected refusal through with its status and headers', async () => {
    const res = await get('/test/refused');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ error: { code: 'rate-limited', message: 'Slow down.' } });
  });

  it('hides an unexpected error behind a reference the logs carry', async () => {
    const res = await get('/test/boom', { 'x-request-id': 'ref-42' });
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: 'internal', message: 'Something went wrong on our side. Reference: ref-42' },
    });
    expect(JSON.stringify(body)).not.toContain('exploded');
  });

  it('lists the URLs to open', () => {
    expect(app.urls.map((u) => u.name)).toEqual(DEMO_BANNER_URL_NAMES);
    expect(app.urls[0]?.url).toBe(`${app.baseUrl}/healthz`);
  });
});

describe('demo tenant', () => {
  it('is seeded with Service B reachable by website and User Y directly reachable', async () => {
    const { repos } = app.store;
    const tenant = await repos.tenants.get(DEMO_TENANT_ID, DEMO_TENANT_ID);
    const service = await repos.services.get(DEMO_TENANT_ID, demoIds.service);
    const userY = await repos.users.get(DEMO_TENANT_ID, demoIds.userY);
    expect(service.name).toBe('Service B');
    expect(serviceReachableByWebsite(tenant, service)).toEqual({ allowed: true });
    expect(userReachableByWebsite(tenant, userY)).toEqual({ allowed: true });
    expect(userY.interact).toMatchObject({ active: true, instantMessaging: true });
  });

  it('has two IM-licensed agents in Service B and a localhost domain template for this port', async () => {
    const { repos } = app.store;
    const tenant = await repos.tenants.get(DEMO_TENANT_ID, DEMO_TENANT_ID);
    const service = await repos.services.get(DEMO_TENANT_ID, demoIds.service);
    expect(service.members.map((m) => m.userId)).toEqual([...demoIds.agents]);
    for (const agent of demoIds.agents) expect(tenant.licenses.imModality.assignees).toContain(agent);
    const template = await repos.domainTemplates.get(DEMO_TENANT_ID, demoIds.domainTemplate);
    expect(template.origins).toContain(app.baseUrl);
    expect(service.interact.domainTemplateIds).toEqual([template.id]);
    const messages = await repos.systemMessages.get(DEMO_TENANT_ID, demoIds.systemMessages);
    expect(messages.toCustomer.onAccept).toEqual(expect.any(String));
  });

  it('gives every user and service its own contact id and widget key', async () => {
    const { repos } = app.store;
    const targets = [...(await repos.users.query(DEMO_TENANT_ID)), ...(await repos.services.query(DEMO_TENANT_ID))];
    expect(targets).toHaveLength(5);
    expect(new Set(targets.map((t) => t.interact.contactId)).size).toBe(5);
    expect(new Set(targets.map((t) => t.interact.widgetKey)).size).toBe(5);
  });

  it('is seeded once: a second start leaves it as it is', async () => {
    const before = await app.store.repos.services.get(DEMO_TENANT_ID, demoIds.service);
    expect(await seedDemoTenant(app.store, { port: 1 })).toEqual({ seeded: false, tenantId: DEMO_TENANT_ID });
    const after = await app.store.repos.services.get(DEMO_TENANT_ID, demoIds.service);
    expect(after._etag).toBe(before._etag);
  });
});

describe('health when the store is gone', () => {
  it('answers 503 once the store cannot be reached', async () => {
    await app.store.embedded?.stop();
    const res = await get('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', store: 'embedded' });
  });
});
