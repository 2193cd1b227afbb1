import type { TaskOutcome, TaskReport, TaskTarget, UserSessionReport } from '../../bot/src/core/model';

export const TENANT = 'tenant-1';
export const SERVICE: TaskTarget = { kind: 'service', serviceId: 'svc-a' };

/** A task report as the routing writes it; times in ms, `createdAt` from an ISO instant. */
export function taskReport(
  id: string,
  over: {
    at: string;
    outcome: TaskOutcome;
    channel?: 'interact' | 'whatsapp';
    target?: TaskTarget;
    queuedMs?: number | null;
    talkMs?: number | null;
    by?: string | null;
    offers?: number;
  },
): TaskReport {
  const createdAt = Date.parse(over.at);
  const queued = over.queuedMs ?? null;
  const talk = over.talkMs ?? null;
  const connectedAt = over.outcome === 'accepted' && queued !== null ? createdAt + queued : null;
  return {
    id,
    tenantId: TENANT,
    type: 'taskReport',
    target: over.target ?? SERVICE,
    channel: over.channel ?? 'interact',
    chatId: `chat-${id}`,
    customer: { displayName: `Customer ${id}`, email: null, address: null },
    firstMessage: null,
    outcome: over.outcome,
    acceptedByUserId: over.outcome === 'accepted' ? (over.by ?? 'u1') : null,
    createdAt,
    enqueuedAt: queued === null ? null : createdAt,
    connectedAt,
    endedAt: createdAt + (queued ?? 0) + (talk ?? 0) + 1000,
    offers: over.offers ?? (queued === null ? 0 : 1),
    timeInQueueMs: queued,
    timeToAcceptMs: connectedAt === null ? null : 2000,
    timeInConversationMs: talk,
    transferredFromTaskId: null,
    transferredToTaskId: over.outcome === 'transferred' ? `next-${id}` : null,
  };
}

export function userSession(
  id: string,
  over: {
    at: string;
    userId: string;
    taskId: string;
    outcome: UserSessionReport['outcome'];
    taskOutcome?: TaskOutcome | null;
    channel?: 'interact' | 'whatsapp';
    target?: TaskTarget;
  },
): UserSessionReport {
  const offeredAt = Date.parse(over.at);
  return {
    id,
    tenantId: TENANT,
    type: 'userSession',
    userId: over.userId,
    taskId: over.taskId,
    target: over.target ?? SERVICE,
    channel: over.channel ?? 'interact',
    customer: { displayName: 'Customer', email: null, address: null },
    outcome: over.outcome,
    offeredAt,
    respondedAt: offeredAt + 3000,
    endedAt: over.outcome === 'accepted' ? offeredAt + 60_000 : null,
    taskOutcome: over.outcome === 'accepted' ? (over.taskOutcome ?? 'accepted') : null,
  };
}
