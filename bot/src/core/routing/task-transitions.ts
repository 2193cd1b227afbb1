import type { Customer, ImChannel, Offer, QueueSettings, Task, TaskOutcome, TaskTarget } from '../model';
import { type Result, ok, refuse } from '../result';

/**
 * Pure transitions of a task. Each returns the new task or a named refusal; the caller writes the new
 * task conditionally on the etag it read, so two actors can never both succeed from the same state.
 */
export type Refusal =
  | 'task-ended'
  | 'not-queued'
  | 'already-taken'
  | 'already-offered'
  | 'offer-limit'
  | 'excluded'
  | 'pickup-only'
  | 'not-pickup'
  | 'offer-not-found'
  | 'not-your-offer'
  | 'offer-not-pending'
  | 'offer-expired'
  | 'not-expired'
  | 'not-connected'
  | 'invalid-outcome';
export type Transition = Result<Task, Refusal>;

/** What a new task is made of; the rest starts empty. */
export type NewTask = {
  tenantId: string;
  target: TaskTarget;
  channel: ImChannel;
  chatId: string;
  customer: Customer;
  firstMessage: string | null;
  transferredFromTaskId?: string | null;
};

/** A task as it is created: not yet in a workflow or a queue, no offers. */
export function newTask(id: string, input: NewTask, now: number): Task {
  return {
    id,
    tenantId: input.tenantId,
    type: 'task',
    target: input.target,
    channel: input.channel,
    chatId: input.chatId,
    customer: input.customer,
    firstMessage: input.firstMessage,
    state: 'created',
    createdAt: now,
    queue: null,
    enqueuedAt: null,
    offers: [],
    excludedUserIds: [],
    assignedUserId: null,
    connectedAt: null,
    endedAt: null,
    outcome: null,
    transferredFromTaskId: input.transferredFromTaskId ?? null,
  };
}

const withdrawPending = (offers: Offer[], now: number, except?: string): Offer[] =>
  offers.map((o) =>
    o.state === 'pending' && o.id !== except ? { ...o, state: 'withdrawn' as const, respondedAt: now } : o,
  );

export function startWorkflow(task: Task): Transition {
  if (task.state === 'ended') return refuse('task-ended');
  return ok({ ...task, state: 'in-workflow' });
}

/**
 * Puts the task in its queue, or changes the settings of a queued task (a later Queue Task or
 * Distribution Priority). A task keeps its original time in queue when it is queued again.
 */
export function enqueue(task: Task, settings: QueueSettings, now: number): Transition {
  if (task.state === 'ended') return refuse('task-ended');
  if (task.state === 'connected') return refuse('already-taken');
  return ok({ ...task, state: 'queued', queue: settings, enqueuedAt: task.enqueuedAt ?? now });
}

export function setPriority(task: Task, priority: QueueSettings['priority']): Transition {
  if (task.state !== 'queued' || !task.queue) return refuse('not-queued');
  return ok({ ...task, queue: { ...task.queue, priority } });
}

export function addOffer(task: Task, offer: { id: string; userId: string }, now: number): Transition {
  if (task.state === 'ended') return refuse('task-ended');
  if (task.state === 'connected') return refuse('already-taken');
  if (task.state !== 'queued' || !task.queue) return refuse('not-queued');
  if (task.queue.type === 'pickup') return refuse('pickup-only');
  if (task.excludedUserIds.includes(offer.userId)) return refuse('excluded');
  const pending = task.offers.filter((o) => o.state === 'pending');
  if (pending.some((o) => o.userId === offer.userId)) return refuse('already-offered');
  const limit = task.queue.type === 'direct' ? 1 : task.queue.broadcastSize;
  if (pending.length >= limit) return refuse('offer-limit');
  const added: Offer = {
    id: offer.id,
    userId: offer.userId,
    state: 'pending',
    offeredAt: now,
    expiresAt: now + task.queue.ringTimeoutSeconds * 1000,
    respondedAt: null,
  };
  return ok({ ...task, offers: [...task.offers, added] });
}

function pendingOfferOf(task: Task, offerId: string, userId: string | null): { offer: Offer } | { refusal: Refusal } {
  if (task.state === 'ended') return { refusal: 'task-ended' };
  const offer = task.offers.find((o) => o.id === offerId);
  if (!offer) return { refusal: 'offer-not-found' };
  if (userId !== null && offer.userId !== userId) return { refusal: 'not-your-offer' };
  if (task.state === 'connected' && offer.state !== 'accepted') return { refusal: 'already-taken' };
  if (offer.state !== 'pending') return { refusal: 'offer-not-pending' };
  return { offer };
}

