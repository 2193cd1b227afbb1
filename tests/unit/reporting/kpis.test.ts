import {
  DEFAULT_SLA,
  allChannels,
  kpisOf,
  localBucket,
  recompute,
  sumAggregates,
} from '../../../bot/src/core/reporting';
import { TENANT, taskReport, userSession } from '../../helpers/reports';

const ZONE = 'Europe/Zurich';
const SLA = { acceptanceSeconds: 20, hangupSeconds: 10 };
const s = (seconds: number) => seconds * 1000;

// Zurich: UTC+1 until 2026-03-29 02:00 local, then UTC+2 (the 29th has 23 hours).
const tasks = [
  taskReport('t1', { at: '2026-03-28T10:00:00Z', outcome: 'accepted', queuedMs: s(15), talkMs: s(300), by: 'u1' }),
  // 23:50 local, talks past midnight: counts on the 28th, where it arrived.
  taskReport('t2', { at: '2026-03-28T22:50:00Z', outcome: 'accepted', queuedMs: s(30), talkMs: s(1200), by: 'u2' }),
  taskReport('t3', {
    at: '2026-03-28T12:00:00Z',
    outcome: 'customer-left-in-queue',
    channel: 'whatsapp',
    queuedMs: s(5),
  }),
  taskReport('t4', {
    at: '2026-03-28T13:00:00Z',
    outcome: 'customer-left-in-queue',
    channel: 'whatsapp',
    queuedMs: s(60),
  }),
  taskReport('t5', { at: '2026-03-28T09:00:00Z', outcome: 'handled-by-system' }),
  taskReport('t6', { at: '2026-03-28T08:00:00Z', outcome: 'customer-left-before-queue' }),
  // 23:30 UTC on the 28th is 00:30 local on the 29th (still UTC+1).
  taskReport('t7', { at: '2026-03-28T23:30:00Z', outcome: 'accepted', queuedMs: s(10), talkMs: s(60), by: 'u1' }),
  // 21:30 UTC on the 29th is 23:30 local (UTC+2 since the change): still the 29th.
  taskReport('t8', { at: '2026-03-29T21:30:00Z', outcome: 'max-queue-time', queuedMs: s(120) }),
  // 22:30 UTC on the 29th is 00:30 local on the 30th.
  taskReport('t9', { at: '2026-03-29T22:30:00Z', outcome: 'transferred', queuedMs: s(40) }),
];
const sessions = [
  userSession('s1', { at: '2026-03-28T10:00:15Z', userId: 'u1', taskId: 't1', outcome: 'accepted' }),
  userSession('s2', { at: '2026-03-28T22:50:05Z', userId: 'u2', taskId: 't2', outcome: 'declined' }),
  userSession('s3', { at: '2026-03-28T22:50:30Z', userId: 'u2', taskId: 't2', outcome: 'accepted' }),
  userSession('s4', {
    at: '2026-03-28T13:00:10Z',
    userId: 'u1',
    taskId: 't4',
    outcome: 'no-answer',
    channel: 'whatsapp',
  }),
  userSession('s5', {
    at: '2026-03-29T22:30:40Z',
    userId: 'u1',
    taskId: 't9',
    outcome: 'accepted',
    taskOutcome: 'transferred',
  }),
  userSession('s6', {
    at: '2026-03-28T12:00:03Z',
    userId: 'u2',
    taskId: 't3',
    outcome: 'withdrawn',
    channel: 'whatsapp',
  }),
];

const aggregates = recompute(TENANT, ZONE, tasks, sessions, () => SLA);
const day = (d: string) => aggregates.get(`agg-${d}-service-svc-a`)!;

