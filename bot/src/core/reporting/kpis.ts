import type { ImChannel, OfferState, TaskOutcome, TaskReport, TaskTarget, UserSessionReport } from '../model';
import { zonedParts } from '../workflow/zoned-time';

/**
 * The outcome groups of the reporting, as the source product names them. Every task outcome is in
 * exactly one group.
 */
export const OUTCOME_GROUPS = {
  'handled-by-user': ['accepted'],
  'handled-by-system': ['handled-by-system'],
  'hangup-before-queue': ['customer-left-before-queue'],
  'hangup-in-queue': ['customer-left-in-queue'],
  'not-handled': ['max-queue-time', 'missed', 'cancelled'],
  failed: ['failed'],
  transferred: ['transferred'],
} as const satisfies Record<string, readonly TaskOutcome[]>;
export type OutcomeGroup = keyof typeof OUTCOME_GROUPS;
export const OUTCOME_GROUP_NAMES = Object.keys(OUTCOME_GROUPS) as OutcomeGroup[];

export const groupOf = (outcome: TaskOutcome): OutcomeGroup =>
  OUTCOME_GROUP_NAMES.find((g) => (OUTCOME_GROUPS[g] as readonly TaskOutcome[]).includes(outcome))!;

/** How a user session (one offer) ended, for the reports: an accepted offer whose task moved on counts as transferred. */
export const USER_SESSION_OUTCOMES = ['accepted', 'declined', 'rona', 'cancelled', 'transferred'] as const;
export type UserSessionOutcome = (typeof USER_SESSION_OUTCOMES)[number];

export function userSessionOutcome(s: Pick<UserSessionReport, 'outcome' | 'taskOutcome'>): UserSessionOutcome {
  const byState: Record<Exclude<OfferState, 'pending'>, UserSessionOutcome> = {
    accepted: 'accepted',
    declined: 'declined',
    'no-answer': 'rona',
    withdrawn: 'cancelled',
  };
  return s.outcome === 'accepted' && s.taskOutcome === 'transferred' ? 'transferred' : byState[s.outcome];
}

/** The thresholds of a service's SLAs, in seconds (what the admin sets on the service). */
export type SlaThresholds = { acceptanceSeconds: number; hangupSeconds: number };
export const DEFAULT_SLA: SlaThresholds = { acceptanceSeconds: 20, hangupSeconds: 10 };

/** Counters that add up: a bucket of tasks (a day or an hour, one channel), mergeable by summing. */
export type TaskCounters = {
  tasks: number;
  /** Tasks per outcome group. */
  outcomes: Record<OutcomeGroup, number>;
  /** Tasks that reached the queue (the base of reachability and the hang-up SLA). */
  queued: number;
  /** Accepted tasks whose queue time was within the acceptance SLA threshold. */
  acceptedWithinSla: number;
  /** Customers who hung up in the queue after waiting longer than the hang-up SLA threshold. */
  hangupsAfterSla: number;
  queueTimeMsSum: number;
  queueTimeMsMax: number;
  connectedTimeMsSum: number;
  /** Offers made (one user session each). */
  offers: number;
};

export type UserSessionCounters = Record<UserSessionOutcome, number>;

export const emptyTaskCounters = (): TaskCounters => ({
  tasks: 0,
  outcomes: Object.fromEntries(OUTCOME_GROUP_NAMES.map((g) => [g, 0])) as Record<OutcomeGroup, number>,
  queued: 0,
  acceptedWithinSla: 0,
  hangupsAfterSla: 0,
  queueTimeMsSum: 0,
  queueTimeMsMax: 0,
  connectedTimeMsSum: 0,
  offers: 0,
});

export const emptySessionCounters = (): UserSessionCounters =>
  Object.fromEntries(USER_SESSION_OUTCOMES.map((o) => [o, 0])) as UserSessionCounters;

