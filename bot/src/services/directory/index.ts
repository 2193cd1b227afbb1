import type { Config } from '../../config';
import type { OutboundAllowList } from '../../core/net/address';
import type { Store } from '../../store';
import { type DeliveryTiming, systemTiming } from '../delivery';
import type { IdSource } from '../ids';
import { GuardedHttp } from '../net/guarded-http';
import type { Clock } from '../routing/clock';
import { DirectorySyncService } from './directory-sync';
import { type Result, ok, refuse } from '../../core/result';
import { appCredentials, graphTokens } from './entra-tokens';
import { GraphClient } from './graph-client';

export { DirectorySyncService } from './directory-sync';
export { GraphClient, type GraphFailure } from './graph-client';
export type { DirectoryRefusal, DirectoryStatus, SyncSummary } from './directory-sync';

/** A page of 100 users is some 30 KB; anything near this is not a page of users. */
const MAX_GRAPH_RESPONSE_BYTES = 4 * 1024 * 1024;

/** The users import as the configuration allows it: with the app's credentials, or refusing with the reason. */
export function createDirectorySync(deps: {
  config: Pick<Config, 'auth' | 'entra'>;
  store: Pick<Store, 'repos' | 'directory'>;
  clock: Clock;
  ids: IdSource;
  /** The delivery lanes' timing: tests wait out Retry-After without waiting. */
  timing?: Partial<DeliveryTiming>;
  /** OUTBOUND_ALLOW: Graph and the login host are public, but a national cloud's proxy may not be. */
  outboundAllow?: OutboundAllowList;
}): DirectorySyncService {
  const { config, store, clock, ids } = deps;
  const credentials = appCredentials(config.auth);
  if (!credentials.ok)
    return new DirectorySyncService({ store, graph: undefined, unavailable: credentials.refusal, clock, ids });
  // Graph and the login host are public: the guard's public-address rule lets them through, reads are bounded.
  const http = new GuardedHttp({ allow: deps.outboundAllow ?? [], maxResponseBytes: MAX_GRAPH_RESPONSE_BYTES });
  const tokens = graphTokens(
    credentials.value,
    { loginUrl: config.entra.loginUrl, scope: `${config.entra.graphUrl}/.default` },
    http,
    clock,
  );
  const client = new GraphClient({
    graphUrl: config.entra.graphUrl,
    tokens,
    http,
    clock,
    timing: { ...systemTiming, ...deps.timing },
  });
  return new DirectorySyncService({ store, graph: { client, tokens }, unavailable: '', clock, ids });
}

/**
 * A Graph client with the app's credentials, as the users import has it, for other uses (installing the
 * Teams app for agents); the reason an admin reads when the configuration has no credentials.
 */
export function createGraphClient(deps: {
  config: Pick<Config, 'auth' | 'entra'>;
  clock: Clock;
  timing?: Partial<DeliveryTiming>;
  outboundAllow?: OutboundAllowList;
}): Result<GraphClient, string> {
  const credentials = appCredentials(deps.config.auth);
  if (!credentials.ok) return refuse(credentials.refusal);
  const http = new GuardedHttp({ allow: deps.outboundAllow ?? [], maxResponseBytes: MAX_GRAPH_RESPONSE_BYTES });
  const tokens = graphTokens(
    credentials.value,
    { loginUrl: deps.config.entra.loginUrl, scope: `${deps.config.entra.graphUrl}/.default` },
    http,
    deps.clock,
  );
  return ok(
    new GraphClient({
      graphUrl: deps.config.entra.graphUrl,
      tokens,
      http,
      clock: deps.clock,
      timing: { ...systemTiming, ...deps.timing },
    }),
  );
}