describe('KPIs of a fixture set of reports, computed by hand', () => {
  it('counts tasks on the local day they arrived, across midnight and the DST change', () => {
    expect([...aggregates.keys()].sort()).toEqual([
      'agg-2026-03-28-service-svc-a',
      'agg-2026-03-29-service-svc-a',
      'agg-2026-03-30-service-svc-a',
    ]);
    expect(day('2026-03-28').reports).toBe(6);
    expect(day('2026-03-29').reports).toBe(2);
    expect(day('2026-03-30').reports).toBe(1);
    // Hours are local: t7 at 00:30 before the change, t8 at 23:30 after it.
    expect(Object.keys(day('2026-03-29').hours).sort()).toEqual(['00', '23']);
    expect(Object.keys(day('2026-03-28').hours).sort()).toEqual(['09', '10', '11', '13', '14', '23']);
  });

  it('gives the 28th: reachability 2/4, acceptance SLA 1/2, hang-up SLA 3/4, queue 27.5 s, talk 750 s', () => {
    const k = kpisOf(allChannels(day('2026-03-28').channels));
    expect(k.tasks).toBe(6);
    expect(k.outcomes).toEqual({
      'handled-by-user': 2,
      'handled-by-system': 1,
      'hangup-before-queue': 1,
      'hangup-in-queue': 2,
      'not-handled': 0,
      failed: 0,
      transferred: 0,
    });
    expect(k.reachability).toBe(0.5); // t1, t2 accepted of t1..t4 queued
    expect(k.acceptanceSla).toBe(0.5); // t1 in 15 s ≤ 20 s; t2 in 30 s
    expect(k.hangupSla).toBe(0.75); // t4 hung up after 60 s > 10 s; t3 after 5 s does not count
    expect(k.queueTimeMsAvg).toBe(s(27.5)); // (15 + 30 + 5 + 60) / 4
    expect(k.queueTimeMsMax).toBe(s(60));
    expect(k.connectedTimeMsAvg).toBe(s(750)); // (300 + 1200) / 2
  });

  it('splits by channel: the website reached everyone queued, WhatsApp nobody', () => {
    const web = kpisOf(day('2026-03-28').channels.interact);
    const wa = kpisOf(day('2026-03-28').channels.whatsapp);
    expect([web.tasks, web.reachability, web.hangupSla]).toEqual([4, 1, 1]);
    expect([wa.tasks, wa.reachability, wa.hangupSla, wa.acceptanceSla]).toEqual([2, 0, 0.5, null]);
  });

  it('adds up a period, and a ratio without a base is null', () => {
    const total = sumAggregates([...aggregates.values()]);
    const k = kpisOf(allChannels(total.channels));
    expect(k.tasks).toBe(9);
    expect(k.reachability).toBe(3 / 7); // t1, t2, t7 of seven queued
    expect(k.outcomes['not-handled']).toBe(1);
    expect(k.outcomes.transferred).toBe(1);
    expect(kpisOf(total.channels.whatsapp).connectedTimeMsAvg).toBeNull();
  });

  it('counts user sessions per agent and outcome, a transferred accept as transferred', () => {
    expect(day('2026-03-28').agents).toEqual({
      u1: {
        handled: 1,
        connectedTimeMsSum: s(300),
        sessions: { accepted: 1, declined: 0, rona: 1, cancelled: 0, transferred: 0 },
      },
      u2: {
        handled: 1,
        connectedTimeMsSum: s(1200),
        sessions: { accepted: 1, declined: 1, rona: 0, cancelled: 1, transferred: 0 },
      },
    });
    // s5 was offered at 00:30 local on the 30th.
    expect(day('2026-03-30').sessions.interact.transferred).toBe(1);
    expect(day('2026-03-28').sessions.whatsapp).toEqual({
      accepted: 0,
      declined: 0,
      rona: 1,
      cancelled: 1,
      transferred: 0,
    });
  });

  it('uses the service thresholds it is given', () => {
    const strict = recompute(TENANT, ZONE, tasks, sessions, () => ({ acceptanceSeconds: 10, hangupSeconds: 60 }));
    const k = kpisOf(allChannels(strict.get('agg-2026-03-28-service-svc-a')!.channels));
    expect(k.acceptanceSla).toBe(0); // 15 s and 30 s both over 10 s
    expect(k.hangupSla).toBe(1); // 60 s is not over 60 s
    expect(DEFAULT_SLA).toEqual({ acceptanceSeconds: 20, hangupSeconds: 10 });
  });

  it('files the repeated hour of the autumn change under one local hour', () => {
    // 02:30 CEST and 02:30 CET on 2026-10-25 are an hour apart and the same wall-clock hour.
    expect(localBucket(Date.parse('2026-10-25T00:30:00Z'), ZONE)).toEqual({ day: '2026-10-25', hour: '02' });
    expect(localBucket(Date.parse('2026-10-25T01:30:00Z'), ZONE)).toEqual({ day: '2026-10-25', hour: '02' });
    expect(localBucket(Date.parse('2026-10-25T01:30:00Z'), 'UTC')).toEqual({ day: '2026-10-25', hour: '01' });
  });

  it('keeps direct contacts apart from the service', () => {
    const direct = taskReport('d1', {
      at: '2026-03-28T10:00:00Z',
      outcome: 'accepted',
      queuedMs: s(3),
      talkMs: s(30),
      target: { kind: 'user', userId: 'u1' },
    });
    const both = recompute(TENANT, ZONE, [...tasks, direct], [], () => SLA);
    expect(both.get('agg-2026-03-28-user-u1')!.reports).toBe(1);
    expect(both.get('agg-2026-03-28-service-svc-a')!.reports).toBe(6);
  });
});
