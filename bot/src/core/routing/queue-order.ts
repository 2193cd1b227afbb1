import type { Priority, Task } from '../model';

const RANK: Record<Priority, number> = { strict: 3, high: 2, normal: 1, low: 0 };

/** Queue order: priority (Strict always first), then longest in queue, then id for a stable order. */
export function compareQueued(
  a: Pick<Task, 'id' | 'queue' | 'enqueuedAt'>,
  b: Pick<Task, 'id' | 'queue' | 'enqueuedAt'>,
): number {
  const byPriority = RANK[b.queue?.priority ?? 'normal'] - RANK[a.queue?.priority ?? 'normal'];
  if (byPriority !== 0) return byPriority;
  const byTime = (a.enqueuedAt ?? 0) - (b.enqueuedAt ?? 0);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The queued tasks in distribution order (a copy; the input is left alone). */
export function sortQueue<T extends Pick<Task, 'id' | 'state' | 'queue' | 'enqueuedAt'>>(tasks: readonly T[]): T[] {
  return tasks.filter((t) => t.state === 'queued').sort(compareQueued);
}

export type QueuePosition = { position: number; queueLength: number; estimatedWaitSeconds: number | null };

/**
 * Position (1-based) of a task in its sorted queue, and an estimate of its wait: its position times the
 * recent average interval between accepts in this queue (the queue's throughput).
 */
export function queuePosition(
  sorted: readonly Pick<Task, 'id'>[],
  taskId: string,
  avgAcceptIntervalMs: number | null,
): QueuePosition | undefined {
  const index = sorted.findIndex((t) => t.id === taskId);
  if (index < 0) return undefined;
  const position = index + 1;
  return {
    position,
    queueLength: sorted.length,
    estimatedWaitSeconds: avgAcceptIntervalMs === null ? null : Math.round((position * avgAcceptIntervalMs) / 1000),
  };
}

/** Exponentially weighted average of the interval between accepts; recent behaviour weighs most. */
export function nextAcceptInterval(
  stats: { lastAcceptAt: number | null; avgAcceptIntervalMs: number | null },
  now: number,
): { lastAcceptAt: number; avgAcceptIntervalMs: number | null } {
  if (stats.lastAcceptAt === null) return { lastAcceptAt: now, avgAcceptIntervalMs: stats.avgAcceptIntervalMs };
  const interval = Math.max(0, now - stats.lastAcceptAt);
  const avg =
    stats.avgAcceptIntervalMs === null ? interval : Math.round(0.8 * stats.avgAcceptIntervalMs + 0.2 * interval);
  return { lastAcceptAt: now, avgAcceptIntervalMs: avg };
}
