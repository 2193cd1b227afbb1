import type { Server } from 'restify';
import { handle } from './server';

const PING_TIMEOUT_MS = 2000;

/** Liveness and store reachability, for App Service health checks and the quick start. */
export function registerHealth(server: Server, store: { kind: 'embedded' | 'cosmos'; ping(): Promise<void> }): void {
  server.get(
    '/healthz',
    handle(async (_req, res) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('store ping timed out')), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([store.ping(), timeout]);
        res.send(200, { status: 'ok', store: store.kind });
      } catch {
        res.send(503, { status: 'unavailable', store: store.kind });
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
