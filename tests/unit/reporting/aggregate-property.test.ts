import fc from 'fast-check';
import type { TaskOutcome, TaskReport, TaskTarget, UserSessionReport } from '../../../bot/src/core/model';
import {
  OUTCOME_GROUPS,
  type ReportAggregate,
  aggregateId,
  applySession,
  applyTask,
  emptyAggregate,
  recompute,
  sessionBucket,
  taskBucket,
} from '../../../bot/src/core/reporting';
import { TENANT, taskReport, userSession } from './fixtures';

const ZONE = 'America/New_York';
const SLA = { acceptanceSeconds: 20, hangupSeconds: 10 };
const TARGETS: TaskTarget[] = [
  { kind: 'service', serviceId: 'svc-a' },
  { kind: 'service', serviceId: 'svc-b' },
  { kind: 'user', userId: 'u9' },
];
const OUTCOMES = Object.values(OUTCOME_GROUPS).flat() as TaskOutcome[];
// Ten days around the US spring change (2026-03-08).
const FROM = Date.parse('2026-03-03T00:00:00Z');
const SPAN = 10 * 86_400_000;

const arbTask = fc
  .record({
    n: fc.nat(),
    at: fc.integer({ min: FROM, max: FROM + SPAN }),
    outcome: fc.constantFrom(...OUTCOMES),
    channel: fc.constantFrom('interact' as const, 'whatsapp' as const),
    target: fc.constantFrom(...TARGETS),
    queued: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: null }),
    talk: fc.integer({ min: 0, max: 3_600_000 }),
    by: fc.constantFrom('u1', 'u2', 'u3'),
  })
  .map((t): TaskReport =>
    taskReport(`t${t.n}`, {
      at: new Date(t.at).toISOString(),
      outcome: t.outcome,
      channel: t.channel,
      target: t.target,
      queuedMs: t.queued,
      talkMs: t.outcome === 'accepted' ? t.talk : null,
      by: t.by,
    }),
  );

const arbSession = fc
  .record({
    n: fc.nat(),
    at: fc.integer({ min: FROM, max: FROM + SPAN }),
    outcome: fc.constantFrom('accepted' as const, 'declined' as const, 'no-answer' as const, 'withdrawn' as const),
    transferred: fc.boolean(),
    target: fc.constantFrom(...TARGETS),
    userId: fc.constantFrom('u1', 'u2', 'u3'),
  })
  .map((s): UserSessionReport =>
    userSession(`s${s.n}`, {
      at: new Date(s.at).toISOString(),
      userId: s.userId,
      taskId: `t${s.n}`,
      outcome: s.outcome,
      taskOutcome: s.transferred ? 'transferred' : 'accepted',
      target: s.target,
    }),
  );

/** The local day as a different formatter spells it, so the test does not lean on the code's own. */
const localDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(ms));

/** One task or session at a time, each into the document of its day as the store would hold it. */
function incrementally(events: ({ task: TaskReport } | { session: UserSessionReport })[]) {
  const docs = new Map<string, ReportAggregate>();
  for (const e of events) {
    const b = 'task' in e ? taskBucket(e.task, ZONE) : sessionBucket(e.session, ZONE);
    const id = aggregateId(b.day, b.target);
    const current = docs.get(id) ?? emptyAggregate(TENANT, b.day, ZONE, b.target);
    docs.set(id, 'task' in e ? applyTask(current, e.task, SLA) : applySession(current, e.session));
  }
  return docs;
}

const sorted = (m: Map<string, ReportAggregate>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

describe('aggregates kept as tasks end', () => {
  it('equal a full recomputation from the reports, in any order of task outcomes', () => {
    fc.assert(
      fc.property(
        fc.array(arbTask, { maxLength: 60 }),
        fc.array(arbSession, { maxLength: 30 }),
        fc.infiniteStream(fc.nat()),
        (tasks, sessions, order) => {
          const events = [...tasks.map((task) => ({ task })), ...sessions.map((session) => ({ session }))];
          // A random interleaving: ends arrive in no particular order.
          const keys = events.map(() => order.next().value as number);
          const shuffled = events
            .map((e, i) => ({ e, k: keys[i]! }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          expect(sorted(incrementally(shuffled))).toEqual(sorted(recompute(TENANT, ZONE, tasks, sessions, () => SLA)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('hold what a direct count of the reports says, per local day, queue, channel and outcome', () => {
    fc.assert(
      fc.property(fc.array(arbTask, { minLength: 1, maxLength: 80 }), (tasks) => {
        const docs = recompute(TENANT, ZONE, tasks, [], () => SLA);
        for (const r of tasks) {
          const doc = docs.get(aggregateId(localDay(r.createdAt), r.target));
          expect(doc).toBeDefined();
          const same = tasks.filter(
            (o) =>
              localDay(o.createdAt) === localDay(r.createdAt) &&
              JSON.stringify(o.target) === JSON.stringify(r.target) &&
              o.channel === r.channel,
          );
          const c = doc!.channels[r.channel];
          expect(c.tasks).toBe(same.length);
          expect(c.queued).toBe(same.filter((o) => o.enqueuedAt !== null).length);
          expect(c.outcomes['handled-by-user']).toBe(same.filter((o) => o.outcome === 'accepted').length);
          expect(c.queueTimeMsSum).toBe(same.reduce((sum, o) => sum + (o.timeInQueueMs ?? 0), 0));
          expect(c.acceptedWithinSla).toBe(
            same.filter((o) => o.outcome === 'accepted' && o.enqueuedAt !== null && o.timeInQueueMs! <= 20_000).length,
          );
        }
        const counted = [...docs.values()].reduce((n, d) => n + d.reports, 0);
        expect(counted).toBe(tasks.length);
      }),
      { numRuns: 100 },
    );
  });
});
