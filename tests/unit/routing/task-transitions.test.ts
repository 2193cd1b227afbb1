import {
  acceptOffer,
  addOffer,
  claimTask,
  customerLeftOutcome,
  declineOffer,
  endTask,
  enqueue,
  expireOffer,
  setPriority,
  taskReportOf,
  userSessionOf,
} from '../../../bot/src/core/routing';
import type { Task } from '../../../bot/src/core/model';
import { queueSettings, queuedTask, task } from '../../helpers/fixtures';

const T = 't';
const must = (r: ReturnType<typeof addOffer>): Task => {
  if (!r.ok) throw new Error(`refused: ${r.refusal}`);
  return r.value;
};
const refusal = (r: ReturnType<typeof addOffer>) => (r.ok ? 'ok' : r.refusal);

describe('task transitions', () => {
  it('enqueues keeping the first time in queue when queued again', () => {
    const first = must(enqueue(task(T, 't1'), queueSettings(), 100));
    expect(first).toMatchObject({ state: 'queued', enqueuedAt: 100 });
    const again = must(enqueue(first, queueSettings({ priority: 'high' }), 500));
    expect(again).toMatchObject({ enqueuedAt: 100, queue: { priority: 'high' } });
    expect(refusal(enqueue({ ...first, state: 'connected', assignedUserId: 'a' }, queueSettings(), 1))).toBe(
      'already-taken',
    );
  });

  it('offers with the ring timeout as expiry', () => {
    const offered = must(addOffer(queuedTask(T, 't1', { ringTimeoutSeconds: 20 }), { id: 'o1', userId: 'a' }, 1_000));
    expect(offered.offers).toEqual([
      { id: 'o1', userId: 'a', state: 'pending', offeredAt: 1_000, expiresAt: 21_000, respondedAt: null },
    ]);
  });

  it.each([
    [
      'a Direct task with a pending offer',
      queuedTask(T, 't', {}, 0, {
        offers: [{ id: 'o', userId: 'x', state: 'pending', offeredAt: 0, expiresAt: 1, respondedAt: null }],
      }),
      'offer-limit',
    ],
    [
      'an agent already offered this task',
      queuedTask(T, 't', { type: 'broadcast' }, 0, {
        offers: [{ id: 'o', userId: 'a', state: 'pending', offeredAt: 0, expiresAt: 1, respondedAt: null }],
      }),
      'already-offered',
    ],
    [
      'an agent who declined a Broadcast',
      queuedTask(T, 't', { type: 'broadcast' }, 0, { excludedUserIds: ['a'] }),
      'excluded',
    ],
    ['a Pickup task', queuedTask(T, 't', { type: 'pickup' }), 'pickup-only'],
    ['a task still in its workflow', task(T, 't', { state: 'in-workflow' }), 'not-queued'],
    ['a connected task', queuedTask(T, 't', {}, 0, { state: 'connected', assignedUserId: 'z' }), 'already-taken'],
  ])('refuses an offer on %s', (_name, t, expected) => {
    expect(refusal(addOffer(t, { id: 'o2', userId: 'a' }, 5))).toBe(expected);
  });

  describe('accept', () => {
    const broadcast = () => {
      let t = queuedTask(T, 't1', { type: 'broadcast', broadcastSize: 3 });
      for (const [id, user] of [
        ['o1', 'a'],
        ['o2', 'b'],
        ['o3', 'c'],
      ] as const)
        t = must(addOffer(t, { id, userId: user }, 0));
      return t;
    };

    it('connects the first accept and withdraws the other offers', () => {
      const accepted = must(acceptOffer(broadcast(), 'o2', 'b', 10));
      expect(accepted).toMatchObject({ state: 'connected', assignedUserId: 'b', connectedAt: 10 });
      expect(accepted.offers.map((o) => [o.userId, o.state])).toEqual([
        ['a', 'withdrawn'],
        ['b', 'accepted'],
        ['c', 'withdrawn'],
      ]);
    });

    it('refuses a second accept from the same state: already taken', () => {
      const accepted = must(acceptOffer(broadcast(), 'o2', 'b', 10));
      expect(refusal(acceptOffer(accepted, 'o1', 'a', 11))).toBe('already-taken');
    });

    it.each([
      ['someone else’s offer', 'o1', 'b', 10, 'not-your-offer'],
      ['an unknown offer', 'nope', 'a', 10, 'offer-not-found'],
      ['after the ring timeout', 'o1', 'a', 30_000, 'offer-expired'],
    ])('refuses %s', (_name, offerId, userId, at, expected) => {
      expect(refusal(acceptOffer(broadcast(), offerId, userId, at))).toBe(expected);
    });

    it('refuses on an ended task', () => {
      const ended = must(endTask(broadcast(), 'customer-left-in-queue', 5));
      expect(refusal(acceptOffer(ended, 'o1', 'a', 6))).toBe('task-ended');
    });
  });

  it('declines: the decliner is not offered the task again; with persistent RONA a Direct one may be later', () => {
    const b = must(addOffer(queuedTask(T, 't', { type: 'broadcast' }), { id: 'o1', userId: 'a' }, 0));
    expect(must(declineOffer(b, 'o1', 'a', 5))).toMatchObject({
      excludedUserIds: ['a'],
      offers: [{ state: 'declined', respondedAt: 5 }],
    });
    expect(must(declineOffer(b, 'o1', 'a', 5, true)).excludedUserIds).toEqual(['a']);
    const d = must(addOffer(queuedTask(T, 't'), { id: 'o1', userId: 'a' }, 0));
    expect(must(declineOffer(d, 'o1', 'a', 5)).excludedUserIds).toEqual(['a']);
    expect(must(declineOffer(d, 'o1', 'a', 5, true)).excludedUserIds).toEqual([]);
    expect(refusal(declineOffer(must(declineOffer(d, 'o1', 'a', 5)), 'o1', 'a', 6))).toBe('offer-not-pending');
  });

  it('expires an offer only once its ring timeout has passed', () => {
    const t = must(addOffer(queuedTask(T, 't', { ringTimeoutSeconds: 30 }), { id: 'o1', userId: 'a' }, 0));
    expect(refusal(expireOffer(t, 'o1', 29_999))).toBe('not-expired');
    expect(must(expireOffer(t, 'o1', 30_000)).offers[0]).toMatchObject({ state: 'no-answer', respondedAt: 30_000 });
  });

  it('lets an agent claim a Pickup task once', () => {
    const claimed = must(claimTask(queuedTask(T, 't', { type: 'pickup' }), 'a', 7));
    expect(claimed).toMatchObject({ state: 'connected', assignedUserId: 'a', connectedAt: 7 });
    expect(refusal(claimTask(claimed, 'b', 8))).toBe('already-taken');
    expect(refusal(claimTask(queuedTask(T, 't'), 'a', 8))).toBe('not-pickup');
  });

  it('changes priority only while queued', () => {
    expect(must(setPriority(queuedTask(T, 't'), 'strict')).queue?.priority).toBe('strict');
    expect(refusal(setPriority(task(T, 't'), 'high'))).toBe('not-queued');
  });

  it.each([
    ['created', 'customer-left-before-queue', 'ok'],
    ['in-workflow', 'handled-by-system', 'ok'],
    ['queued', 'max-queue-time', 'ok'],
    ['queued', 'accepted', 'invalid-outcome'],
    ['connected', 'accepted', 'ok'],
    ['connected', 'max-queue-time', 'invalid-outcome'],
    ['created', 'accepted', 'invalid-outcome'],
  ] as const)('ends a %s task as %s → %s', (state, outcome, expected) => {
    const t = queuedTask(T, 't', {}, 0, { state, assignedUserId: state === 'connected' ? 'a' : null });
    expect(refusal(endTask(t, outcome, 9))).toBe(expected);
  });

  it('names the outcome when the customer leaves by how far the task got', () => {
    expect(customerLeftOutcome({ state: 'in-workflow' })).toBe('customer-left-before-queue');
    expect(customerLeftOutcome({ state: 'queued' })).toBe('customer-left-in-queue');
    expect(customerLeftOutcome({ state: 'connected' })).toBe('accepted');
  });
});

