import fc from 'fast-check';
import type { TaskOutcome, TaskReport, TaskTarget, UserSessionReport } from '../../../bot/src/core/model';
import {
  OUTCOME_GROUPS,
  type ReportAggregate,
  aggregateId,
  applyTaskEnd,
  emptyAggregate,
  recompute,
  taskBucket,
} from '../../../bot/src/core/reporting';
import { TENANT, taskReport, userSession } from '../../helpers/reports';

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

/** A task that ended, with the user sessions of its offers. */
const arbEnd = fc
  .record({
    task: arbTask,
    offers: fc.array(
      fc.record({
        after: fc.integer({ min: 0, max: 7_200_000 }),
        outcome: fc.constantFrom('accepted' as const, 'declined' as const, 'no-answer' as const, 'withdrawn' as const),
        userId: fc.constantFrom('u1', 'u2', 'u3'),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ task, offers }) => ({
    task,
    sessions: offers.map((o, i): UserSessionReport =>
      userSession(`${task.id}-o${i}`, {
        // Offered up to two hours after arrival: some past the local midnight.
        at: new Date(task.createdAt + o.after).toISOString(),
        userId: o.userId,
        taskId: task.id,
        outcome: o.outcome,
        taskOutcome: task.outcome,
        channel: task.channel,
        target: task.target,
      }),
    ),
  }));

/** Distinct task ids: a generated id may repeat, a real one does not. */
const arbEnds = (max: number) => fc.uniqueArray(arbEnd, { maxLength: max, selector: (e) => e.task.id });

/** The local day as a different formatter spells it, so the test does not lean on the code's own. */
const localDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(ms));

/** One task end at a time, each into the document of its day as the store would hold it. */
function incrementally(ends: readonly { task: TaskReport; sessions: UserSessionReport[] }[]) {
  const docs = new Map<string, ReportAggregate>();
  for (const { task, sessions } of ends) {
    const b = taskBucket(task, ZONE);
    const id = aggregateId(b.day, b.target);
    const next = applyTaskEnd(docs.get(id) ?? emptyAggregate(TENANT, b.day, ZONE, b.target), task, sessions, SLA);
    if (next) docs.set(id, next);
  }
  return docs;
}

/** The counts of every document, without the ring of recent ids (which follows the order of ends). */
const counts = (m: Map<string, ReportAggregate>) =>
  [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, { recentTaskIds: _ring, ...rest }]) => [id, rest]);

describe('aggregates kept as tasks end', () => {
  it('equal a full recomputation from the reports, in any order of task ends, repeated ends counted once', () => {
    fc.assert(
      fc.property(
        arbEnds(60),
        fc.infiniteStream(fc.nat()),
        fc.array(fc.nat(), { maxLength: 5 }),
        (ends, order, again) => {
          // A random order, and some ends repeated soon after (a finalize retried after a crash).
          const keys = ends.map(() => order.next().value as number);
          const shuffled = ends
            .map((e, i) => ({ e, k: keys[i]! }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          const withRepeats = shuffled.flatMap((e, i) => (again.includes(i) ? [e, e] : [e]));
          const tasks = ends.map((e) => e.task);
          const sessions = ends.flatMap((e) => e.sessions);
          expect(counts(incrementally(withRepeats))).toEqual(
            counts(recompute(TENANT, ZONE, tasks, sessions, () => SLA)),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('hold what a direct count of the reports says, per local day, queue, channel and outcome', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbTask, { minLength: 1, maxLength: 80, selector: (t) => t.id }), (tasks) => {
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
