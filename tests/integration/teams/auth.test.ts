import { type KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import nock from 'nock';
import type { App } from '../../../bot/src/app';
import { partitionKey, teamsScope } from '../../../bot/src/store/partition-keys';
import { startTestApp } from '../../helpers/app';
import {
  BOT_APP_ID,
  FakeConnector,
  SERVICE_URL,
  activity,
  isolateNetwork,
  postActivity,
  setupTenant,
  textOf,
  varsOf,
} from './harness';

/**
 * Real Bot Framework authentication, offline: our own RSA key is published as the Bot Framework OpenID
 * metadata and key set through nock, tokens are signed with it here, and the outbound token comes from
 * a nocked Microsoft identity platform.
 */
const KID = 'test-signing-key-1';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const OUTBOUND_TOKEN = 'outbound-token-for-the-connector';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(claims: Record<string, unknown>, key: KeyObject = keys.privateKey, kid = KID): string {
  const unsigned = `${b64url({ alg: 'RS256', typ: 'JWT', kid, x5t: kid })}.${b64url(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const validClaims = (over: Record<string, unknown> = {}) => ({
  iss: 'https://api.botframework.com',
  aud: BOT_APP_ID,
  serviceurl: SERVICE_URL,
  nbf: now() - 60,
  iat: now() - 60,
  exp: now() + 3600,
  ...over,
});

let app: App;
let connector: FakeConnector;
const tokenRequests: string[] = [];
beforeAll(async () => {
  isolateNetwork();
  const jwk = keys.publicKey.export({ format: 'jwk' });
  nock('https://login.botframework.com')
    .persist()
    .get('/v1/.well-known/openidconfiguration')
    .reply(200, {
      issuer: 'https://api.botframework.com',
      authorization_endpoint: 'https://invalid.botframework.com',
      jwks_uri: 'https://login.botframework.com/v1/.well-known/keys',
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    })
    .get('/v1/.well-known/keys')
    .reply(200, {
      keys: [{ kty: 'RSA', use: 'sig', kid: KID, x5t: KID, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }],
    });
  nock('https://login.microsoftonline.com')
    .persist()
    .post('/botframework.com/oauth2/v2.0/token')
    .query(true)
    .reply(200, (_uri, body) => {
      tokenRequests.push(String(body));
      return { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: OUTBOUND_TOKEN };
    });
  app = await startTestApp({
    DEMO_TENANT: 'false',
    AUTH_MODE: 'botframework',
    BOT_ID: BOT_APP_ID,
    BOT_PASSWORD: 'test-client-secret',
    BOT_TYPE: 'MultiTenant',
  });
  connector = new FakeConnector();
});
afterAll(async () => {
  connector.done();
  nock.cleanAll();
  await app.close();
});

const stored = async (tenantId: string, userId: string) =>
  (await app.store.cosmos.containers.routing.item('conversation', partitionKey(tenantId, teamsScope(userId))).read())
    .statusCode;

describe('Bot Framework authentication', () => {
  it('accepts a valid token, and replies with a token from the identity platform', async () => {
    const s = await setupTenant(app, ['Alex Wilber']);
    const alex = s.agents[0]!;
    const res = await postActivity(app, activity('installation-update-add', varsOf(s.tenantId, alex)), {
      authorization: `Bearer ${jwt(validClaims())}`,
    });
    expect(res.status).toBe(200);
    const [welcome] = await connector.waitFor(alex.conversationId, (c) => textOf(c).startsWith('Welcome'));
    expect(welcome!.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    expect(welcome!.path).toBe(`/emea/v3/conversations/${encodeURIComponent(alex.conversationId)}/activities`);
    const tokenRequest = new URLSearchParams(tokenRequests[0]);
    expect(tokenRequest.get('client_id')).toBe(BOT_APP_ID);
    expect(tokenRequest.get('scope')).toBe('https://api.botframework.com/.default');
    expect(tokenRequest.get('grant_type')).toBe('client_credentials');
    expect(tokenRequest.get('client_secret')).toBe('test-client-secret');
  });

  it.each([
    ['a missing token', () => undefined],
    ['a wrong audience', () => jwt(validClaims({ aud: '00000000-0000-0000-0000-000000000000' }))],
    [
      'a serviceurl claim for another service URL',
      () => jwt(validClaims({ serviceurl: 'https://smba.trafficmanager.net/amer/' })),
    ],
    ['a forged signature', () => jwt(validClaims(), forger.privateKey)],
    ['an expired token', () => jwt(validClaims({ nbf: now() - 7200, iat: now() - 7200, exp: now() - 3600 }))],
    ['another issuer', () => jwt(validClaims({ iss: 'https://sts.example.com' }))],
  ])('refuses %s, and does nothing', async (_name, token) => {
    const s = await setupTenant(app, ['Megan Bowen']);
    const megan = s.agents[0]!;
    const bearer = token();
    const res = await postActivity(
      app,
      activity('installation-update-add', varsOf(s.tenantId, megan)),
      bearer ? { authorization: `Bearer ${bearer}` } : {},
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(connector.to(megan.conversationId)).toEqual([]);
    expect(await stored(s.tenantId, megan.aadObjectId)).toBe(404);
  });
});
