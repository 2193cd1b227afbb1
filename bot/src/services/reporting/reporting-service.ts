import type { Logger } from 'pino';
import type { ImChannel, Service, TaskReport, TaskTarget, UserSessionReport } from '../../core/model';
import {
  DEFAULT_SLA,
  type Kpis,
  type ReportAggregate,
  type SlaThresholds,
  type UserSessionCounters,
  aggregateId,
  allChannels,
  applyTaskEnd,
  emptyAggregate,
  kpisOf,
  localBucket,
  recompute,
  sumAggregates,
  sumHours,
  taskBucket,
  toCsv,
} from '../../core/reporting';
import { type Result, ok, refuse } from '../../core/result';
import { supervisedServicesOf } from '../supervision/scope';
import {
  type FeedPage,
  type FeedQueue,
  TASK_COLUMNS,
  type TaskRow,
  decodeCursor,
  feedPage,
  taskRow,
} from './task-feed';
import { AlreadyExistsError, ConcurrencyError, type Store } from '../../store';

/** Who asks for a report: admins see the whole tenant, supervisors the services they supervise. */
export type ReportViewer = { tenantId: string; userId: string; isAdmin: boolean };

export type ReportQuery = { from: string; to: string; serviceId?: string };

export type ReportRefusal =
  | { code: 'forbidden'; message: string }
  | { code: 'invalid-range'; message: string }
  | { code: 'not-found'; message: string };

export type KpisByChannel = { all: Kpis; interact: Kpis; whatsapp: Kpis };

export type ReportSummary = {
  timeZone: string;
  from: string;
  to: string;
  /** The queues in the report: services by name, and whether direct contacts are in it. */
  services: { id: string; name: string }[];
  includesDirect: boolean;
  totals: KpisByChannel;
  days: ({ day: string } & KpisByChannel)[];
  /** The period's tasks by the hour of the day they arrived (tenant time): when the load comes. */
  hours: ({ hour: string } & KpisByChannel)[];
  byService: { serviceId: string; name: string; kpis: KpisByChannel }[];
  /** Direct contacts (a user reached by their own widget or number), which the source product does not report. */
  direct: KpisByChannel | null;
  agents: {
    userId: string;
    displayName: string;
    handled: number;
    connectedTimeMsAvg: number | null;
    sessions: UserSessionCounters;
  }[];
  sessions: Record<ImChannel, UserSessionCounters>;
  /** Day documents read to answer (one per queue and day with tasks). */
  documentsRead: number;
};

/** The longest period one report covers. */
export const MAX_REPORT_DAYS = 366;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const slaOf = (service: Pick<Service, 'sla'> | undefined): SlaThresholds => service?.sla ?? DEFAULT_SLA;

function byChannel(channels: ReportAggregate['channels']): KpisByChannel {
  return {
    all: kpisOf(allChannels(channels)),
    interact: kpisOf(channels.interact),
    whatsapp: kpisOf(channels.whatsapp),
  };
}

/**
 * Historic reporting: per queue and day aggregates kept as tasks end (one conditional write per task
 * end), read by date range, and rebuilt from the raw reports on demand. Days are the tenant's.
 */
export class ReportingService {
  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** The tenant's time zone (UTC until an admin sets one). */
  async timeZoneOf(tenantId: string): Promise<string> {
    return (await this.store.repos.tenants.find(tenantId, tenantId))?.timeZone ?? 'UTC';
  }

