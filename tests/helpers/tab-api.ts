import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import nock from 'nock';
import type { App, AppOptions } from '../../bot/src/app';
import { startTestApp } from './app';
import { tabCall } from './tab-calls';
import { domainTemplate, interactSettings, service, systemMessages, tenant, user } from './fixtures';
import { newTenantId } from './store';

/** The tab's app registration in tests, and Entra's key set as our own key served through nock. */
export const TAB_CLIENT_ID = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
const KEYS_ORIGIN = 'https://login.keys.test';
const KEYS_PATH = '/common/discovery/v2.0/keys';
export const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const pem = (key: { privateKey: { export(o: { format: 'pem'; type: 'pkcs8' }): string | Buffer } }): string =>
  key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

/**
 * The app in Bot Framework mode with tab sign-on; Entra's published keys are ours (nock). Close it and
 * clean nock in afterAll (`close` does both).
 */
export async function startSignOnApp(
  env: Record<string, string> = {},
  /** As the app takes them (a test's delivery timing, say). */
  options: AppOptions = {},
): Promise<{ app: App; keys: nock.Scope; close(): Promise<void> }> {
  const jwk = signingKey.publicKey.export({ format: 'jwk' });
  const keys = nock(KEYS_ORIGIN)
    .get(KEYS_PATH)
    .reply(200, { keys: [{ ...jwk, kid: 'key-1', use: 'sig', alg: 'RS256' }] })
    .persist();
  const app = await startTestApp(
    {
      AUTH_MODE: 'botframework',
      BOT_ID: '11111111-2222-4333-8444-555555555555',
      BOT_PASSWORD: 'secret',
      TAB_SSO_CLIENT_ID: TAB_CLIENT_ID,
      ENTRA_KEYS_URL: `${KEYS_ORIGIN}${KEYS_PATH}`,
      DEMO_TENANT: 'false',
      ...env,
    },
    options,
  );
  return {
    app,
    keys,
    async close() {
      nock.cleanAll();
      await app.close();
    },
  };
}

/** A Teams SSO token for the tab: issued by the user's own tenant for our app, signed with our key unless told otherwise. */
export function ssoToken(
  claims: { tid: string; oid: string } & Record<string, unknown>,
  opts: { key?: string; kid?: string; expiresIn?: number; algorithm?: jwt.Algorithm } = {},
): string {
  return jwt.sign(
    {
      name: claims.oid,
      iss: `https://login.microsoftonline.com/${claims.tid}/v2.0`,
      aud: `api://cc.example.com/${TAB_CLIENT_ID}`,
      ...claims,
    },
    opts.key ?? pem(signingKey),
    { algorithm: opts.algorithm ?? 'RS256', keyid: opts.kid ?? 'key-1', expiresIn: opts.expiresIn ?? 3600 },
  );
}

/** A tenant with one unit, an admin, an agent, a service, a domain template and system messages, all with fixed ids. */
export async function seedAdminTenant(app: App): Promise<{ tenantId: string; admin: string; agent: string }> {
  const tenantId = newTenantId();
  const { repos, directory } = app.store;
  await repos.tenants.create(
    tenant(tenantId, {
      adminUserIds: ['admin'],
      licenses: {
        contactCenter: { total: 2, assignees: [] },
        interactService: { total: 1, assignees: [] },
        imModality: { total: 1, assignees: [] },
        interactUser: { total: 1, assignees: [] },
      },
    }),
  );
  await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Head office', parentId: null });
  await repos.users.create(
    user(tenantId, 'admin', { interact: interactSettings({ contactId: `ct-admin-${tenantId}` }) }),
  );
  await repos.users.create(
    user(tenantId, 'agent', {
      displayName: 'Alex Agent',
      interact: interactSettings({ contactId: `ct-agent-${tenantId}` }),
    }),
  );
  await repos.services.create(
    service(tenantId, 'svc', {
      im: { enabled: true, channels: { interact: false, whatsapp: false }, workflowId: null },
      interact: interactSettings({ contactId: `ct-svc-${tenantId}` }),
    }),
  );
  await directory.registerContact({
    id: `ct-svc-${tenantId}`,
    tenantId,
    target: { kind: 'service', serviceId: 'svc' },
  });
  await repos.domainTemplates.create(domainTemplate(tenantId, 'dt-1'));
  await repos.systemMessages.create(systemMessages(tenantId, 'sm-1'));
  return {
    tenantId,
    admin: ssoToken({ tid: tenantId, oid: 'admin' }),
    agent: ssoToken({ tid: tenantId, oid: 'agent' }),
  };
}

/** A call to the admin API as the holder of `bearer`. */
export const adminCall = (app: App, method: string, path: string, bearer: string, body?: unknown) =>
  tabCall(app, method, `/admin${path}`, bearer, body);

/** The admin pages' calls against one app: a tenant seeded as `seedAdminTenant` does, and calls as one of its people. */
export const adminKit = (app: () => App) => ({
  seedTenant: () => seedAdminTenant(app()),
  call: (method: string, path: string, bearer: string, body?: unknown) => adminCall(app(), method, path, bearer, body),
});

export const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; details?: unknown } }).error;
