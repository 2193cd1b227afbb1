import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { Store } from '../../store';
import { type DeliveryTiming, systemTiming } from '../delivery';
import { appCredentials, graphTokens } from '../directory/entra-tokens';
import { GraphClient } from '../directory/graph-client';
import { GuardedHttp } from '../net/guarded-http';
import type { Routing } from '../routing';
import type { Clock } from '../routing/clock';
import { TeamsPresenceService } from './teams-presence';

export { TeamsPresenceService } from './teams-presence';

/** 650 presences are some 150 KB. */
const MAX_PRESENCE_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Teams presence as the configuration allows it: with the app's credentials and Graph, or off. */
export function createTeamsPresence(deps: {
  config: Pick<Config, 'auth' | 'entra' | 'outbound' | 'teamsPresence'>;
  store: Pick<Store, 'repos'>;
  routing: Pick<Routing, 'agents' | 'tasks'>;
  clock: Clock;
  log: Logger;
  /** Where Graph reaches this server (PUBLIC_BASE_URL). */
  baseUrl: string;
  timing?: Partial<DeliveryTiming>;
}): { service: TeamsPresenceService; close(): void } {
  const { config, store, routing, clock, log } = deps;
  const credentials = appCredentials(config.auth);
  const on = config.teamsPresence.mode !== 'off' && credentials.ok;
  let client: GraphClient | undefined;
  if (on) {
    const http = new GuardedHttp({ allow: config.outbound.allow, maxResponseBytes: MAX_PRESENCE_RESPONSE_BYTES });
    const tokens = graphTokens(
      credentials.value,
      { loginUrl: config.entra.loginUrl, scope: `${config.entra.graphUrl}/.default` },
      http,
      clock,
    );
    client = new GraphClient({
      graphUrl: config.entra.graphUrl,
      tokens,
      http,
      clock,
      timing: { ...systemTiming, ...deps.timing },
    });
  }
  const service = new TeamsPresenceService({
    store,
    agents: routing.agents,
    tasks: routing.tasks,
    graph: client,
    clock,
    log: log.child({ component: 'teams-presence' }),
    mode: config.teamsPresence.mode,
    pollSeconds: config.teamsPresence.pollSeconds,
    notificationUrl: `${deps.baseUrl}/api/graph/presence`,
  });
  return { service, close: () => client?.close() };
}
