import { type Candidate, planOffers, sortQueue } from '../../../bot/src/core/routing';
import type { Offer } from '../../../bot/src/core/model';
import { queuedTask } from '../../helpers/fixtures';

const T = 't';
const agent = (userId: string, lastActivityAt: number, freeChats = 3): Candidate => ({
  userId,
  freeChats,
  lastActivityAt,
});
const pending = (id: string, userId: string): Offer => ({
  id,
  userId,
  state: 'pending',
  offeredAt: 0,
  expiresAt: 30_000,
  respondedAt: null,
});

describe('Direct distribution', () => {
  it('offers each task to one agent, the longest idle first', () => {
    const queue = sortQueue([queuedTask(T, 't1', {}, 1), queuedTask(T, 't2', {}, 2)]);
    expect(planOffers(queue, [agent('recent', 500), agent('idle-longest', 100), agent('middle', 300)])).toEqual([
      { taskId: 't1', userId: 'idle-longest' },
      { taskId: 't2', userId: 'middle' },
    ]);
  });

  it('makes no second offer while one is pending', () => {
    const queue = [queuedTask(T, 't1', {}, 1, { offers: [pending('o1', 'a')] })];
    expect(planOffers(queue, [agent('b', 0)])).toEqual([]);
  });

  it('never plans more offers for an agent than their free chats', () => {
    const queue = sortQueue([1, 2, 3, 4].map((i) => queuedTask(T, `t${i}`, {}, i)));
    const plan = planOffers(queue, [agent('only', 0, 2)]);
    expect(plan).toEqual([
      { taskId: 't1', userId: 'only' },
      { taskId: 't2', userId: 'only' },
    ]);
  });

  it('serves higher priority first when agents are scarce', () => {
    const queue = sortQueue([queuedTask(T, 'normal', {}, 1), queuedTask(T, 'strict', { priority: 'strict' }, 9)]);
    expect(planOffers(queue, [agent('a', 0, 1)])).toEqual([{ taskId: 'strict', userId: 'a' }]);
  });
});

describe('Broadcast distribution', () => {
  it('offers up to N agents at once', () => {
    const queue = [queuedTask(T, 't1', { type: 'broadcast', broadcastSize: 2 }, 1)];
    expect(planOffers(queue, [agent('a', 3), agent('b', 1), agent('c', 2)]).map((p) => p.userId)).toEqual(['b', 'c']);
  });

  it('tops up to N, skipping agents with a pending offer or who declined', () => {
    const queue = [
      queuedTask(T, 't1', { type: 'broadcast', broadcastSize: 3 }, 1, {
        offers: [pending('o1', 'a')],
        excludedUserIds: ['b'],
      }),
    ];
    expect(
      planOffers(queue, [agent('a', 0), agent('b', 0), agent('c', 0), agent('d', 0)]).map((p) => p.userId),
    ).toEqual(['c', 'd']);
  });
});

describe('Pickup distribution', () => {
  it('makes no offers', () => {
    expect(planOffers([queuedTask(T, 't1', { type: 'pickup' })], [agent('a', 0)])).toEqual([]);
  });
});
