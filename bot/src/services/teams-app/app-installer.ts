import type { Logger } from 'pino';
import type { AppInstall } from '../../core/model';
import type { Result } from '../../core/result';
import type { GraphClient, GraphFailure } from '../directory';
import type { AgentService } from '../routing/agents';
import type { Clock } from '../routing/clock';

/** What the caller learns at once; the outcome itself is recorded on the agent when Graph answered. */
export type AppInstallRequest =
  | { state: 'requested' }
  /** The bot can message the user already: nothing to install. */
  | { state: 'installed' }
  | { state: 'skipped'; reason: string };

export type TeamsAppInstallerDeps = {
  /** Graph with the app's credentials, or why there is none (no credentials configured). */
  graph: Result<Pick<GraphClient, 'request' | 'graphUrl'>, string>;
  /** TEAMS_APP_CATALOG_ID: the app's id in the organization's app catalog. */
  catalogAppId: string | undefined;
  agents: Pick<AgentService, 'find' | 'recordAppInstall'>;
  clock: Clock;
  log: Logger;
};

export const CONSENT_MISSING = 'admin consent for TeamsAppInstallation.ReadWriteSelfForUser.All is missing';
export const NOT_IN_CATALOG = "the app is not in your organization's app catalog (TEAMS_APP_CATALOG_ID)";
export const NO_CATALOG_ID =
  'TEAMS_APP_CATALOG_ID is not configured: the agent has to install the app in Teams themselves';

/** The sentence an admin reads for a refused installation. */
export function installFailureReason(failure: Pick<GraphFailure, 'status' | 'message'>): string {
  if (failure.status === 403) return CONSENT_MISSING;
  if (failure.status === 404) return NOT_IN_CATALOG;
  return failure.message;
}

/**
 * Installs the Teams app in a user's personal scope through Microsoft Graph
 * (`POST /users/{id}/teamwork/installedApps`, application permission
 * TeamsAppInstallation.ReadWriteSelfForUser.All), so the bot can reach an agent who never opened it.
 * Teams then announces the installation to the bot, which stores the conversation and makes the agent
 * reachable. It runs in the background of whatever asked for it and never fails that.
 */
export class TeamsAppInstaller {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: TeamsAppInstallerDeps) {}

  /** Starts installing for users the bot cannot reach yet; returns at once. */
  async request(tenantId: string, userId: string): Promise<AppInstallRequest> {
    const agent = await this.deps.agents.find(tenantId, userId);
    if (agent?.reachable) return { state: 'installed' };
    const work = this.install(tenantId, userId)
      .then(async (outcome) => this.deps.agents.recordAppInstall(tenantId, userId, outcome))
      .catch((err: unknown) => this.deps.log.error({ err, tenantId, userId }, 'installing the Teams app failed'));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    const skipped = this.skipReason();
    return skipped ? { state: 'skipped', reason: skipped } : { state: 'requested' };
  }

  /** Several users (people who joined a service's team), one after another in the background. */
  requestAll(tenantId: string, userIds: readonly string[]): void {
    const work = (async () => {
      for (const userId of userIds) await this.request(tenantId, userId);
    })().catch((err: unknown) => this.deps.log.error({ err, tenantId }, 'installing the Teams app failed'));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Waits for installations under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private skipReason(): string | undefined {
    if (!this.deps.graph.ok) return this.deps.graph.refusal;
    if (!this.deps.catalogAppId) return NO_CATALOG_ID;
    return undefined;
  }

  private async install(tenantId: string, userId: string): Promise<AppInstall> {
    const at = () => this.deps.clock.now();
    const skipped = this.skipReason();
    if (skipped || !this.deps.graph.ok || !this.deps.catalogAppId)
      return { state: 'skipped', reason: skipped ?? NO_CATALOG_ID, at: at() };
    const graph = this.deps.graph.value;
    const catalogAppId = encodeURIComponent(this.deps.catalogAppId);
    const result = await graph.request(
      tenantId,
      {
        method: 'POST',
        path: `/v1.0/users/${encodeURIComponent(userId)}/teamwork/installedApps`,
        body: { 'teamsApp@odata.bind': `${graph.graphUrl}/v1.0/appCatalogs/teamsApps/${catalogAppId}` },
      },
      // 201 Created, with or without a body.
      () => true,
    );
    if (result.ok) {
      this.deps.log.info({ tenantId, userId }, 'Teams app installed for a user through Graph');
      return { state: 'pending', reason: null, at: at() };
    }
    // Installed already: Teams announced it (or will); nothing failed.
    if (result.refusal.status === 409) return { state: 'installed', reason: null, at: at() };
    const reason = installFailureReason(result.refusal);
    this.deps.log.warn({ tenantId, userId, status: result.refusal.status, reason }, 'Teams app not installed');
    return { state: 'failed', reason: reason.slice(0, 500), at: at() };
  }
}
