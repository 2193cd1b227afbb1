import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { OutboundRequest, OutboundResult } from '../../../bot/src/services/net/guarded-http';
import {
  ClientCredentialTokens,
  ManagedIdentityTokens,
  appCredentials,
} from '../../../bot/src/services/directory/entra-tokens';
import { ManualClock } from '../../../bot/src/services/routing/clock';

const APP = '11111111-2222-4333-8444-555555555555';
const LOGIN = { loginUrl: 'https://login.microsoftonline.com', scope: 'https://graph.microsoft.com/.default' };
const never = new AbortController().signal;

/** The token endpoint as a fake of the guarded client: every request recorded, tokens numbered. */
function tokenEndpoint(expiresIn = 3600) {
  const requests: OutboundRequest[] = [];
  const http = {
    send: async (request: OutboundRequest): Promise<OutboundResult> => {
      requests.push(request);
      return {
        kind: 'response',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ access_token: `token-${requests.length}`, expires_in: expiresIn })),
      };
    },
  };
  return { http, requests };
}

describe("the app's tokens for Microsoft Graph", () => {
  it('are asked for per tenant and kept until five minutes before they expire', async () => {
    const clock = new ManualClock();
    const { http, requests } = tokenEndpoint();
    const tokens = new ClientCredentialTokens({ kind: 'secret', appId: APP, secret: 's3cret' }, LOGIN, http, clock);
    const [a, b] = await Promise.all([tokens.token('tenant-a', never), tokens.token('tenant-a', never)]);
    expect([a, b]).toEqual(['token-1', 'token-1']);
    expect(requests.map((r) => r.url)).toEqual(['https://login.microsoftonline.com/tenant-a/oauth2/v2.0/token']);
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.body!))).toEqual({
      client_id: APP,
      client_secret: 's3cret',
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    });
    expect(await tokens.token('tenant-b', never)).toBe('token-2');
    clock.advance(55 * 60_000 - 1);
    expect(await tokens.token('tenant-a', never)).toBe('token-1');
    clock.advance(1);
    expect(await tokens.token('tenant-a', never)).toBe('token-3');
    tokens.forget('tenant-a');
    expect(await tokens.token('tenant-a', never)).toBe('token-4');
  });

  it('with a certificate, prove the app with an assertion signed by its key', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const thumbprint = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
    const { http, requests } = tokenEndpoint();
    const tokens = new ClientCredentialTokens(
      { kind: 'certificate', appId: APP, thumbprint, privateKeyFile: '/keys/bot.pem' },
      LOGIN,
      http,
      new ManualClock(),
      () => key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    );
    await tokens.token('tenant-a', never);
    const form = Object.fromEntries(new URLSearchParams(requests[0]!.body!));
    expect(form).toMatchObject({
      client_id: APP,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      grant_type: 'client_credentials',
    });
    expect(form.client_secret).toBeUndefined();
    const decoded = jwt.decode(form.client_assertion!, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'RS256', x5t: Buffer.from(thumbprint, 'hex').toString('base64url') });
    expect(
      jwt.verify(form.client_assertion!, key.publicKey, { algorithms: ['RS256'], ignoreExpiration: true }),
    ).toMatchObject({
      aud: 'https://login.microsoftonline.com/tenant-a/oauth2/v2.0/token',
      iss: APP,
      sub: APP,
    });
  });

  it('come from the configuration, or the reason there are none', () => {
    const local = appCredentials({ mode: 'local' });
    expect(!local.ok && local.refusal).toMatch(
      /^Importing from Entra ID needs the app's credentials: .*AUTH_MODE=local/,
    );
    const bot = { mode: 'botframework' as const, appId: APP, tenantId: undefined };
    expect(appCredentials({ ...bot, type: 'MultiTenant', password: 'x' })).toEqual({
      ok: true,
      value: { kind: 'secret', appId: APP, secret: 'x' },
    });
    expect(appCredentials({ ...bot, type: 'UserAssignedMSI', password: undefined, tenantId: 'home' })).toEqual({
      ok: true,
      value: { kind: 'managed-identity', clientId: APP, tenantId: 'home' },
    });
    expect(appCredentials({ ...bot, type: 'SingleTenant', password: undefined }).ok).toBe(false);
  });

  it('of a managed identity read only its own tenant', async () => {
    const credential = { getToken: jest.fn(async () => ({ token: 'msi-token', expiresOnTimestamp: 0 })) };
    const tokens = new ManagedIdentityTokens(
      { kind: 'managed-identity', clientId: APP, tenantId: 'Home-Tenant' },
      LOGIN.scope,
      credential,
    );
    expect(tokens.refusalFor('home-tenant')).toBeUndefined();
    expect(tokens.refusalFor('other')).toMatch(/managed identity .* only the directory of the bot's own tenant/);
    expect(await tokens.token('home-tenant', never)).toBe('msi-token');
    expect(credential.getToken).toHaveBeenCalledWith(LOGIN.scope, { abortSignal: never });
  });
});