/** The first accept wins: the task connects to that agent and every other pending offer is withdrawn. */
export function acceptOffer(task: Task, offerId: string, userId: string, now: number): Transition {
  const found = pendingOfferOf(task, offerId, userId);
  if ('refusal' in found) return refuse(found.refusal);
  if (now >= found.offer.expiresAt) return refuse('offer-expired');
  const offers = withdrawPending(task.offers, now, offerId).map((o) =>
    o.id === offerId ? { ...o, state: 'accepted' as const, respondedAt: now } : o,
  );
  return ok({ ...task, state: 'connected', assignedUserId: userId, connectedAt: now, offers });
}

/**
 * A decline: the agent is not offered this task again. Only with persistent RONA may a Direct decliner
 * be offered it later, once their RONA is over: without RONA nothing would keep the task from coming
 * straight back to the agent who just said no.
 */
export function declineOffer(
  task: Task,
  offerId: string,
  userId: string,
  now: number,
  persistentRona = false,
): Transition {
  const found = pendingOfferOf(task, offerId, userId);
  if ('refusal' in found) return refuse(found.refusal);
  const offers = task.offers.map((o) =>
    o.id === offerId ? { ...o, state: 'declined' as const, respondedAt: now } : o,
  );
  const excludedUserIds =
    task.queue?.type === 'broadcast' || !persistentRona
      ? [...new Set([...task.excludedUserIds, userId])]
      : task.excludedUserIds;
  return ok({ ...task, offers, excludedUserIds });
}

/** Ring timeout: a pending offer past its expiry becomes "no answer". */
export function expireOffer(task: Task, offerId: string, now: number): Transition {
  const found = pendingOfferOf(task, offerId, null);
  if ('refusal' in found) return refuse(found.refusal);
  if (now < found.offer.expiresAt) return refuse('not-expired');
  return ok({
    ...task,
    offers: task.offers.map((o) => (o.id === offerId ? { ...o, state: 'no-answer' as const, respondedAt: now } : o)),
  });
}

/** A pending offer taken back without the agent's doing (its card could not reach them): no RONA. */
export function withdrawOffer(task: Task, offerId: string, now: number): Transition {
  const found = pendingOfferOf(task, offerId, null);
  if ('refusal' in found) return refuse(found.refusal);
  return ok({
    ...task,
    offers: task.offers.map((o) => (o.id === offerId ? { ...o, state: 'withdrawn' as const, respondedAt: now } : o)),
  });
}

/** Pickup: an agent claims a queued task from the list. */
export function claimTask(task: Task, userId: string, now: number): Transition {
  if (task.state === 'ended') return refuse('task-ended');
  if (task.state === 'connected') return refuse('already-taken');
  if (task.state !== 'queued' || !task.queue) return refuse('not-queued');
  if (task.queue.type !== 'pickup') return refuse('not-pickup');
  return ok({
    ...task,
    state: 'connected',
    assignedUserId: userId,
    connectedAt: now,
    offers: withdrawPending(task.offers, now),
  });
}

/** Which outcomes make sense from which state. */
const OUTCOMES_BY_STATE: Record<Exclude<Task['state'], 'ended'>, readonly TaskOutcome[]> = {
  created: ['cancelled', 'customer-left-before-queue', 'handled-by-system', 'failed'],
  'in-workflow': ['cancelled', 'customer-left-before-queue', 'handled-by-system', 'failed', 'transferred'],
  queued: [
    'cancelled',
    'customer-left-in-queue',
    'max-queue-time',
    'handled-by-system',
    'failed',
    'transferred',
    'missed',
  ],
  connected: ['accepted', 'transferred', 'failed'],
};

export function endTask(task: Task, outcome: TaskOutcome, now: number): Transition {
  if (task.state === 'ended') return refuse('task-ended');
  if (!OUTCOMES_BY_STATE[task.state].includes(outcome)) return refuse('invalid-outcome');
  return ok({ ...task, state: 'ended', outcome, endedAt: now, offers: withdrawPending(task.offers, now) });
}

/** The outcome when the customer leaves, by how far the task got. */
export function customerLeftOutcome(task: Pick<Task, 'state'>): TaskOutcome {
  if (task.state === 'connected') return 'accepted';
  if (task.state === 'queued') return 'customer-left-in-queue';
  return 'customer-left-before-queue';
}

export const pendingOffers = (task: Task): Offer[] => task.offers.filter((o) => o.state === 'pending');
