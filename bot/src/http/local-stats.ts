import type { Server } from 'restify';
import type { StoreStats } from '../store';
import type { ChangeFeedStats } from '../store/change-feed';
import { handle } from './server';

/**
 * Local mode only: the store's request counts (`store.http`: the HTTP requests the embedded Cosmos
 * received), the process's CPU time (`cpu`: microseconds, user and system, since start) and memory, for
 * the benchmark. `?gc=1` first runs a full garbage collection when the process was started with
 * `--expose-gc`, so `heapUsed` is what is still referenced (`gc` says whether it ran); `feed`: this
 * instance's change-feed polls and documents (null with the feed off). Never registered
 * outside local mode (which listens on loopback only).
 */
export function registerLocalStats(server: Server, stats: StoreStats, feed?: ChangeFeedStats): void {
  server.get(
    '/_local/stats',
    handle((req) => {
      const collect = (globalThis as { gc?: () => void }).gc;
      const wanted = new URL(req.url ?? '/', 'http://local').searchParams.get('gc') === '1';
      if (wanted && collect) collect();
      const gc = wanted && collect !== undefined;
      const memory = process.memoryUsage();
      return {
        store: stats.snapshot(),
        cpu: process.cpuUsage(),
        memory: { rss: memory.rss, heapUsed: memory.heapUsed },
        feed: feed ? { ...feed } : null,
        gc,
      };
    }),
  );
}
