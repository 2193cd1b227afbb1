import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import nock from 'nock';
import type { App } from '../../../bot/src/app';
import { ServiceSummary } from '../../../bot/src/contracts';
import { adminCall, seedAdminTenant, startSignOnApp } from '../../helpers/tab-api';
import { SERVICE_URL, activity, isolateNetwork, postActivity } from './harness';

/**
 * The roster read with the bot's token, in Bot Framework mode: the team events come signed as the Bot
 * Framework signs them (our key published as its OpenID metadata through nock), the admin signs in to
 * the tab with a Teams SSO token, and the Bot Connector's paged members API must see the bearer token
 * the Microsoft identity platform (nock) issued for the bot.
 */
const KID = 'team-roster-signing-key';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const OUTBOUND_TOKEN = 'outbound-token-for-the-roster';
const CONNECTOR = 'https://smba.trafficmanager.net';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
function botFrameworkToken(audience: string): string {
  const claims = {
    iss: 'https://api.botframework.com',
    aud: audience,
    serviceurl: SERVICE_URL,
    nbf: now() - 60,
    iat: now() - 60,
    exp: now() + 3600,
  };
  const unsigned = `${b64url({ alg: 'RS256', typ: 'JWT', kid: KID, x5t: KID })}.${b64url(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), keys.privateKey).toString('base64url')}`;
}

let app: App;
let close: () => Promise<void>;
let botId: string;
beforeAll(async () => {
  isolateNetwork();
  ({ app, close } = await startSignOnApp());
  if (app.config.auth.mode !== 'botframework') throw new Error('the sign-on app runs in Bot Framework mode');
  botId = app.config.auth.appId;
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
    .reply(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: OUTBOUND_TOKEN });
});
afterAll(async () => {
  await close();
  nock.enableNetConnect();
  nock.restore();
});

describe('a team roster in Bot Framework mode', () => {
  it('is read page by page with the bot’s token from the identity platform', async () => {
    const a = await seedAdminTenant(app);
    const teamId = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
    const vars = {
      tenantId: a.tenantId,
      teamId,
      teamName: 'Contoso Support',
      channelId: teamId,
      aadGroupId: randomUUID(),
      fromAccountId: `29:1${randomUUID().replace(/-/g, '')}`,
      fromAadObjectId: randomUUID(),
      botAppId: botId,
    };
    const installed = await postActivity(app, activity('team-installation-update-add', vars), {
      authorization: `Bearer ${botFrameworkToken(botId)}`,
    });
    expect(installed.status).toBe(200);

    const people = [randomUUID(), randomUUID()];
    const authorizations: (string | undefined)[] = [];
    const path = `/emea/v3/conversations/${encodeURIComponent(teamId)}/pagedmembers`;
    const roster = nock(CONNECTOR)
      .get(path)
      .query({ pageSize: '100' })
      .reply(function () {
        authorizations.push(this.req.headers.authorization as string | undefined);
        return [
          200,
          { members: [{ id: '29:1a', name: 'Ann Lee', aadObjectId: people[0] }], continuationToken: 'next-page' },
        ];
      })
      .get(path)
      .query({ pageSize: '100', continuationToken: 'next-page' })
      .reply(function () {
        authorizations.push(this.req.headers.authorization as string | undefined);
        return [200, { members: [{ id: '29:1b', name: 'Bob Kent', aadObjectId: people[1] }] }];
      });

    const res = await adminCall(app, 'PATCH', '/services/svc', a.admin, { team: { teamId } });
    expect(res.status).toBe(200);
    expect(roster.isDone()).toBe(true);
    expect(authorizations).toEqual([`Bearer ${OUTBOUND_TOKEN}`, `Bearer ${OUTBOUND_TOKEN}`]);
    const linked = ServiceSummary.parse(await res.json());
    expect(linked.members.map((m) => [m.userId, m.displayName, m.source])).toEqual([
      [people[0], 'Ann Lee', 'team'],
      [people[1], 'Bob Kent', 'team'],
    ]);
  });

  it('refuses an unsigned team event, and records nothing', async () => {
    const a = await seedAdminTenant(app);
    const teamId = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
    const res = await postActivity(
      app,
      activity('team-installation-update-add', {
        tenantId: a.tenantId,
        teamId,
        teamName: 'Forged',
        channelId: teamId,
        aadGroupId: randomUUID(),
        fromAccountId: '29:1x',
        fromAadObjectId: randomUUID(),
        botAppId: botId,
      }),
    );
    expect(res.status).toBe(401);
    expect(await app.store.repos.teamInstallations.find(a.tenantId, teamId)).toBeUndefined();
  });
});
