import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import type { Config } from './config';
import { SigningKeys, TabAuth } from './channels/api/auth';
import { SupervisionService } from './services/supervision/supervision-service';
import { registerTabApi } from './channels/api/routes';
import { registerTabStatic } from './channels/api/tab-static';
import { registerDirectoryApi } from './channels/api/directory-routes';
import { createDirectorySync, createGraphClient } from './services/directory';
import { TeamsAppInstaller } from './services/teams-app';
import { type TeamsPresenceService, createTeamsPresence } from './services/presence';
import { registerPresenceRoutes } from './channels/graph/presence-routes';
import { registerWhatsAppAdminApi } from './channels/api/whatsapp-routes';
import { registerWhatsAppRoutes } from './channels/whatsapp/routes';
import {
  type InteractRouteOptions,
  defaultInteractRouteOptions,
  registerInteractRoutes,
} from './channels/interact/routes';
import { registerInteractStatic } from './channels/interact/static';
import { createBotAuth, registerTeamsBot } from './channels/teams';
import { registerHealth } from './http/health';
import { registerLocalStats } from './http/local-stats';
import { parseTrustedProxies } from './http/client-address';
import { createHttpServer } from './http/server';
import { demoIds, seedDemoTenant } from './services/demo-tenant';
import { ChatService } from './services/chat/chat-service';
import { type ChatStreamLimits, ChatStreams, defaultChatStreamLimits } from './services/chat/chat-streams';
import { CustomerPresence } from './services/interact/customer-presence';
import { bridgeRoutingToChats } from './services/chat/routing-bridge';
import { InteractService } from './services/interact/interact-service';
import { previewUrlFor } from './services/interact/snippet';
import { InteractSettingsService } from './services/settings/interact-settings-service';
import { AccountService } from './services/accounts/account-service';
import { Onboarding } from './services/accounts/onboarding';
import { createAdminServices } from './services/admin/admin-services';
import { workflowAdminPort } from './services/admin/workflow-port';
import { WhatsAppConnectorService } from './services/admin/whatsapp-connectors';
import { SessionsService } from './services/sessions/sessions-service';
import { GuardedHttp } from './services/net/guarded-http';
import { type DeliveryTiming, InstanceRegistry } from './services/delivery';
import { TwilioClient } from './services/whatsapp/twilio-client';
import { type WhatsAppOptions, WhatsAppService, defaultWhatsAppOptions } from './services/whatsapp/whatsapp-service';
import { type IdSource, systemIds } from './services/ids';
import { BotConnectorRoster, TeamLinks } from './services/team-links';
import { type Clock, type Routing, createRouting, systemClock } from './services/routing';
import { type Workflows, createWorkflows } from './services/workflow';
import { type Store, openStore, storeCache } from './store';
import { defaultChangeFeedOptions } from './store/change-feed';
import { type ChangeFanout, startChangeFanout } from './services/scale-out/change-fanout';

export type NamedUrl = { name: string; url: string };

const STREAM_CLOSE_GRACE_MS = 500;

export type App = {
  config: Config;
  server: Server;
  store: Store;
  routing: Routing;
  workflows: Workflows;
  chats: ChatService;
  interact: InteractService;
  whatsapp: WhatsAppService;
  /** Agents' Teams presence from Microsoft Graph (subscriptions or polling). */
  teamsPresence: TeamsPresenceService;
  /** Installs the Teams app for agents through Microsoft Graph (in the background). */
  appInstaller: TeamsAppInstaller;
  /** The change-feed fan-out from other instances (CHANGE_FEED_POLL_MS > 0), with its figures. */
  fanout: ChangeFanout | undefined;
  /** Base URL the server answers on (loopback-friendly). */
  baseUrl: string;
  /** What to open, one per line in the start banner. */
  urls: NamedUrl[];
  close(): Promise<void>;
};