describe('session reports', () => {
  it('reports times in queue, to accept and in conversation, with the channel', () => {
    let t = queuedTask(T, 't', {}, 1_000, { createdAt: 500, channel: 'whatsapp' });
    t = must(addOffer(t, { id: 'o1', userId: 'a' }, 4_000));
    t = must(acceptOffer(t, 'o1', 'a', 6_000));
    t = must(endTask(t, 'accepted', 66_000));
    expect(taskReportOf(t)).toMatchObject({
      channel: 'whatsapp',
      outcome: 'accepted',
      acceptedByUserId: 'a',
      timeInQueueMs: 5_000,
      timeToAcceptMs: 2_000,
      timeInConversationMs: 60_000,
      offers: 1,
    });
    expect(userSessionOf(t, t.offers[0]!)).toMatchObject({
      outcome: 'accepted',
      userId: 'a',
      endedAt: 66_000,
      taskOutcome: 'accepted',
      channel: 'whatsapp',
    });
  });

  it('reports a task that never reached an agent', () => {
    const t = must(endTask(queuedTask(T, 't', {}, 1_000), 'max-queue-time', 61_000));
    expect(taskReportOf(t)).toMatchObject({
      outcome: 'max-queue-time',
      timeInQueueMs: 60_000,
      timeToAcceptMs: null,
      timeInConversationMs: null,
      acceptedByUserId: null,
    });
  });

  it('refuses to report a live task', () => {
    expect(() => taskReportOf(queuedTask(T, 't'))).toThrow('has not ended');
  });
});
