import type { SupervisionEntry, SupervisionKind, Task } from '../model';
import { ok, refuse } from '../result';
import type { Transition } from './task-transitions';

/** Most supervisors and kinds one task records; past it, new supervisors are counted on the last entry. */
const MAX_ENTRIES = 400;

/**
 * Records a supervisor's action in the task: one entry per supervisor and kind with its first and last
 * time and a count, so a whispering supervisor does not grow the task without bound.
 */
export function recordSupervision(
  entries: readonly SupervisionEntry[] | undefined,
  kind: SupervisionKind,
  userId: string,
  now: number,
): SupervisionEntry[] {
  const list = [...(entries ?? [])];
  const i = list.findIndex((e) => e.kind === kind && e.userId === userId);
  if (i >= 0) list[i] = { ...list[i]!, lastAt: now, count: list[i]!.count + 1 };
  else if (list.length < MAX_ENTRIES) list.push({ kind, userId, firstAt: now, lastAt: now, count: 1 });
  else list[list.length - 1] = { ...list[list.length - 1]!, lastAt: now, count: list[list.length - 1]!.count + 1 };
  return list;
}

export function superviseTask(task: Task, kind: Exclude<SupervisionKind, 'take-over'>, userId: string, now: number) {
  if (task.state === 'ended') return refuse('task-ended' as const);
  return ok({ ...task, supervision: recordSupervision(task.supervision, kind, userId, now) });
}

/**
 * A supervisor takes a connected chat over: it is theirs from now on, the agent's accepted offer is
 * marked handed over (their session ends there, as "transferred"), and the take-over is recorded.
 */
export function takeOverTask(task: Task, supervisorId: string, now: number): Transition {
  if (task.state === 'ended') return refuse('task-ended');
  if (task.state !== 'connected' || task.assignedUserId === null) return refuse('not-connected');
  if (task.assignedUserId === supervisorId) return refuse('already-taken');
  const from = task.assignedUserId;
  return ok({
    ...task,
    assignedUserId: supervisorId,
    offers: task.offers.map((o) =>
      o.userId === from && o.state === 'accepted' && o.handedOverAt === undefined ? { ...o, handedOverAt: now } : o,
    ),
    supervision: recordSupervision(task.supervision, 'take-over', supervisorId, now),
  });
}

/** When the task's current holder took it over from another agent; undefined when they did not. */
export function takenOverAt(task: Pick<Task, 'assignedUserId' | 'supervision'>): number | undefined {
  const userId = task.assignedUserId;
  return task.supervision?.find((e) => e.kind === 'take-over' && e.userId === userId)?.firstAt;
}
