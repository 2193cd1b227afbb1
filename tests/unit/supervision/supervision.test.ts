import type { Task } from '../../../bot/src/core/model';
import {
  claimedSessionOf,
  recordSupervision,
  takeOverTask,
  taskReportOf,
  endTask,
  userSessionOf,
} from '../../../bot/src/core/routing';
import { cardStatus } from '../../../bot/src/core/relay';
import { agentLiveStatus, supervisedServices } from '../../../bot/src/core/supervision';
import { agentState, service, task as taskFixture, tenant, user } from '../../helpers/fixtures';

const T = 'tenant-1';

/** A task Alex accepted at t=1000 through offer o1. */
const connected = (): Task => ({
  ...taskFixture(T, 'task-1'),
  state: 'connected',
  assignedUserId: 'alex',
  connectedAt: 1000,
  enqueuedAt: 500,
  offers: [{ id: 'o1', userId: 'alex', state: 'accepted', offeredAt: 600, expiresAt: 30_600, respondedAt: 1000 }],
});

describe('supervision in the task', () => {
  it('keeps one entry per supervisor and kind, counting repeats', () => {
    let entries = recordSupervision(undefined, 'whisper', 'sue', 10);
    entries = recordSupervision(entries, 'whisper', 'sue', 20);
    entries = recordSupervision(entries, 'monitor', 'sue', 30);
    entries = recordSupervision(entries, 'whisper', 'uma', 40);
    expect(entries).toEqual([
      { kind: 'whisper', userId: 'sue', firstAt: 10, lastAt: 20, count: 2 },
      { kind: 'monitor', userId: 'sue', firstAt: 30, lastAt: 30, count: 1 },
      { kind: 'whisper', userId: 'uma', firstAt: 40, lastAt: 40, count: 1 },
    ]);
  });

  it('stays bounded however many supervisors act', () => {
    let entries = recordSupervision(undefined, 'monitor', 'u0', 0);
    for (let i = 1; i < 1000; i++) entries = recordSupervision(entries, 'monitor', `u${i}`, i);
    expect(entries).toHaveLength(400);
    expect(entries.reduce((n, e) => n + e.count, 0)).toBe(1000);
  });

  it('takes a connected chat over: the supervisor holds it, the agent handed it over then', () => {
    const result = takeOverTask(connected(), 'sue', 5000);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const t = result.value;
    expect(t).toMatchObject({ state: 'connected', assignedUserId: 'sue', connectedAt: 1000 });
    expect(t.offers[0]).toMatchObject({ userId: 'alex', state: 'accepted', handedOverAt: 5000 });
    expect(t.supervision).toEqual([{ kind: 'take-over', userId: 'sue', firstAt: 5000, lastAt: 5000, count: 1 }]);
    // The agent's card says a supervisor has it now.
    expect(cardStatus(t, t.offers[0]!, 'alex')).toEqual({ state: 'withdrawn', withdrawnReason: 'taken-over' });
  });

  it("refuses to take over what is not connected, is ended or is the supervisor's already", () => {
    const queued = { ...taskFixture(T, 'task-2'), state: 'queued' as const };
    expect(takeOverTask(queued, 'sue', 1)).toEqual({ ok: false, refusal: 'not-connected' });
    expect(takeOverTask(connected(), 'alex', 1)).toEqual({ ok: false, refusal: 'already-taken' });
    const ended = endTask(connected(), 'accepted', 2000);
    expect(ended.ok && takeOverTask(ended.value, 'sue', 3000)).toEqual({ ok: false, refusal: 'task-ended' });
  });

  it('reports the chain: the agent transferred at the take-over, the supervisor from then to the end', () => {
    const taken = takeOverTask(connected(), 'sue', 5000);
    const ended = taken.ok ? endTask(taken.value, 'accepted', 9000) : taken;
    if (!ended.ok) throw new Error('not ended');
    const t = ended.value;
    expect(userSessionOf(t, t.offers[0]!)).toMatchObject({
      userId: 'alex',
      outcome: 'accepted',
      endedAt: 5000,
      taskOutcome: 'transferred',
    });
    expect(claimedSessionOf(t)).toMatchObject({
      id: 'takeover-task-1-sue',
      userId: 'sue',
      offeredAt: 5000,
      endedAt: 9000,
      taskOutcome: 'accepted',
    });
    expect(taskReportOf(t)).toMatchObject({ acceptedByUserId: 'sue', supervision: t.supervision });
    // A task nobody supervised has no supervision in its report.
    const plain = endTask(connected(), 'accepted', 9000);
    expect(plain.ok && 'supervision' in taskReportOf(plain.value)).toBe(false);
  });
});

describe('who supervises which service', () => {
  const units = [
    { id: 'root', parentId: null, supervisorUserIds: ['uma'] },
    { id: 'care', parentId: 'root' },
    { id: 'loop-a', parentId: 'loop-b' },
    { id: 'loop-b', parentId: 'loop-a' },
  ];
  const services = [
    { id: 'support', unitId: 'care', supervisorUserIds: ['sue'] },
    { id: 'billing', unitId: 'root' },
    { id: 'stray', unitId: 'loop-a' },
  ];
  it.each([
    ['sue', false, ['support']],
    ['uma', false, ['support', 'billing']],
    ['gary', false, []],
    ['gary', true, ['support', 'billing', 'stray']],
  ])('%s (admin: %s) supervises %j', (userId, isAdmin, expected) => {
    expect(supervisedServices({ userId, isAdmin }, services, units).map((s) => s.id)).toEqual(expected);
  });
});

describe('an agent on the dashboard', () => {
  const t = tenant(T, { licenses: { imModality: { total: 1, assignees: ['alex'] } } });
  const svc = service(T, 'svc', { members: [{ userId: 'alex', active: true }] });
  const alex = user(T, 'alex', { im: { ...user(T, 'alex').im, maxConcurrentChats: 2 } });
  const state = (over: Parameters<typeof agentState>[2]) =>
    agentState(T, 'alex', { presence: 'available', reachable: true, ...over });
  const status = (over: Parameters<typeof agentState>[2]) =>
    agentLiveStatus({ tenant: t, user: alex, agent: state(over), service: svc, now: 10_000 });

  it('is available, ringing, full, in RONA, not available or without the app, with the reason', () => {
    expect(status({})).toMatchObject({ state: 'available', chats: 0, chatLimit: 2, notSelectable: null });
    expect(status({ slots: [{ taskId: 'a', queue: 'q', kind: 'offer', since: 1 }] })).toMatchObject({
      state: 'ringing',
      ringing: 1,
    });
    const two = [
      { taskId: 'a', queue: 'q', kind: 'chat' as const, since: 1 },
      { taskId: 'b', queue: 'q', kind: 'chat' as const, since: 1 },
    ];
    expect(status({ slots: two })).toMatchObject({ state: 'full', chats: 2 });
    expect(status({ rona: { until: 20_000, reason: 'no-answer', taskId: 'x' } })).toMatchObject({
      state: 'rona',
      ronaUntil: 20_000,
    });
    expect(status({ rona: { until: 5_000, reason: 'no-answer', taskId: 'x' } })).toMatchObject({
      state: 'available',
      ronaUntil: null,
    });
    expect(status({ notAvailableReason: 'Break' })).toMatchObject({
      state: 'not-available',
      notAvailableReason: 'Break',
    });
    expect(status({ reachable: false }).state).toBe('app-not-installed');
    expect(status({ presence: 'offline' })).toMatchObject({ state: 'offline', presence: 'offline' });
    expect(status({ presence: 'do-not-disturb' }).notSelectable?.reason).toBe('presence-do-not-disturb');
  });
});
