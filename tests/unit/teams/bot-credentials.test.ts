import { credentialOptions } from '../../../bot/src/channels/teams/bot-auth';
import { loadConfig } from '../../../bot/src/config';
import { productionRefusals } from '../../../bot/src/production-guard';

const BOT_ID = '8f2d6c1a-4b3e-4f5a-9c7d-2e1f0a9b8c7d';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const THUMBPRINT = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';

const authOf = (env: Record<string, string>) => {
  const result = loadConfig(env, '/srv/app');
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.value.auth;
};

describe('Bot Framework credentials from the configuration', () => {
  it('uses the client secret', () => {
    expect(credentialOptions(authOf({ BOT_ID, BOT_PASSWORD: 's3cret' }))).toEqual({
      MicrosoftAppId: BOT_ID,
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppPassword: 's3cret',
    });
  });

  it('uses a certificate (thumbprint and private key file) instead of a secret', () => {
    const auth = authOf({
      BOT_ID,
      BOT_TYPE: 'SingleTenant',
      BOT_TENANT_ID: TENANT,
      BOT_CERTIFICATE_THUMBPRINT: THUMBPRINT,
      BOT_CERTIFICATE_KEY_FILE: 'certs/bot.pem',
    });
    expect(auth).toMatchObject({ certificate: { thumbprint: THUMBPRINT, privateKeyFile: '/srv/app/certs/bot.pem' } });
    expect(credentialOptions(auth, (file) => `key from ${file}`)).toEqual({
      MicrosoftAppId: BOT_ID,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
      CertificateThumbprint: THUMBPRINT,
      CertificatePrivateKey: 'key from /srv/app/certs/bot.pem',
    });
  });

  it('uses the managed identity', () => {
    expect(credentialOptions(authOf({ BOT_ID, BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: TENANT }))).toEqual({
      MicrosoftAppId: BOT_ID,
      MicrosoftAppType: 'UserAssignedMsi',
      MicrosoftAppTenantId: TENANT,
    });
  });

  it('has no credentials in local mode', () => {
    expect(credentialOptions(authOf({ AUTH_MODE: 'local' }))).toEqual({});
  });

  it('refuses half a certificate, and a certificate with a managed identity', () => {
    const errors = (env: Record<string, string>) => {
      const result = loadConfig(env);
      return result.ok ? [] : result.refusal.map((e) => e.variable);
    };
    expect(errors({ BOT_ID, BOT_CERTIFICATE_THUMBPRINT: THUMBPRINT })).toEqual(['BOT_CERTIFICATE_KEY_FILE']);
    expect(
      errors({
        BOT_ID,
        BOT_TYPE: 'UserAssignedMSI',
        BOT_TENANT_ID: TENANT,
        BOT_CERTIFICATE_THUMBPRINT: THUMBPRINT,
        BOT_CERTIFICATE_KEY_FILE: 'k.pem',
      }),
    ).toEqual(['BOT_CERTIFICATE_THUMBPRINT']);
  });

  it('lets a certificate stand in for the secret in production', () => {
    const result = loadConfig({
      NODE_ENV: 'production',
      BOT_ID,
      BOT_CERTIFICATE_THUMBPRINT: THUMBPRINT,
      BOT_CERTIFICATE_KEY_FILE: 'k.pem',
      COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
    });
    expect(result.ok && productionRefusals(result.value).map((r) => r.name)).not.toContain('no-bot-credentials');
  });
});
