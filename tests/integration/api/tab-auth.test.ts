import { generateKeyPairSync } from 'node:crypto';
import type jwt from 'jsonwebtoken';
import nock from 'nock';
import type { App } from '../../../bot/src/app';
import { SigningKeys } from '../../../bot/src/channels/api/auth';
import { toErrorResponse } from '../../../bot/src/http/errors';
import { interactSettings, service, tenant, user } from '../../helpers/fixtures';
import { newTenantId } from '../../helpers/store';
import { TAB_CLIENT_ID as CLIENT_ID, pem, ssoToken, startSignOnApp } from '../../helpers/tab-api';

const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 });

let app: App;
let tenantA: string;
let tenantB: string;
beforeAll(async () => {
  ({ app } = await startSignOnApp());
  tenantA = newTenantId();
  tenantB = newTenantId();
  for (const t of [tenantA, tenantB]) {
    await app.store.repos.tenants.create(
      tenant(t, { adminUserIds: ['admin'], licenses: { interactUser: { total: 5, assignees: ['agent', 'admin'] } } }),
    );
    await app.store.repos.users.create(
      user(t, 'admin', { interact: interactSettings({ contactId: `ct-admin-${t}` }) }),
    );
    await app.store.repos.users.create(
      user(t, 'agent', { interact: interactSettings({ contactId: `ct-agent-${t}` }) }),
    );
    await app.store.repos.services.create(service(t, `svc-${t}`));
  }
});
afterAll(async () => {
  nock.cleanAll();
  await app.close();
});

type Claims = { tid?: string; oid?: string; iss?: string; aud?: string; wids?: string[] };
/** The agent of tenant A unless the claims say otherwise. */
function token(
  claims: Claims = {},
  opts: { key?: string; kid?: string; expiresIn?: number; algorithm?: jwt.Algorithm } = {},
): string {
  const tid = claims.tid ?? tenantA;
  return ssoToken({ oid: 'agent', name: 'Agent', ...claims, tid }, opts);
}
const me = (bearer?: string) =>
  fetch(`${app.baseUrl}/api/v1/me`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
const reasonOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; details?: { reason?: string } } }).error;

describe('tab API authentication (Teams SSO tokens)', () => {
  it('accepts a token of our app signed by the published key, and knows the user and tenant from it', async () => {
    const res = await me(token());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ tenantId: tenantA, userId: 'agent', isAdmin: false });
  });

  it('accepts the client id itself as the audience, and the v1 issuer form', async () => {
    expect((await me(token({ aud: CLIENT_ID }))).status).toBe(200);
    expect((await me(token({ iss: `https://sts.windows.net/${tenantA}/` }))).status).toBe(200);
  });

  it.each([
    ['no token', () => undefined, 401, 'missing-token'],
    [
      'another app as audience',
      () => token({ aud: 'api://cc.example.com/00000000-0000-4000-8000-000000000000' }),
      401,
      'wrong-audience',
    ],
    [
      'an issuer of another tenant',
      () => token({ iss: `https://login.microsoftonline.com/${tenantB}/v2.0` }),
      401,
      'wrong-issuer',
    ],
    ['an expired token', () => token({}, { expiresIn: -120 }), 401, 'expired'],
    ['a forged signature (other key, same key id)', () => token({}, { key: pem(impostor) }), 401, 'invalid-signature'],
    ['an unknown key id', () => token({}, { kid: 'key-404' }), 401, 'unknown-key'],
    ['a symmetric (HS256) token', () => token({}, { key: 'shared-secret', algorithm: 'HS256' }), 401, 'malformed'],
  ])('refuses %s', async (_name, make, status, reason) => {
    const res = await me(make());
    expect(res.status).toBe(status);
    expect(await reasonOf(res)).toMatchObject({ code: 'unauthenticated', details: { reason } });
  });

  it('refuses a valid token of an organization that is not set up, saying what to do; knows a newcomer of one that is', async () => {
    // A person of a set-up organization without a user record becomes one (no licenses): see onboarding.test.ts.
    const newcomer = await me(token({ oid: 'newcomer' }));
    expect(newcomer.status).toBe(200);
    expect(await newcomer.json()).toMatchObject({ userId: 'newcomer', isAdmin: false });
    const otherOrg = await me(token({ tid: 'not-set-up-tenant' }));
    expect(otherOrg.status).toBe(403);
    expect(await reasonOf(otherOrg)).toMatchObject({ code: 'tenant-not-set-up' });
  });

  it('makes tenant admins of the listed users and of Entra global admins', async () => {
    expect(await (await me(token({ oid: 'admin' }))).json()).toMatchObject({ isAdmin: true });
    expect(await (await me(token({ wids: ['62e90394-69f5-4237-9190-012177145e10'] }))).json()).toMatchObject({
      isAdmin: true,
    });
  });

  it('has no dev sign-in outside local mode', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: tenantA, userId: 'admin' }),
    });
    expect(res.status).toBe(404);
  });
});

describe('tenant isolation', () => {
  const get = (path: string, bearer: string) =>
    fetch(`${app.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${bearer}` } });

  it("an admin of tenant A gets 404 for tenant B's users and services, whatever the URL says", async () => {
    const adminA = token({ oid: 'admin' });
    expect((await get(`/users/agent/interact`, adminA)).status).toBe(200);
    expect((await get(`/services/svc-${tenantB}/interact`, adminA)).status).toBe(404);
    const res = await get(`/users/agent/interact`, adminA);
    expect(((await res.json()) as { settings: { contactId: string } }).settings.contactId).toBe(`ct-agent-${tenantA}`);
  });

  it("an agent may read their own settings, not another user's, nor a service's", async () => {
    const agentA = token({ oid: 'agent' });
    expect((await get('/users/agent/interact', agentA)).status).toBe(200);
    const other = await get('/users/admin/interact', agentA);
    expect(other.status).toBe(403);
    expect(await reasonOf(other)).toMatchObject({ code: 'admin-only' });
    expect((await get(`/services/svc-${tenantA}/interact`, agentA)).status).toBe(403);
  });
});

describe("Entra's published keys", () => {
  it('answer 503 with Retry-After, not 500, when the key endpoint cannot be reached', async () => {
    const down = nock('https://keys.down.test')
      .get('/keys')
      .replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    const broken = nock('https://keys.broken.test').get('/keys').reply(200, '<html>maintenance</html>');
    for (const url of ['https://keys.down.test/keys', 'https://keys.broken.test/keys']) {
      const failure = await new SigningKeys(url).get('key-1').then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(toErrorResponse(failure, 'r-1')).toMatchObject({
        status: 503,
        body: { error: { code: 'sign-in-unavailable' } },
        headers: { 'retry-after': '30' },
        unexpected: false,
      });
    }
    expect(down.isDone() && broken.isDone()).toBe(true);
  });
});
