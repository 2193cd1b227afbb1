import pino from 'pino';
import type { AppInstall } from '../../../bot/src/core/model';
import { ok, refuse } from '../../../bot/src/core/result';
import { NO_CATALOG_ID, TeamsAppInstaller, installFailureReason } from '../../../bot/src/services/teams-app';
import { agentState } from '../../helpers/fixtures';

const clock = { now: () => 1_000 } as never;
const log = pino({ level: 'silent' });

function installerWith(opts: { catalogAppId?: string; graph?: 'none'; reachable?: boolean }) {
  const recorded: AppInstall[] = [];
  const requests: unknown[] = [];
  const installer = new TeamsAppInstaller({
    graph:
      opts.graph === 'none'
        ? refuse('no credentials')
        : ok({
            graphUrl: 'https://graph.microsoft.com',
            request: async (_tenantId: string, request: unknown) => {
              requests.push(request);
              return ok(true as never);
            },
          }),
    catalogAppId: opts.catalogAppId,
    agents: {
      find: async () => ({ ...agentState('t', 'u'), reachable: opts.reachable ?? false, _etag: 'e', _ts: 0 }),
      recordAppInstall: async (_t: string, _u: string, a: AppInstall) => void recorded.push(a),
    } as never,
    clock,
    log,
  });
  return { installer, recorded, requests };
}

describe('installing the Teams app for a user', () => {
  it('skips with a reason when TEAMS_APP_CATALOG_ID is not set, calling nothing', async () => {
    const { installer, recorded, requests } = installerWith({});
    expect(await installer.request('t', 'u')).toEqual({ state: 'skipped', reason: NO_CATALOG_ID });
    await installer.idle();
    expect(requests).toEqual([]);
    expect(recorded).toEqual([{ state: 'skipped', reason: NO_CATALOG_ID, at: 1_000 }]);
  });

  it('skips with the reason when the app has no credentials for Graph', async () => {
    const { installer, recorded } = installerWith({ catalogAppId: 'app-1', graph: 'none' });
    expect(await installer.request('t', 'u')).toEqual({ state: 'skipped', reason: 'no credentials' });
    await installer.idle();
    expect(recorded).toEqual([{ state: 'skipped', reason: 'no credentials', at: 1_000 }]);
  });

  it('posts to the user’s installedApps with the catalog app bound', async () => {
    const { installer, recorded, requests } = installerWith({ catalogAppId: 'app-1' });
    expect(await installer.request('t', 'u 1')).toEqual({ state: 'requested' });
    await installer.idle();
    expect(requests).toEqual([
      {
        method: 'POST',
        path: '/v1.0/users/u%201/teamwork/installedApps',
        body: { 'teamsApp@odata.bind': 'https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/app-1' },
      },
    ]);
    expect(recorded).toEqual([{ state: 'pending', reason: null, at: 1_000 }]);
  });

  it('does nothing for a user the bot reaches already', async () => {
    const { installer, recorded, requests } = installerWith({ catalogAppId: 'app-1', reachable: true });
    expect(await installer.request('t', 'u')).toEqual({ state: 'installed' });
    await installer.idle();
    expect(requests).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it('says what a refusal means', () => {
    expect(installFailureReason({ status: 403, message: 'x' })).toBe(
      'admin consent for TeamsAppInstallation.ReadWriteSelfForUser.All is missing',
    );
    expect(installFailureReason({ status: 404, message: 'x' })).toBe(
      "the app is not in your organization's app catalog (TEAMS_APP_CATALOG_ID)",
    );
    expect(installFailureReason({ status: 500, message: 'Microsoft Graph answered HTTP 500.' })).toBe(
      'Microsoft Graph answered HTTP 500.',
    );
  });
});