/** One task report counted into `c` (in place), with the service's thresholds as they are when it ends. */
export function countTask(c: TaskCounters, r: TaskReport, sla: SlaThresholds): TaskCounters {
  const group = groupOf(r.outcome);
  c.tasks++;
  c.outcomes[group]++;
  c.offers += r.offers;
  if (r.enqueuedAt !== null) {
    c.queued++;
    const waited = r.timeInQueueMs ?? 0;
    c.queueTimeMsSum += waited;
    c.queueTimeMsMax = Math.max(c.queueTimeMsMax, waited);
    if (group === 'handled-by-user' && waited <= sla.acceptanceSeconds * 1000) c.acceptedWithinSla++;
    if (group === 'hangup-in-queue' && waited > sla.hangupSeconds * 1000) c.hangupsAfterSla++;
  }
  if (group === 'handled-by-user') c.connectedTimeMsSum += r.timeInConversationMs ?? 0;
  return c;
}

/** `b` added into `a` (in place). */
export function addTaskCounters(a: TaskCounters, b: TaskCounters): TaskCounters {
  a.tasks += b.tasks;
  for (const g of OUTCOME_GROUP_NAMES) a.outcomes[g] += b.outcomes[g];
  a.queued += b.queued;
  a.acceptedWithinSla += b.acceptedWithinSla;
  a.hangupsAfterSla += b.hangupsAfterSla;
  a.queueTimeMsSum += b.queueTimeMsSum;
  a.queueTimeMsMax = Math.max(a.queueTimeMsMax, b.queueTimeMsMax);
  a.connectedTimeMsSum += b.connectedTimeMsSum;
  a.offers += b.offers;
  return a;
}

export function addSessionCounters(a: UserSessionCounters, b: UserSessionCounters): UserSessionCounters {
  for (const o of USER_SESSION_OUTCOMES) a[o] += b[o];
  return a;
}

/** The KPIs of a set of counters; a ratio without a base is null (nothing to measure), never 0 or 100 %. */
export type Kpis = {
  tasks: number;
  outcomes: Record<OutcomeGroup, number>;
  /** Handled by a user ÷ tasks that reached the queue. */
  reachability: number | null;
  /** Accepted within the threshold ÷ accepted. */
  acceptanceSla: number | null;
  /** Queued tasks the customer did not abandon after the threshold ÷ tasks that reached the queue. */
  hangupSla: number | null;
  /** Average and longest time in the queue of the tasks that reached it. */
  queueTimeMsAvg: number | null;
  queueTimeMsMax: number | null;
  /** Average conversation time of the tasks handled by a user. */
  connectedTimeMsAvg: number | null;
};

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

export function kpisOf(c: TaskCounters): Kpis {
  const accepted = c.outcomes['handled-by-user'];
  return {
    tasks: c.tasks,
    outcomes: { ...c.outcomes },
    reachability: ratio(accepted, c.queued),
    acceptanceSla: ratio(c.acceptedWithinSla, accepted),
    hangupSla: c.queued === 0 ? null : 1 - c.hangupsAfterSla / c.queued,
    queueTimeMsAvg: ratio(c.queueTimeMsSum, c.queued),
    queueTimeMsMax: c.queued === 0 ? null : c.queueTimeMsMax,
    connectedTimeMsAvg: ratio(c.connectedTimeMsSum, accepted),
  };
}

/** The tenant-local day (`YYYY-MM-DD`) and hour (`00`-`23`) of an instant: a task counts where it arrived. */
export function localBucket(instant: number, timeZone: string): { day: string; hour: string } {
  const p = zonedParts(instant, timeZone);
  return { day: `${p.year}-${p.month}-${p.day}`, hour: p.hour };
}

/** What a report's rows are split by: the queue's target (a service, or a user's direct contacts) and channel. */
export const targetKey = (t: TaskTarget): string =>
  t.kind === 'service' ? `service-${t.serviceId}` : `user-${t.userId}`;
export type Channel = ImChannel;
