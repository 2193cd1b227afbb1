import path from 'node:path';
import { formatConfigErrors, loadConfig } from '../../bot/src/config';

const local = { AUTH_MODE: 'local' };
const BOT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '99999999-8888-4777-8666-555555555555';

function errorsOf(env: Record<string, string>): Record<string, string> {
  const result = loadConfig(env, '/srv/app');
  if (result.ok) throw new Error('expected the configuration to be refused');
  return Object.fromEntries(result.refusal.map((e) => [e.variable, e.message]));
}

describe('configuration from the environment', () => {
  it('defaults to port 3978, the embedded store in ./data and loopback in local mode', () => {
    const result = loadConfig(local, '/srv/app');
    expect(result).toEqual({
      ok: true,
      value: {
        env: 'development',
        http: { port: 3978, host: '127.0.0.1', publicBaseUrl: undefined, trustedProxies: [] },
        logLevel: 'info',
        auth: { mode: 'local' },
        store: {
          kind: 'embedded',
          database: 'contactcenter',
          dataDir: path.resolve('/srv/app', './data'),
          saveIntervalMs: 60_000,
          journal: true,
        },
        seedDemoTenant: true,
        storeCacheMs: 5000,
        changeFeedPollMs: 500,
        instanceRenewMs: 5000,
        tabSso: { clientId: undefined, keysUrl: 'https://login.microsoftonline.com/common/discovery/v2.0/keys' },
        interactRateLimitScale: 1,
        customerAwaySeconds: 120,
        customerLeaveGraceSeconds: 15,
        outbound: { allow: [], webRequestMaxResponseBytes: 1_048_576 },
        onboarding: { tenants: 'any', bootstrapAdmins: [] },
        teamsPresence: { mode: 'off', pollSeconds: 30 },
        teamsApp: { catalogId: undefined },
        entra: { loginUrl: 'https://login.microsoftonline.com', graphUrl: 'https://graph.microsoft.com' },
      },
    });
  });

  it("reads another cloud's sign-in and Graph endpoints for the users import, as origins", () => {
    const result = loadConfig({
      ...local,
      ENTRA_LOGIN_URL: 'https://login.microsoftonline.us/',
      GRAPH_URL: 'https://graph.microsoft.us',
    });
    expect(result.ok && result.value.entra).toEqual({
      loginUrl: 'https://login.microsoftonline.us',
      graphUrl: 'https://graph.microsoft.us',
    });
    expect(errorsOf({ ...local, GRAPH_URL: 'graph.microsoft.us' })).toEqual({
      GRAPH_URL: expect.stringMatching(/URL/),
    });
  });

  describe('who may onboard a tenant', () => {
    const own = '8c1e3f53-2f4a-4e0b-9f1a-6f0d2a9b7c11';
    const other = '1d2c3b4a-5e6f-4a0b-8c9d-0e1f2a3b4c5d';
    const bot = { AUTH_MODE: 'botframework', BOT_ID: '2b6d1c9e-8a3f-4d71-9e0a-5c4b3a2f1e0d', BOT_PASSWORD: 'x' };
    const policy = (env: Record<string, string>) => {
      const result = loadConfig(env);
      if (!result.ok) throw new Error(JSON.stringify(result.refusal));
      return result.value.onboarding;
    };

    it.each([
      ['a single-tenant bot: its own tenant', { ...bot, BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: own }, [own]],
      ['a multi-tenant bot: nobody until it is configured', bot, []],
      [
        'a multi-tenant bot with a list',
        { ...bot, ONBOARDING_TENANTS: `${other}, OWN`, BOT_TENANT_ID: own },
        [other, own],
      ],
      ['an explicit any', { ...bot, ONBOARDING_TENANTS: 'any' }, 'any'],
      ['local development: any', local, 'any'],
    ] as const)('%s', (_name, env, tenants) => {
      expect(policy(env).tenants).toEqual(tenants);
    });

    it('reads bootstrap admins as object ids or UPNs, case-insensitively', () => {
      expect(
        policy({ ...local, BOOTSTRAP_ADMINS: 'Ada@Contoso.com, 0f9e8d7c-6b5a-4a3b-9c2d-1e0f9a8b7c6d' }).bootstrapAdmins,
      ).toEqual(['ada@contoso.com', '0f9e8d7c-6b5a-4a3b-9c2d-1e0f9a8b7c6d']);
    });

    it('refuses entries that are no tenant id, and own without BOT_TENANT_ID', () => {
      const bad = loadConfig({ ...bot, ONBOARDING_TENANTS: 'contoso.com' });
      expect(!bad.ok && bad.refusal).toEqual([
        {
          variable: 'ONBOARDING_TENANTS',
          message: 'must list Entra tenant ids (GUIDs), own or any; cannot read contoso.com',
        },
      ]);
      const noOwn = loadConfig({ ...bot, ONBOARDING_TENANTS: 'own' });
      expect(!noOwn.ok && noOwn.refusal).toEqual([
        { variable: 'ONBOARDING_TENANTS', message: 'names own, but BOT_TENANT_ID is not set' },
      ]);
    });
  });

  it('reads the outbound allow-list and the web request response cap, and names an entry it cannot read', () => {
    const result = loadConfig({
      ...local,
      OUTBOUND_ALLOW: 'crm.internal, *.corp.example, 10.20.0.0/16, fd00::/8, 127.0.0.1',
      WEB_REQUEST_MAX_RESPONSE_BYTES: '65536',
    });
    expect(result.ok && result.value.outbound.webRequestMaxResponseBytes).toBe(65536);
    expect(result.ok && result.value.outbound.allow.map((e) => e.kind)).toEqual([
      'host',
      'suffix',
      'cidr',
      'cidr',
      'cidr',
    ]);
    expect(
      errorsOf({ ...local, OUTBOUND_ALLOW: 'crm.internal, 10.0.0.0/33', WEB_REQUEST_MAX_RESPONSE_BYTES: '10' }),
    ).toEqual({
      OUTBOUND_ALLOW: expect.stringContaining('"10.0.0.0/33" is neither'),
      WEB_REQUEST_MAX_RESPONSE_BYTES: expect.stringContaining('must be a whole number from 1024'),
    });
  });

  it('reads trusted proxies as addresses, CIDRs and keywords, and names an entry it cannot read', () => {
    const result = loadConfig({ ...local, TRUSTED_PROXIES: 'private, 203.0.113.0/24,2001:db8::1' });
    expect(result.ok && result.value.http.trustedProxies).toEqual(['private', '203.0.113.0/24', '2001:db8::1']);
    expect(errorsOf({ ...local, TRUSTED_PROXIES: 'private,proxy.example.com' }).TRUSTED_PROXIES).toBe(
      'must list addresses, CIDRs, loopback or private; cannot read proxy.example.com (got "private,proxy.example.com")',
    );
  });

  it('treats empty values as unset, as App Service leaves them', () => {
    const result = loadConfig({ ...local, PORT: '', COSMOS_ENDPOINT: '' });
    expect(result.ok && result.value.http.port).toBe(3978);
    expect(result.ok && result.value.store.kind).toBe('embedded');
  });

  it('uses a Cosmos account when an endpoint is set, with or without a key', () => {
    const withKey = loadConfig({
      ...local,
      COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
      COSMOS_KEY: 'secret',
    });
    expect(withKey.ok && withKey.value.store).toEqual({
      kind: 'cosmos',
      database: 'contactcenter',
      endpoint: 'https://acct.documents.azure.com/',
      key: 'secret',
    });
    const identity = loadConfig({ ...local, COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/' });
    expect(identity.ok && identity.value.store).toMatchObject({ kind: 'cosmos', key: undefined });
  });

  it('requires bot credentials outside local mode and listens on all interfaces there', () => {
    const result = loadConfig({ BOT_ID, BOT_PASSWORD: 'pw', PORT: '8080' });
    expect(result.ok && result.value.auth).toEqual({
      mode: 'botframework',
      appId: BOT_ID,
      password: 'pw',
      type: 'MultiTenant',
      tenantId: undefined,
    });
    expect(result.ok && result.value.http.host).toBe('0.0.0.0');
  });

  it.each([
    [{ ...local, PORT: 'abc' }, 'PORT', 'must be a whole number from 0 to 65535 (got "abc")'],
    [{ ...local, PORT: '70000' }, 'PORT', 'must be a whole number from 0 to 65535 (got "70000")'],
    [{ ...local, NODE_ENV: 'staging' }, 'NODE_ENV', 'must be development, test or production (got "staging")'],
    [
      { ...local, LOG_LEVEL: 'loud' },
      'LOG_LEVEL',
      'must be fatal, error, warn, info, debug, trace or silent (got "loud")',
    ],
    [{ AUTH_MODE: 'none' }, 'AUTH_MODE', 'must be local or botframework (got "none")'],
    [{ ...local, COSMOS_ENDPOINT: 'not a url' }, 'COSMOS_ENDPOINT', 'must be an http(s) URL (got "not a url")'],
    [{ ...local, COSMOS_KEY: 'secret' }, 'COSMOS_KEY', 'is set but COSMOS_ENDPOINT is not'],
    [
      { ...local, COSMOS_DATABASE: 'bad name!' },
      'COSMOS_DATABASE',
      'may contain only letters, digits, _ and - (got "bad name!")',
    ],
    [
      { ...local, DATA_SAVE_INTERVAL_SECONDS: '0' },
      'DATA_SAVE_INTERVAL_SECONDS',
      'must be a whole number from 1 to 3600 (got "0")',
    ],
    [{ ...local, DEMO_TENANT: 'maybe' }, 'DEMO_TENANT', 'must be true or false (got "maybe")'],
    [{ ...local, PUBLIC_BASE_URL: 'ftp://x' }, 'PUBLIC_BASE_URL', 'must be an http(s) URL (got "ftp://x")'],
    [
      { BOT_PASSWORD: 'pw' },
      'BOT_ID',
      'is required when AUTH_MODE=botframework (use AUTH_MODE=local for local development)',
    ],
    [
      { BOT_ID: 'not-a-guid', BOT_PASSWORD: 'pw' },
      'BOT_ID',
      'must be the bot app registration id (a GUID) (got "not-a-guid")',
    ],
    [{ BOT_ID }, 'BOT_PASSWORD', 'is required when BOT_TYPE=MultiTenant'],
    [
      { BOT_ID, BOT_PASSWORD: 'pw', BOT_TYPE: 'SingleTenant' },
      'BOT_TENANT_ID',
      'is required when BOT_TYPE=SingleTenant',
    ],
    [{ BOT_ID, BOT_TYPE: 'UserAssignedMSI' }, 'BOT_TENANT_ID', 'is required when BOT_TYPE=UserAssignedMSI'],
    [
      { BOT_ID, BOT_PASSWORD: 'pw', BOT_TYPE: 'Other' },
      'BOT_TYPE',
      'must be MultiTenant, SingleTenant or UserAssignedMSI (got "Other")',
    ],
    [
      { BOT_ID, BOT_PASSWORD: 'pw', BOT_TENANT_ID: 'x' },
      'BOT_TENANT_ID',
      'must be the Entra tenant id (a GUID) (got "x")',
    ],
  ])('reports %j as %s %s', (env, variable, message) => {
    expect(errorsOf(env)).toEqual({ [variable]: message });
  });

  it('never echoes a secret in an error', () => {
    expect(errorsOf({ ...local, COSMOS_KEY: 'super-secret' }).COSMOS_KEY).not.toContain('super-secret');
  });

  it('reports every invalid variable at once, in one message', () => {
    const result = loadConfig({ PORT: 'x', LOG_LEVEL: 'loud', COSMOS_KEY: 'k', BOT_TYPE: 'SingleTenant' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.map((e) => e.variable).sort()).toEqual([
      'BOT_ID',
      'BOT_PASSWORD',
      'BOT_TENANT_ID',
      'COSMOS_KEY',
      'LOG_LEVEL',
      'PORT',
    ]);
    const message = formatConfigErrors(result.refusal);
    expect(message.split('\n')[0]).toBe('Invalid configuration:');
    expect(message).toContain('  PORT must be a whole number from 0 to 65535 (got "x")');
  });

  it('accepts valid values of every variable', () => {
    const result = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '0.0.0.0',
      PUBLIC_BASE_URL: 'https://cc.example.com/',
      LOG_LEVEL: 'warn',
      AUTH_MODE: 'botframework',
      COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
      COSMOS_DATABASE: 'cc_prod',
      DATA_DIR: '/var/data',
      DATA_SAVE_INTERVAL_SECONDS: '30',
      DEMO_TENANT: 'false',
      BOT_ID,
      BOT_TYPE: 'SingleTenant',
      BOT_PASSWORD: 'pw',
      BOT_TENANT_ID: TENANT,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.http.publicBaseUrl).toBe('https://cc.example.com');
    expect(result.value.seedDemoTenant).toBe(false);
    expect(result.value.auth).toEqual({
      mode: 'botframework',
      appId: BOT_ID,
      password: 'pw',
      type: 'SingleTenant',
      tenantId: TENANT,
    });
  });
});
