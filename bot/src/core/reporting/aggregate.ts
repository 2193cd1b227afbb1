import { z } from 'zod/v4';
import { Id, ImChannel, type TaskReport, TaskTarget, tenantScoped, type UserSessionReport } from '../model';
import {
  OUTCOME_GROUP_NAMES,
  type OutcomeGroup,
  type SlaThresholds,
  type TaskCounters,
  USER_SESSION_OUTCOMES,
  type UserSessionCounters,
  addSessionCounters,
  addTaskCounters,
  countTask,
  emptySessionCounters,
  emptyTaskCounters,
  localBucket,
  targetKey,
  userSessionOutcome,
} from './kpis';

const Count = z.number().int().min(0);

/** How many counted task ids a day document remembers (a repeated end comes seconds after the first). */
export const RECENT_TASKS = 100;

export const TaskCountersSchema = z.object({
  tasks: Count,
  outcomes: z.object(
    Object.fromEntries(OUTCOME_GROUP_NAMES.map((g) => [g, Count])) as Record<OutcomeGroup, typeof Count>,
  ),
  queued: Count,
  acceptedWithinSla: Count,
  hangupsAfterSla: Count,
  queueTimeMsSum: Count,
  queueTimeMsMax: Count,
  connectedTimeMsSum: Count,
  offers: Count,
}) satisfies z.ZodType<TaskCounters>;

export const SessionCountersSchema = z.object(
  Object.fromEntries(USER_SESSION_OUTCOMES.map((o) => [o, Count])) as Record<
    (typeof USER_SESSION_OUTCOMES)[number],
    typeof Count
  >,
) satisfies z.ZodType<UserSessionCounters>;

const ByChannel = <T extends z.ZodType>(inner: T) => z.object({ interact: inner, whatsapp: inner });

/** One agent's share of a day: the tasks they handled and how their offers ended. */
export const AgentDay = z.object({
  handled: Count,
  connectedTimeMsSum: Count,
  sessions: SessionCountersSchema,
});
export type AgentDay = z.infer<typeof AgentDay>;

/**
 * A queue's day in the tenant's time zone (a service's, or one user's direct contacts): everything the
 * reports need, kept up to date as tasks end, so a period reads one document per queue and day instead
 * of every task report. Split by channel; by hour (local, only the hours with tasks) and by agent.
 * A task counts when it ends, on the day and hour it arrived, together with its user sessions (its
 * offers and a claim), so one write counts a task whole.
 */
export const ReportAggregate = tenantScoped('reportAggregate').extend({
  /** `agg-<day>-<queue>`: longer than an entity id may be, within Cosmos's 255 characters. */
  id: z.string().min(1).max(255),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  timeZone: z.string().min(1).max(100),
  target: TaskTarget,
  channels: ByChannel(TaskCountersSchema),
  sessions: ByChannel(SessionCountersSchema),
  hours: z.record(z.string().regex(/^\d{2}$/), ByChannel(TaskCountersSchema)),
  agents: z.record(Id, AgentDay),
  /** Task reports counted: for a rebuild's comparison, and so the document tells how much it holds. */
  reports: Count,
  /** The last tasks counted, so a task end repeated after a crash is not counted twice. */
  recentTaskIds: z.array(Id).max(RECENT_TASKS).default([]),
});
export type ReportAggregate = z.infer<typeof ReportAggregate>;

export const aggregateId = (day: string, target: TaskTarget): string => `agg-${day}-${targetKey(target)}`;

const byChannel = <T>(make: () => T): Record<ImChannel, T> => ({ interact: make(), whatsapp: make() });

export function emptyAggregate(tenantId: string, day: string, timeZone: string, target: TaskTarget): ReportAggregate {
  return {
    id: aggregateId(day, target),
    tenantId,
    type: 'reportAggregate',
    day,
    timeZone,
    target,
    channels: byChannel(emptyTaskCounters),
    sessions: byChannel(emptySessionCounters),
    hours: {},
    agents: {},
    reports: 0,
    recentTaskIds: [],
  };
}

const agentOf = (a: ReportAggregate, userId: string): AgentDay =>
  (a.agents[userId] ??= { handled: 0, connectedTimeMsSum: 0, sessions: emptySessionCounters() });

/** The aggregate document a task report counts in: its queue, and the local day it arrived. */
export const taskBucket = (r: Pick<TaskReport, 'createdAt' | 'target'>, timeZone: string) => ({
  ...localBucket(r.createdAt, timeZone),
  target: r.target,
});

/**
 * A task's end counted into the aggregate of the day it arrived (a copy; `a` must be that day's, see
 * taskBucket): the report and the task's user sessions. Undefined when this task is counted already.
 */
