import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../bot/src/config';
import { formatProductionRefusals, productionRefusals } from '../../bot/src/production-guard';

const BOT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '99999999-8888-4777-8666-555555555555';
const COSMOS = 'https://acct.documents.azure.com:443/';

/** The settings the Azure deployment gives the web app: managed identity for the bot and for Cosmos DB. */
const TAB_APP = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
const azure = {
  NODE_ENV: 'production',
  AUTH_MODE: 'botframework',
  BOT_TYPE: 'UserAssignedMSI',
  BOT_ID,
  BOT_TENANT_ID: TENANT,
  COSMOS_ENDPOINT: COSMOS,
  TAB_SSO_CLIENT_ID: TAB_APP,
};

function configOf(env: Record<string, string>): Config {
  const result = loadConfig(env, '/srv/app');
  if (!result.ok) throw new Error(`configuration refused: ${JSON.stringify(result.refusal)}`);
  return result.value;
}

const refusalNames = (env: Record<string, string>) => productionRefusals(configOf(env)).map((r) => r.name);

describe('the production guard', () => {
  it('lets the Azure deployment settings start', () => {
    expect(productionRefusals(configOf(azure))).toEqual([]);
  });

  it('accepts a bot with a client secret as well as one with a managed identity', () => {
    expect(refusalNames({ ...azure, BOT_TYPE: 'SingleTenant', BOT_PASSWORD: 'secret' })).toEqual([]);
    expect(refusalNames({ ...azure, BOT_TYPE: 'MultiTenant', BOT_PASSWORD: 'secret', BOT_TENANT_ID: '' })).toEqual([]);
  });

  it('refuses local auth mode and the embedded store together, naming both', () => {
    expect(refusalNames({ NODE_ENV: 'production', AUTH_MODE: 'local', TAB_SSO_CLIENT_ID: TAB_APP })).toEqual([
      'local-auth',
      'embedded-store',
    ]);
  });

  it('refuses to run without the tab sign-on app, which the tab API checks tokens against', () => {
    expect(refusalNames({ ...azure, TAB_SSO_CLIENT_ID: '' })).toEqual(['no-tab-sign-on']);
  });

  it('refuses local auth mode even with Cosmos DB configured', () => {
    expect(
      refusalNames({ NODE_ENV: 'production', AUTH_MODE: 'local', COSMOS_ENDPOINT: COSMOS, TAB_SSO_CLIENT_ID: TAB_APP }),
    ).toEqual(['local-auth']);
  });

  it('refuses the embedded store unless it is explicitly allowed', () => {
    const embedded = { ...azure, COSMOS_ENDPOINT: '' };
    expect(refusalNames(embedded)).toEqual(['embedded-store']);
    expect(refusalNames({ ...embedded, ALLOW_EMBEDDED_STORE_IN_PRODUCTION: 'false' })).toEqual(['embedded-store']);
    expect(refusalNames({ ...embedded, ALLOW_EMBEDDED_STORE_IN_PRODUCTION: 'true' })).toEqual([]);
  });

  it('refuses a bot configuration without its credentials', () => {
    const base = configOf(azure);
    const withoutSecret: Config = {
      ...base,
      auth: { mode: 'botframework', appId: BOT_ID, password: undefined, type: 'SingleTenant', tenantId: TENANT },
    };
    const withoutTenant: Config = {
      ...base,
      auth: { mode: 'botframework', appId: BOT_ID, password: undefined, type: 'UserAssignedMSI', tenantId: undefined },
    };
    const withoutId: Config = {
      ...base,
      auth: { mode: 'botframework', appId: '', password: 'secret', type: 'MultiTenant', tenantId: undefined },
    };
    expect(productionRefusals(withoutSecret)).toEqual([
      { name: 'no-bot-credentials', message: expect.stringContaining('BOT_PASSWORD') },
    ]);
    expect(productionRefusals(withoutTenant)).toEqual([
      { name: 'no-bot-credentials', message: expect.stringContaining('BOT_TENANT_ID') },
    ]);
    expect(productionRefusals(withoutId)).toEqual([
      { name: 'no-bot-credentials', message: expect.stringContaining('BOT_ID') },
    ]);
  });

  it('does not apply outside production', () => {
    expect(refusalNames({ NODE_ENV: 'development', AUTH_MODE: 'local' })).toEqual([]);
    expect(refusalNames({ NODE_ENV: 'test', AUTH_MODE: 'local' })).toEqual([]);
  });

  it('rejects a malformed allow flag as a configuration error', () => {
    const result = loadConfig({ ...azure, ALLOW_EMBEDDED_STORE_IN_PRODUCTION: 'sure' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.refusal).toEqual([
      { variable: 'ALLOW_EMBEDDED_STORE_IN_PRODUCTION', message: 'must be true or false (got "sure")' },
    ]);
  });

  it('prints one line per reason', () => {
    const text = formatProductionRefusals(productionRefusals(configOf({ NODE_ENV: 'production', AUTH_MODE: 'local' })));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Refusing to start with NODE_ENV=production:');
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual([
      '  local-auth',
      '  no-tab-sign-on',
      '  embedded-store',
    ]);
  });
});

/** Runs bot/src/main.ts; a server that starts instead of refusing is killed, so a failing guard fails fast. */
function runServer(env: Record<string, string>, timeoutMs = 15000): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/src/main.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('Contact center is running')) proc.kill('SIGKILL');
  };
  proc.stdout.on('data', collect);
  proc.stderr.on('data', collect);
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('the server process in production', () => {
  it('exits with status 1 and says why, before opening a port or a store', async () => {
    const { code, output } = await runServer({
      NODE_ENV: 'production',
      AUTH_MODE: 'local',
      PORT: '0',
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cc-guard-')),
    });
    expect(code).toBe(1);
    expect(output).toContain('Refusing to start with NODE_ENV=production:');
    expect(output).toContain('local-auth: AUTH_MODE=local');
    expect(output).toContain('embedded-store: COSMOS_ENDPOINT is not set');
    expect(output).not.toContain('Contact center is running');
  });
});
