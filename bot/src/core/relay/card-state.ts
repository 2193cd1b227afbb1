import type { Offer, Task, TaskOutcome } from '../model';

export type CardState = 'offered' | 'accepted' | 'declined' | 'missed' | 'withdrawn' | 'ended';
export type WithdrawnReason = 'taken-by-another-agent' | 'taken-over' | 'customer-left' | 'no-longer-waiting';

/** What an agent's card for a task shows: the state of their offer, read together with the task's. */
export type CardStatus = { state: CardState; withdrawnReason: WithdrawnReason | null };

const customerLeft = (outcome: TaskOutcome | null): boolean =>
  outcome === 'customer-left-in-queue' || outcome === 'customer-left-before-queue';

/**
 * The card of `userId` for a task, from the task (live, or as its report tells it after it ended).
 * `offer` is the agent's offer, or null for a task they claimed without one.
 */
export function cardStatus(
  task: Pick<Task, 'state' | 'assignedUserId' | 'outcome'>,
  offer: (Pick<Offer, 'state'> & Partial<Pick<Offer, 'handedOverAt'>>) | null,
  userId: string,
): CardStatus {
  const mine = task.assignedUserId === userId;
  // The agent had the chat and a supervisor took it over.
  if (!mine && offer?.state === 'accepted' && offer.handedOverAt !== undefined)
    return { state: 'withdrawn', withdrawnReason: 'taken-over' };
  if (offer === null || offer.state === 'accepted') {
    if (mine) return { state: task.state === 'ended' ? 'ended' : 'accepted', withdrawnReason: null };
  } else if (offer.state === 'pending') {
    if (task.state !== 'ended') return { state: 'offered', withdrawnReason: null };
  } else if (offer.state === 'declined') {
    return { state: 'declined', withdrawnReason: null };
  } else if (offer.state === 'no-answer') {
    return { state: 'missed', withdrawnReason: null };
  }
  // Withdrawn, or a card whose offer the task no longer knows: say why it is gone.
  if (task.assignedUserId !== null && !mine) return { state: 'withdrawn', withdrawnReason: 'taken-by-another-agent' };
  if (customerLeft(task.outcome)) return { state: 'withdrawn', withdrawnReason: 'customer-left' };
  return { state: 'withdrawn', withdrawnReason: 'no-longer-waiting' };
}
