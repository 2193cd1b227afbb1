import {
  addSlot,
  applyRona,
  clearExpiredRona,
  releaseSlot,
  ronaActive,
  selectability,
  setPresence,
  slotToChat,
} from '../../../bot/src/core/routing';
import { serviceQueueScope } from '../../../bot/src/store/partition-keys';
import { agentState, service, tenant, user } from '../../helpers/fixtures';

const T = 't';
const MIN = 60_000;
const QUEUE = serviceQueueScope('s');

describe('RONA timing', () => {
  const start = 1_000_000;
  const inRona = applyRona(agentState(T, 'u1'), 'no-answer', 'task-1', start, 600);

  it.each([
    [0, true],
    [10 * MIN - 1, true],
    [10 * MIN, false],
    [11 * MIN, false],
  ])('%i ms after a missed offer with a 10 min reset: in RONA = %s', (elapsed, expected) => {
    expect(ronaActive(inRona, start + elapsed)).toBe(expected);
  });

  it('makes the agent not selectable until the reset time, then selectable again', () => {
    const ctx = {
      tenant: tenant(T, { licenses: { imModality: { total: 1, assignees: ['u1'] } } }),
      user: user(T, 'u1'),
      service: service(T, 'svc', { members: [{ userId: 'u1', active: true }] }),
    };
    expect(selectability({ ...ctx, agent: inRona, now: start + 5 * MIN })).toMatchObject({
      selectable: false,
      reason: 'rona',
    });
    expect(selectability({ ...ctx, agent: inRona, now: start + 10 * MIN })).toMatchObject({ selectable: true });
  });

  it('is cleared by the timer only once its time is up', () => {
    expect(clearExpiredRona(inRona, start + 9 * MIN).rona).not.toBeNull();
    expect(clearExpiredRona(inRona, start + 10 * MIN).rona).toBeNull();
  });

  it('is cleared by going Offline, not by other presence changes', () => {
    expect(setPresence(inRona, 'away', start).rona).not.toBeNull();
    expect(setPresence(inRona, 'offline', start).rona).toBeNull();
  });

  it('honours the shortest (10 s) and longest (8 h) reset times', () => {
    expect(applyRona(agentState(T, 'u1'), 'declined', 't', 0, 10).rona?.until).toBe(10_000);
    expect(applyRona(agentState(T, 'u1'), 'declined', 't', 0, 8 * 3600).rona?.until).toBe(8 * 3600 * 1000);
  });
});

describe('slots', () => {
  it('an offer slot becomes a chat on accept and is released on end, which counts as activity', () => {
    const offered = addSlot(agentState(T, 'u1'), { taskId: 'x', queue: QUEUE, kind: 'offer', since: 5 }, 5);
    expect(offered).toMatchObject({ slots: [{ taskId: 'x', kind: 'offer' }], lastActivityAt: 5 });
    expect(addSlot(offered, { taskId: 'x', queue: QUEUE, kind: 'offer', since: 6 }, 6).slots).toHaveLength(1);
    const chatting = slotToChat(offered, 'x', QUEUE, 9);
    expect(chatting.slots).toEqual([{ taskId: 'x', queue: QUEUE, kind: 'chat', since: 9 }]);
    const done = releaseSlot(chatting, 'x', 99);
    expect(done).toMatchObject({ slots: [], lastActivityAt: 99 });
  });

  it('adds the chat slot when a crash lost the offer slot', () => {
    expect(slotToChat(agentState(T, 'u1'), 'x', QUEUE, 9).slots).toEqual([
      { taskId: 'x', queue: QUEUE, kind: 'chat', since: 9 },
    ]);
  });

  it('releasing an offer slot does not count as activity', () => {
    const offered = addSlot(
      agentState(T, 'u1', { lastActivityAt: 1 }),
      { taskId: 'x', queue: 'q', kind: 'offer', since: 5 },
      5,
    );
    expect(releaseSlot(offered, 'x', 50).lastActivityAt).toBe(5);
  });
});
