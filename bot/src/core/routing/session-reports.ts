import type { Offer, Task, TaskReport, UserSessionReport } from '../model';
import { takenOverAt } from './supervision';

/** The session report of an ended task. */
export function taskReportOf(task: Task, transferredToTaskId: string | null = null): TaskReport {
  if (task.state !== 'ended' || task.outcome === null || task.endedAt === null)
    throw new Error(`task ${task.id} has not ended`);
  const firstOffer = task.offers.reduce<number | null>(
    (min, o) => (min === null || o.offeredAt < min ? o.offeredAt : min),
    null,
  );
  const queueEnd = task.connectedAt ?? task.endedAt;
  return {
    id: task.id,
    tenantId: task.tenantId,
    type: 'taskReport',
    target: task.target,
    channel: task.channel,
    chatId: task.chatId,
    customer: task.customer,
    firstMessage: task.firstMessage,
    outcome: task.outcome,
    acceptedByUserId: task.assignedUserId,
    createdAt: task.createdAt,
    enqueuedAt: task.enqueuedAt,
    connectedAt: task.connectedAt,
    endedAt: task.endedAt,
    offers: task.offers.length,
    timeInQueueMs: task.enqueuedAt === null ? null : Math.max(0, queueEnd - task.enqueuedAt),
    timeToAcceptMs:
      task.connectedAt === null || firstOffer === null ? null : Math.max(0, task.connectedAt - firstOffer),
    timeInConversationMs: task.connectedAt === null ? null : Math.max(0, task.endedAt - task.connectedAt),
    transferredFromTaskId: task.transferredFromTaskId,
    transferredToTaskId,
    ...(task.supervision?.length ? { supervision: task.supervision } : {}),
  };
}

/**
 * The user session of a resolved offer; for the accepted one, written when the conversation ends. An
 * agent whose chat a supervisor took over ended their session then, as "transferred".
 */
export function userSessionOf(task: Task, offer: Offer): UserSessionReport {
  if (offer.state === 'pending' || offer.respondedAt === null) throw new Error(`offer ${offer.id} is still pending`);
  const accepted = offer.state === 'accepted';
  const handedOver = accepted && offer.handedOverAt !== undefined;
  return {
    id: offer.id,
    tenantId: task.tenantId,
    type: 'userSession',
    userId: offer.userId,
    taskId: task.id,
    target: task.target,
    channel: task.channel,
    customer: task.customer,
    outcome: offer.state,
    offeredAt: offer.offeredAt,
    respondedAt: offer.respondedAt,
    endedAt: handedOver ? offer.handedOverAt! : accepted ? task.endedAt : null,
    taskOutcome: handedOver ? 'transferred' : accepted ? task.outcome : null,
  };
}

/**
 * The user session of an agent who claimed a Pickup task, or of a supervisor who took a chat over: no
 * offer was made, so the session is the claim (or the take-over) itself; written when it starts and
 * again when it ends.
 */
export function claimedSessionOf(task: Task): UserSessionReport | undefined {
  const userId = task.assignedUserId;
  if (!userId || task.connectedAt === null) return undefined;
  if (task.offers.some((o) => o.state === 'accepted' && o.userId === userId)) return undefined;
  const tookOver = takenOverAt(task);
  const since = tookOver ?? task.connectedAt;
  return {
    id: tookOver === undefined ? `claim-${task.id}` : `takeover-${task.id}-${userId}`,
    tenantId: task.tenantId,
    type: 'userSession',
    userId,
    taskId: task.id,
    target: task.target,
    channel: task.channel,
    customer: task.customer,
    outcome: 'accepted',
    // No offer was made: the claim is offer and answer at once (the wait is in the task report).
    offeredAt: since,
    respondedAt: since,
    endedAt: task.state === 'ended' ? task.endedAt : null,
    taskOutcome: task.state === 'ended' ? task.outcome : null,
  };
}