  /**
   * A task ended: its report and user sessions count into the day it arrived. Never throws: a count
   * that cannot be written is logged, and the rebuild puts it right.
   */
  async taskEnded(report: TaskReport, sessions: readonly UserSessionReport[]): Promise<void> {
    try {
      const timeZone = await this.timeZoneOf(report.tenantId);
      const service =
        report.target.kind === 'service'
          ? await this.store.repos.services.find(report.tenantId, report.target.serviceId)
          : undefined;
      const sla = slaOf(service);
      const { day, target } = taskBucket(report, timeZone);
      const repo = this.store.repos.reportAggregates;
      const id = aggregateId(day, target);
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await repo.findDay(report.tenantId, id);
        if (!existing) {
          const first = applyTaskEnd(emptyAggregate(report.tenantId, day, timeZone, target), report, sessions, sla)!;
          try {
            await repo.create(first);
            return;
          } catch (err) {
            if (err instanceof AlreadyExistsError) continue;
            throw err;
          }
        }
        await repo.updateDay(report.tenantId, existing, (current) => applyTaskEnd(current, report, sessions, sla));
        return;
      }
      throw new ConcurrencyError('reportAggregate', id, 3);
    } catch (err) {
      this.log.warn({ err, tenantId: report.tenantId, taskId: report.id }, 'report aggregate not updated');
    }
  }

  /** The services the viewer may report on (all for an admin; the services and units they supervise otherwise). */
  visibleServices(viewer: ReportViewer): Promise<Service[]> {
    return supervisedServicesOf(this.store, viewer);
  }

  /** The KPIs of a period, by day, service, channel and agent, from the day documents. */
  async summary(viewer: ReportViewer, q: ReportQuery): Promise<Result<ReportSummary, ReportRefusal>> {
    const range = checkRange(q);
    if (range) return refuse(range);
    const scope = await this.scopeOf(viewer, q.serviceId);
    if (!scope.ok) return scope;
    const { services, includesDirect } = scope.value;
    const timeZone = await this.timeZoneOf(viewer.tenantId);
    const inScope = (t: TaskTarget) =>
      t.kind === 'service' ? services.some((s) => s.id === t.serviceId) : includesDirect;
    const read = await this.store.repos.reportAggregates.between(viewer.tenantId, q.from, q.to);
    const docs = read.filter((d) => inScope(d.target));
    const totals = sumAggregates(docs);
    // One pass over the documents: grouped by day, not filtered once per day.
    const byDay = new Map<string, ReportAggregate[]>();
    for (const d of docs) {
      const list = byDay.get(d.day);
      if (list) list.push(d);
      else byDay.set(d.day, [d]);
    }
    const days = [...byDay.keys()].sort().map((day) => ({
      day,
      ...byChannel(sumAggregates(byDay.get(day)!).channels),
    }));
    const direct = docs.filter((d) => d.target.kind === 'user');
    const names = new Map((await this.store.repos.users.all(viewer.tenantId)).map((u) => [u.id, u.displayName]));
    return ok({
      timeZone,
      from: q.from,
      to: q.to,
      services: services.map((s) => ({ id: s.id, name: s.name })),
      includesDirect,
      totals: byChannel(totals.channels),
      days,
      hours: sumHours(docs).map((h) => ({ hour: h.hour, ...byChannel(h.channels) })),
      byService: services.map((s) => ({
        serviceId: s.id,
        name: s.name,
        kpis: byChannel(
          sumAggregates(docs.filter((d) => d.target.kind === 'service' && d.target.serviceId === s.id)).channels,
        ),
      })),
      direct: includesDirect ? byChannel(sumAggregates(direct).channels) : null,
      agents: Object.entries(totals.agents)
        .map(([userId, a]) => ({
          userId,
          displayName: names.get(userId) ?? userId,
          handled: a.handled,
          connectedTimeMsAvg: a.handled === 0 ? null : a.connectedTimeMsSum / a.handled,
          sessions: a.sessions,
        }))
        .sort((a, b) => b.handled - a.handled || a.userId.localeCompare(b.userId)),
      sessions: totals.sessions,
      documentsRead: read.length,
    });
  }

  /** The task reports behind a summary, one CSV row each (safe to open in a spreadsheet). */
  async tasksCsv(viewer: ReportViewer, q: ReportQuery): Promise<Result<string, ReportRefusal>> {
    const range = checkRange(q);
    if (range) return refuse(range);
    const scope = await this.feedQueues(viewer, q.serviceId);
    if (!scope.ok) return scope;
    const timeZone = await this.timeZoneOf(viewer.tenantId);
    const { from, to } = utcWindow(q);
    const rows: TaskRow[] = [];
    for (const { target, name } of scope.value) {
      for (const r of await this.store.repos.taskReports.arrivedBetween(viewer.tenantId, target, from, to)) {
        const { day } = localBucket(r.createdAt, timeZone);
        if (day >= q.from && day <= q.to) rows.push(taskRow(r, name, day));
      }
    }
    rows.sort((a, b) => a.arrivedAtUtc.localeCompare(b.arrivedAtUtc));
    return ok(
      toCsv(
        TASK_COLUMNS,
        rows.map((r) => TASK_COLUMNS.map((c) => r[c])),
      ),
    );
  }

  /**
   * One page of the task reports of a period as JSON rows (the columns of the CSV), for Power BI and
   * Excel: queue after queue, in arrival order; `next` continues where the page stopped.
   */
  async taskFeed(
    viewer: ReportViewer,
    q: ReportQuery & { top: number; token?: string },
  ): Promise<Result<FeedPage, ReportRefusal>> {
    const range = checkRange(q);
    if (range) return refuse(range);
    const cursor = q.token === undefined ? undefined : decodeCursor(q.token);
    if (q.token !== undefined && !cursor)
      return refuse({ code: 'invalid-range', message: 'The page token is not one this feed gave out.' });
    const scope = await this.feedQueues(viewer, q.serviceId);
    if (!scope.ok) return scope;
    const page = await feedPage(this.store, viewer.tenantId, {
      queues: scope.value,
      timeZone: await this.timeZoneOf(viewer.tenantId),
      fromDay: q.from,
      toDay: q.to,
      window: utcWindow(q),
      top: q.top,
      cursor,
    });
    if (page === 'bad-cursor')
      return refuse({ code: 'invalid-range', message: 'The page token belongs to another query.' });
    return ok(page);
  }

  /** The queues of a viewer's report, in a stable order: services by id, then direct contacts by user id. */
  private async feedQueues(
    viewer: ReportViewer,
    serviceId: string | undefined,
  ): Promise<Result<FeedQueue[], ReportRefusal>> {
    const scope = await this.scopeOf(viewer, serviceId);
    if (!scope.ok) return scope;
    const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    const queues: FeedQueue[] = byId(scope.value.services).map((s) => ({
      target: { kind: 'service', serviceId: s.id },
      name: s.name,
    }));
    if (scope.value.includesDirect)
      for (const u of byId(await this.store.repos.users.all(viewer.tenantId)))
        queues.push({ target: { kind: 'user', userId: u.id }, name: `Direct: ${u.displayName}` });
    return ok(queues);
  }

  /** Sets the tenant's time zone and recomputes the day documents in it. */
  async setTimeZone(
    tenantId: string,
    timeZone: string,
  ): Promise<{ documents: number; reports: number; removed: number }> {
    await this.store.repos.tenants.update(tenantId, tenantId, (t) =>
      t.timeZone === timeZone ? undefined : { ...t, timeZone },
    );
    return this.rebuild(tenantId);
  }

  /**
   * Recomputes every day document of the tenant from the raw task reports and user sessions (the
   * reports are the source of truth), with the services' thresholds as they are now, and removes day
   * documents no report backs any more.
   */
  async rebuild(tenantId: string): Promise<{ documents: number; reports: number; removed: number }> {
    const repos = this.store.repos;
    const [timeZone, services, users] = await Promise.all([
      this.timeZoneOf(tenantId),
      repos.services.byName(tenantId),
      repos.users.all(tenantId),
    ]);
    const targets: TaskTarget[] = [
      ...services.map((s): TaskTarget => ({ kind: 'service', serviceId: s.id })),
      ...users.map((u): TaskTarget => ({ kind: 'user', userId: u.id })),
    ];
    const tasks = (await Promise.all(targets.map((t) => repos.taskReports.ofQueue(tenantId, t)))).flat();
    const sessions = (await Promise.all(users.map((u) => repos.userSessions.ofUser(tenantId, u.id)))).flat();
    const bySla = new Map(services.map((s) => [s.id, slaOf(s)]));
    const computed = recompute(tenantId, timeZone, tasks, sessions, (t) =>
      t.kind === 'service' ? (bySla.get(t.serviceId) ?? DEFAULT_SLA) : DEFAULT_SLA,
    );
    for (const doc of computed.values()) await repos.reportAggregates.upsert(doc);
    let removed = 0;
    for (const old of await repos.reportAggregates.everything(tenantId)) {
      if (computed.has(old.id)) continue;
      await repos.reportAggregates.remove(tenantId, old.id);
      removed++;
    }
    return { documents: computed.size, reports: tasks.length, removed };
  }

  private async scopeOf(
    viewer: ReportViewer,
    serviceId: string | undefined,
  ): Promise<Result<{ services: Service[]; includesDirect: boolean }, ReportRefusal>> {
    const visible = await this.visibleServices(viewer);
    if (!viewer.isAdmin && visible.length === 0)
      return refuse({ code: 'forbidden', message: 'Reports are for admins and the supervisors of a service.' });
    if (serviceId === undefined) return ok({ services: visible, includesDirect: viewer.isAdmin });
    const service = visible.find((s) => s.id === serviceId);
    if (!service)
      return refuse(
        viewer.isAdmin
          ? { code: 'not-found', message: 'The service was not found.' }
          : { code: 'forbidden', message: 'You do not supervise this service.' },
      );
    return ok({ services: [service], includesDirect: false });
  }
}

/** A day in any time zone lies within a UTC day either side of its date. */
const utcWindow = (q: Pick<ReportQuery, 'from' | 'to'>) => ({
  from: Date.parse(`${q.from}T00:00:00Z`) - DAY_MS,
  to: Date.parse(`${q.to}T00:00:00Z`) + 2 * DAY_MS,
});

function checkRange(q: ReportQuery): ReportRefusal | undefined {
  if (!DAY.test(q.from) || !DAY.test(q.to) || Number.isNaN(Date.parse(q.from)) || Number.isNaN(Date.parse(q.to)))
    return { code: 'invalid-range', message: 'from and to must be dates as YYYY-MM-DD.' };
  const days = (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1;
  if (days < 1) return { code: 'invalid-range', message: 'to must not be before from.' };
  if (days > MAX_REPORT_DAYS)
    return { code: 'invalid-range', message: `A report covers at most ${MAX_REPORT_DAYS} days.` };
  return undefined;
}
