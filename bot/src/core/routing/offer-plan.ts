import type { Task } from '../model';

export type Candidate = { userId: string; freeChats: number; lastActivityAt: number };
export type PlannedOffer = { taskId: string; userId: string };

/**
 * Which offers to make now, for a queue in distribution order and the selectable agents:
 * - Direct: one agent at a time, the longest idle first; nothing while an offer is pending.
 * - Broadcast: up to `broadcastSize` agents at once (counting pending offers); first accept wins.
 * - Pickup: no offers; agents claim from the queue.
 * Each planned offer uses one free chat of its agent, so the plan never exceeds capacity.
 */
export function planOffers(sortedQueue: readonly Task[], candidates: readonly Candidate[]): PlannedOffer[] {
  const pool = candidates.map((c) => ({ ...c }));
  const plan: PlannedOffer[] = [];
  let tick = 0;
  const idleOrder = (a: Candidate, b: Candidate) =>
    a.lastActivityAt - b.lastActivityAt || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

  for (const task of sortedQueue) {
    if (task.state !== 'queued' || !task.queue || task.queue.type === 'pickup') continue;
    const pending = task.offers.filter((o) => o.state === 'pending');
    const wanted =
      task.queue.type === 'direct'
        ? pending.length === 0
          ? 1
          : 0
        : Math.max(0, task.queue.broadcastSize - pending.length);
    if (wanted === 0) continue;
    const busyWithTask = new Set([...pending.map((o) => o.userId), ...task.excludedUserIds]);
    const chosen = pool
      .filter((c) => c.freeChats > 0 && !busyWithTask.has(c.userId))
      .sort(idleOrder)
      .slice(0, wanted);
    for (const c of chosen) {
      plan.push({ taskId: task.id, userId: c.userId });
      c.freeChats -= 1;
      // Just offered: no longer the longest idle for the next task of this pass.
      c.lastActivityAt = Number.MAX_SAFE_INTEGER - 1_000_000 + tick++;
    }
  }
  return plan;
}
