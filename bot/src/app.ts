import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import type { Config } from './config';
import { registerHealth } from './http/health';
import { createHttpServer } from './http/server';
import { seedDemoTenant } from './services/demo-tenant';
import { type Routing, createRouting } from './services/routing';
import { type Store, openStore } from './store';

export type NamedUrl = { name: string; url: string };

export type App = {
  config: Config;
  server: Server;
  store: Store;
  routing: Routing;
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
export async function startApp(config: Config, log: Logger): Promise<App> {
  const store = await openStore(config.store, { onSaveError: (err) => log.error({ err }, 'saving embedded data failed') });
  if (store.embedded) log.info({ restoredDocuments: store.embedded.restoredDocuments, snapshot: store.embedded.snapshotFile }, 'embedded Cosmos started');

  const routing = createRouting(store, log);
  routing.sweeper.start();

  const server = createHttpServer(log);
  registerHealth(server, { kind: store.kind, ping: () => store.cosmos.ping() });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, () => resolve());
    });
  } catch (err) {
    await routing.stop();
    await store.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const localHost = config.http.host === '0.0.0.0' || config.http.host === '::' || config.http.host === '127.0.0.1' ? 'localhost' : config.http.host;
  const baseUrl = config.http.publicBaseUrl ?? `http://${localHost}:${port}`;

  if (store.kind === 'embedded' && config.seedDemoTenant) {
    const demo = await seedDemoTenant(store.repos, { port });
    if (demo.seeded) log.info({ tenantId: demo.tenantId }, 'demo tenant seeded');
  }

  const urls: NamedUrl[] = [{ name: 'Health', url: `${baseUrl}/healthz` }];
  if (store.embedded) urls.push({ name: 'Embedded Cosmos', url: store.embedded.endpoint });

  let closing: Promise<void> | undefined;
  return {
    config,
    server,
    store,
    routing,
    baseUrl,
    urls,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.server.closeIdleConnections();
        });
        await routing.stop();
        await store.close();
      })()),
  };
}
