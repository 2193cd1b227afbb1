import type { Server } from 'restify';
import type { StoreStats } from '../store';
import { handle } from './server';

/**
 * Local mode only: the store's request counts and the process's memory, for the benchmark. Never
 * registered outside local mode (which listens on loopback only).
 */
export function registerLocalStats(server: Server, stats: StoreStats): void {
  server.get(
    '/_local/stats',
    handle(() => {
      const memory = process.memoryUsage();
      return { store: stats.snapshot(), memory: { rss: memory.rss, heapUsed: memory.heapUsed } };
    }),
  );
}