export function applyTaskEnd(
  a: ReportAggregate,
  r: TaskReport,
  sessions: readonly UserSessionReport[],
  sla: SlaThresholds,
): ReportAggregate | undefined {
  if (a.recentTaskIds.includes(r.id)) return undefined;
  return countInto(structuredClone(a), r, sessions, sla);
}

function countInto(
  next: ReportAggregate,
  r: TaskReport,
  sessions: readonly UserSessionReport[],
  sla: SlaThresholds,
): ReportAggregate {
  const { hour } = localBucket(r.createdAt, next.timeZone);
  countTask(next.channels[r.channel], r, sla);
  const hourly = (next.hours[hour] ??= byChannel(emptyTaskCounters));
  countTask(hourly[r.channel], r, sla);
  if (r.outcome === 'accepted' && r.acceptedByUserId) {
    const agent = agentOf(next, r.acceptedByUserId);
    agent.handled++;
    agent.connectedTimeMsSum += r.timeInConversationMs ?? 0;
  }
  for (const s of sessions) {
    const outcome = userSessionOutcome(s);
    next.sessions[r.channel][outcome]++;
    agentOf(next, s.userId).sessions[outcome]++;
  }
  next.reports++;
  next.recentTaskIds = [...next.recentTaskIds, r.id].slice(-RECENT_TASKS);
  return next;
}

/** What a period's rows add up to, over any set of day aggregates (of one queue or many). */
export type PeriodTotals = {
  channels: Record<ImChannel, TaskCounters>;
  sessions: Record<ImChannel, UserSessionCounters>;
  agents: Record<string, AgentDay>;
  days: number;
};

export function sumAggregates(days: readonly ReportAggregate[]): PeriodTotals {
  const totals: PeriodTotals = {
    channels: byChannel(emptyTaskCounters),
    sessions: byChannel(emptySessionCounters),
    agents: {},
    days: days.length,
  };
  for (const d of days) {
    for (const ch of ImChannel.options) {
      addTaskCounters(totals.channels[ch], d.channels[ch]);
      addSessionCounters(totals.sessions[ch], d.sessions[ch]);
    }
    for (const [userId, a] of Object.entries(d.agents)) {
      const t = (totals.agents[userId] ??= { handled: 0, connectedTimeMsSum: 0, sessions: emptySessionCounters() });
      t.handled += a.handled;
      t.connectedTimeMsSum += a.connectedTimeMsSum;
      addSessionCounters(t.sessions, a.sessions);
    }
  }
  return totals;
}

/** The tasks of the documents by the hour of the day they arrived (tenant time), all 24 hours. */
export function sumHours(
  days: readonly ReportAggregate[],
): { hour: string; channels: Record<ImChannel, TaskCounters> }[] {
  const hours = Array.from({ length: 24 }, (_, h) => ({
    hour: String(h).padStart(2, '0'),
    channels: byChannel(emptyTaskCounters),
  }));
  for (const d of days)
    for (const [hour, counters] of Object.entries(d.hours)) {
      const bucket = hours[Number(hour)];
      if (!bucket) continue;
      for (const ch of ImChannel.options) addTaskCounters(bucket.channels[ch], counters[ch]);
    }
  return hours;
}

/** Both channels together. */
export const allChannels = (byCh: Record<ImChannel, TaskCounters>): TaskCounters =>
  addTaskCounters(addTaskCounters(emptyTaskCounters(), byCh.interact), byCh.whatsapp);

/**
 * Every aggregate recomputed from the raw reports (the rebuild): the reports stay the source of truth.
 * Sessions count with their task (those of tasks still live wait for its end). `slaOf` gives each
 * queue's thresholds as they are now.
 */
export function recompute(
  tenantId: string,
  timeZone: string,
  tasks: readonly TaskReport[],
  sessions: readonly UserSessionReport[],
  slaOf: (target: TaskTarget) => SlaThresholds,
): Map<string, ReportAggregate> {
  const out = new Map<string, ReportAggregate>();
  const sessionsOf = new Map<string, UserSessionReport[]>();
  for (const s of sessions) sessionsOf.set(s.taskId, [...(sessionsOf.get(s.taskId) ?? []), s]);
  // In end order, so each document remembers its last tasks as the live count would.
  for (const r of [...tasks].sort((x, y) => x.endedAt - y.endedAt)) {
    const b = taskBucket(r, timeZone);
    const id = aggregateId(b.day, b.target);
    let a = out.get(id);
    if (!a) out.set(id, (a = emptyAggregate(tenantId, b.day, timeZone, b.target)));
    // In place: one document per queue and day, however many reports.
    countInto(a, r, sessionsOf.get(r.id) ?? [], slaOf(r.target));
  }
  return out;
}