/**
 * The composition root: store, services and HTTP wired once. `main.ts` runs it as a process; integration
 * tests start it in their own process on port 0.
 */
export type AppOptions = {
  interact?: Partial<InteractRouteOptions>;
  whatsapp?: Partial<WhatsAppOptions>;
  /** Event streams: heartbeat (and cross-process catch-up) interval, and caps. */
  streams?: { heartbeatMs?: number; limits?: Partial<ChatStreamLimits> };
  /** Time for every service and timer (tests drive a manual clock instead of waiting); the system clock by default. */
  clock?: Clock;
  /** Ids of new documents; random UUIDs by default. */
  ids?: IdSource;
  /** How the delivery lanes (Teams, WhatsApp) wait and draw their jitter; tests skip retry backoffs with it. */
  delivery?: Partial<DeliveryTiming>;
  /** Teams presence: `loop: false` leaves the periodic pass to the caller (tests call `tick`). */
  teamsPresence?: { loop?: boolean };
};

export async function startApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? systemIds;
  // One setting per process: every repository of a cached kind serves its point reads this long.
  storeCache.ttlMs = config.storeCacheMs;
  const store = await openStore(config.store, {
    onSaveError: (err) => log.error({ err }, 'saving embedded data failed'),
  });
  if (store.embedded)
    log.info(
      { restoredDocuments: store.embedded.restoredDocuments, snapshot: store.embedded.snapshotFile },
      'embedded Cosmos started',
    );

  // Services built on routing plug in the timers they own (workflow, customer away); the sweeper starts
  // once all of them are wired, so no timer fires before its handler exists.
  const routing = createRouting(store, log, { ids }, clock);
  const chats = new ChatService(store, clock, ids);
  const presence = new CustomerPresence(
    store.timers,
    clock,
    config.customerAwaySeconds * 1000,
    log,
    config.customerLeaveGraceSeconds * 1000,
  );
  // What other instances write reaches this one through the change feed (off: one instance only).
  const fanout =
    config.changeFeedPollMs > 0
      ? await startChangeFanout(store, chats, log, { ...defaultChangeFeedOptions, pollMs: config.changeFeedPollMs })
      : undefined;
  const streams = new ChatStreams(chats, {
    heartbeatMs: options.streams?.heartbeatMs ?? 15_000,
    readOnHeartbeat: fanout === undefined,
    limits: { ...defaultChatStreamLimits, ...options.streams?.limits },
    log,
    onCustomerPresence: (tenantId, chatId, present) => presence.changed(tenantId, chatId, present),
  });
  const stopBridge = bridgeRoutingToChats(routing, chats, store, log);
  // Web requests reach public addresses and what OUTBOUND_ALLOW names, never this server or its network by default.
  const outbound = { allow: config.outbound.allow, maxResponseBytes: config.outbound.webRequestMaxResponseBytes };
  const workflows = createWorkflows({ store, routing, chats, clock, log, outbound });

  const proxies = parseTrustedProxies(config.http.trustedProxies);
  if (!proxies.ok) throw new Error(`TRUSTED_PROXIES cannot be read: ${proxies.refusal.join(', ')}`);
  const server = createHttpServer(log, { trustedProxies: proxies.value });
  registerHealth(server, { kind: store.kind, ping: () => store.cosmos.ping() });
  if (config.auth.mode === 'local') registerLocalStats(server, store.stats, fanout?.reader.stats);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, () => resolve());
    });
  } catch (err) {
    await workflows.runner.stop();
    await routing.stop();
    await fanout?.stop();
    await store.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const localHost =
    config.http.host === '0.0.0.0' || config.http.host === '::' || config.http.host === '127.0.0.1'
      ? 'localhost'
      : config.http.host;
  const baseUrl = config.http.publicBaseUrl ?? `http://${localHost}:${port}`;

  // Our own pages (the preview) may always use the widget; locally under either loopback name.
  const ownOrigins = [new URL(baseUrl).origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`];
  // A service's task runs its IM workflow (a service without one queues with the default settings).
  const startServiceTask = async (ref: { tenantId: string; queue: string; taskId: string }) => {
    const started = await workflows.runner.start(ref);
    if (!started.ok) log.warn({ ...ref, result: started }, 'workflow did not start');
  };
  const interact = new InteractService({
    store,
    chats,
    routing,
    clock,
    log,
    tokenSecret: await store.directory.secret('visitor-token-key'),
    ownOrigins,
    startServiceTask,
    presence,
  });
  routing.handleTimers('customer-away', async ({ tenantId, payload }) => {
    // Reconnected to this process meanwhile: the timer's removal is on its way.
    if (streams.customerPresent(tenantId, payload.chatId)) return;
    await interact.customerAway(tenantId, payload.chatId);
  });
  const scale = config.interactRateLimitScale;
  const limits = { ...defaultInteractRouteOptions.limits, ...options.interact?.limits };
  const scaled = Object.fromEntries(
    Object.entries(limits).map(([name, l]) => [name, { burst: l.burst * scale, perMinute: l.perMinute * scale }]),
  ) as InteractRouteOptions['limits'];
  registerInteractRoutes(server, {
    interact,
    chats,
    streams,
    log,
    options: { ...options.interact, limits: scaled },
    publicBaseUrl: baseUrl,
  });
  registerInteractStatic(server, { interact, baseUrl, log });

  // --- Services linked to a Team: installations from the bot, rosters from the Bot Connector with its token ---
  const botAuth = createBotAuth(config.auth);
  // Installing the Teams app for agents through Graph (an IM license assigned, a service's team joined).
  const appInstaller = new TeamsAppInstaller({
    graph: createGraphClient({ config, clock, timing: options.delivery, outboundAllow: config.outbound.allow }),
    catalogAppId: config.teamsApp.catalogId,
    agents: routing.agents,
    clock,
    log,
  });
  const teamLinks = new TeamLinks({
    store,
    clock,
    log,
    roster: new BotConnectorRoster(() => botAuth.outboundToken()),
    onMembersJoined: (tenantId, userIds) => appInstaller.requestAll(tenantId, userIds),
  });
  // --- end services linked to a Team ---

  // The tab API: Entra sign-on tokens, or in local mode the dev sign-in.
  const accounts = new AccountService(store);
  const tabAuth =
    config.auth.mode === 'local'
      ? new TabAuth(accounts, { mode: 'local', devSecret: await store.directory.secret('dev-sign-in-key') })
      : config.tabSso.clientId
        ? new TabAuth(accounts, {
            mode: 'entra',
            clientId: config.tabSso.clientId,
            keys: new SigningKeys(config.tabSso.keysUrl),
          })
        : undefined;
  registerTabApi(server, {
    auth: tabAuth,
    accounts,
    interactSettings: new InteractSettingsService(store, baseUrl),
    sessions: { service: new SessionsService(store, routing, chats, clock), chats, streams, log },
    admin: createAdminServices(store, workflowAdminPort(workflows, store), ids, teamLinks, appInstaller),
    onboarding: new Onboarding(store, config.onboarding),
    reporting: routing.reporting,
    baseUrl,
    supervision: { service: new SupervisionService({ store, routing, chats, clock }), chats, streams, log },
  });
  // Importing users from Entra ID through Microsoft Graph, with the app's own credentials.
  registerDirectoryApi(server, {
    auth: tabAuth,
    directory: createDirectorySync({
      config,
      store,
      clock,
      ids,
      timing: options.delivery,
      outboundAllow: config.outbound.allow,
    }),
  });
  registerTabStatic(server, { log });

  const whatsapp = new WhatsAppService({
    store,
    chats,
    routing,
    clock,
    log,
    twilio: new TwilioClient(undefined, new GuardedHttp({ allow: config.outbound.allow })),
    baseUrl,
    mediaSecret: await store.directory.secret('media-link-key'),
    startServiceTask,
    options: {
      ...defaultWhatsAppOptions,
      ...options.whatsapp,
      timing: { ...options.delivery, ...options.whatsapp?.timing },
    },
  });
  whatsapp.start();
  registerWhatsAppRoutes(server, { whatsapp, publicBaseUrl: baseUrl });
  registerWhatsAppAdminApi(server, {
    auth: tabAuth,
    connectors: new WhatsAppConnectorService(store, ids),
    chats,
    whatsapp,
    baseUrl,
  });

  // Agents' Teams presence through Microsoft Graph: change notifications here, or polling.
  const teamsPresence = createTeamsPresence({ config, store, routing, clock, log, baseUrl, timing: options.delivery });
  registerPresenceRoutes(server, { presence: teamsPresence.service });

  // Every instance on this Cosmos registers; its share of the Teams per-conversation limits follows their number.
  // Real time (not the injected clock): expiry is judged between processes.
  const instances = new InstanceRegistry(store.instances, systemClock, log, {
    id: randomUUID(),
    renewMs: config.instanceRenewMs,
  });
  await instances.start();

  // --- Teams bot: POST /api/messages, offer cards and the agent relay (stops with the server) ---
  registerTeamsBot(server, {
    config,
    store,
    routing,
    chats,
    log,
    clock,
    ids,
    delivery: options.delivery,
    auth: botAuth,
    teams: teamLinks,
    instances,
  });
  // --- end Teams bot ---

  // Everything that owns timers is wired: they may fire now.
  routing.sweeper.start();
  if (options.teamsPresence?.loop !== false) teamsPresence.service.start();
  log.info({ mode: teamsPresence.service.mode }, 'Teams presence');

  const urls: NamedUrl[] = [{ name: 'Health', url: `${baseUrl}/healthz` }];
  if (store.kind === 'embedded' && config.seedDemoTenant) {
    const demo = await seedDemoTenant(store, { port });
    if (demo.seeded) log.info({ tenantId: demo.tenantId }, 'demo tenant seeded');
    const [service, userY] = await Promise.all([
      store.repos.services.find(demo.tenantId, demoIds.service),
      store.repos.users.find(demo.tenantId, demoIds.userY),
    ]);
    if (service) urls.push({ name: 'Widget preview (Service B)', url: previewUrlFor(baseUrl, service.interact) });
    if (userY) urls.push({ name: 'Widget preview (User Y)', url: previewUrlFor(baseUrl, userY.interact) });
  }
  if (config.auth.mode === 'local') urls.push({ name: 'Teams tab (local sign-in)', url: `${baseUrl}/tab/` });
  urls.push({ name: 'Interact API (OpenAPI)', url: `${baseUrl}/interact/v1/openapi.json` });
  if (store.embedded) urls.push({ name: 'Embedded Cosmos', url: store.embedded.endpoint });

  let closing: Promise<void> | undefined;
  return {
    config,
    server,
    store,
    routing,
    workflows,
    chats,
    interact,
    whatsapp,
    teamsPresence: teamsPresence.service,
    appInstaller,
    fanout,
    baseUrl,
    urls,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.server.closeIdleConnections();
          // Event streams never end by themselves, and the close waits for every connection: answers in
          // flight get a moment, then what is left (the streams) is closed; clients reconnect.
          setTimeout(() => server.server.closeAllConnections(), STREAM_CLOSE_GRACE_MS).unref();
        });
        stopBridge();
        // After the server (and with it the Teams lane) closed: no send follows the removal.
        await instances.stop();
        await appInstaller.idle();
        await teamsPresence.service.stop();
        teamsPresence.close();
        await presence.idle();
        whatsapp.close();
        await whatsapp.idle();
        await workflows.runner.stop();
        await routing.stop();
        await fanout?.stop();
        await store.close();
      })()),
  };
}
