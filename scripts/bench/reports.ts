import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startApp } from '../../bot/src/app';
import { loadConfig } from '../../bot/src/config';
import type { TaskOutcome, TaskReport } from '../../bot/src/core/model';
import { OUTCOME_GROUPS } from '../../bot/src/core/reporting';
import { ReportingService } from '../../bot/src/services/reporting/reporting-service';
import { LiveDashboard } from '../../bot/src/services/supervision/live-dashboard';
import { systemClock } from '../../bot/src/services/routing/clock';
import { newAgentState, newTask } from '../../bot/src/core/routing';
import { openStore, type Store } from '../../bot/src/store';
import { benchDistribution, benchInteract, benchUser } from './shared';
import { Samples } from './stats';

/** What the reporting phase measured. */
export type ReportsResult = {
  taskReports: number;
  services: number;
  days: number;
  seedSeconds: number;
  /** Recomputing every day document from the raw reports (npm run tenant -- rebuild-reports). */
  rebuildSeconds: number;
  dayDocuments: number;
  /** GET /reports/summary over the whole period, all services, through the HTTP API. */
  summaryMs: ReturnType<Samples['summary']>;
  /** Cosmos HTTP requests per summary (query plans included), counted on a store nothing else uses. */
  cosmosRequestsPerSummary: number;
  documentsReadPerSummary: number;
  /** GET /reports/tasks.csv for one service over the period. */
  csvOneServiceMs: ReturnType<Samples['summary']>;
  csvRows: number;
  /** GET /supervision/dashboard of every service (members, queue and connected chats), through HTTP. */
  dashboardMs: ReturnType<Samples['summary']>;
  /** Cosmos HTTP requests per dashboard refresh, counted on a store nothing else uses. */
  cosmosRequestsPerDashboard: number;
};

const TENANT = 'bench-reports';
const ADMIN = 'bench-admin';
const OUTCOMES = Object.values(OUTCOME_GROUPS).flat() as TaskOutcome[];
const DAY_MS = 86_400_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** A task report of service `s`, arrived at `at`; outcomes and times spread deterministically. */
function report(n: number, serviceId: string, at: number): TaskReport {
  const outcome = OUTCOMES[n % OUTCOMES.length]!;
  const queued =
    outcome === 'customer-left-before-queue' || outcome === 'handled-by-system' ? null : (n * 7919) % 90_000;
  return {
    id: `rep-${n}`,
    tenantId: TENANT,
    type: 'taskReport',
    target: { kind: 'service', serviceId },
    channel: n % 3 === 0 ? 'whatsapp' : 'interact',
    chatId: `chat-${n}`,
    customer: { displayName: `Customer ${n}`, email: null, address: null },
    firstMessage: null,
    outcome,
    acceptedByUserId: outcome === 'accepted' ? `agent-${n % 40}` : null,
    createdAt: at,
    enqueuedAt: queued === null ? null : at,
    connectedAt: outcome === 'accepted' && queued !== null ? at + queued : null,
    endedAt: at + (queued ?? 0) + 300_000,
    offers: queued === null ? 0 : 1,
    timeInQueueMs: queued,
    timeToAcceptMs: null,
    timeInConversationMs: outcome === 'accepted' ? 300_000 : null,
    transferredFromTaskId: null,
    transferredToTaskId: null,
  };
}

async function seed(store: Store, reports: number, services: number, start: number, until: number): Promise<void> {
  await store.repos.tenants.create({
    id: TENANT,
    tenantId: TENANT,
    type: 'tenant',
    name: 'Reports bench',
    interactEnabled: true,
    imEnabled: true,
    privacyPolicyUrl: null,
    adminUserIds: [ADMIN],
    timeZone: 'Europe/Zurich',
    licenses: {
      contactCenter: { total: 0, assignees: [] },
      interactService: { total: 0, assignees: [] },
      imModality: { total: 0, assignees: [] },
      interactUser: { total: 0, assignees: [] },
    },
  });
  await store.repos.users.create(
    benchUser(
      TENANT,
      { id: ADMIN, displayName: 'Bench Admin', email: 'admin@bench.example' },
      benchInteract({ id: 'ct-reports-admin', key: 'reports-admin-key-0123456789abcdef' }),
    ),
  );
  for (let s = 0; s < services; s++)
    await store.repos.services.create({
      id: `svc-${s}`,
      tenantId: TENANT,
      type: 'service',
      unitId: 'unit',
      name: `Service ${String(s).padStart(2, '0')}`,
      members: [],
      im: { enabled: true, channels: { interact: true, whatsapp: true }, workflowId: null },
      interact: benchInteract({ id: `ct-reports-${s}`, key: `reports-svc-${s}-key-0123456789abcdef` }),
      distribution: benchDistribution,
    });
  // Spread evenly over the period, round-robin over the services.
  const step = (until - start) / reports;
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < reports; n = next++)
      await store.repos.taskReports.create(report(n, `svc-${n % services}`, start + n * step));
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

const AGENTS_PER_SERVICE = 4;
const QUEUED_PER_SERVICE = 3;
const CONNECTED_PER_SERVICE = 2;

/** What a live dashboard shows: members with routing state, and per service tasks waiting and connected. */
async function seedLive(store: Store, services: number, now: number): Promise<void> {
  for (let s = 0; s < services; s++) {
    const members = Array.from({ length: AGENTS_PER_SERVICE }, (_, i) => `agent-${s * AGENTS_PER_SERVICE + i}`);
    for (const [i, id] of members.entries()) {
      await store.repos.users.create(
        benchUser(
          TENANT,
          { id, displayName: `Agent ${id}`, email: `${id}@bench.example` },
          benchInteract({ id: `ct-live-${id}`, key: `live-${id}-key-0123456789abcdef` }),
        ),
      );
      await store.repos.agents.create({
        ...newAgentState(TENANT, id, now),
        presence: i === 0 ? 'offline' : 'available',
        reachable: true,
      });
    }
    await store.repos.services.update(TENANT, `svc-${s}`, (svc) => ({
      ...svc,
      members: members.map((userId) => ({ userId, active: true })),
    }));
    for (let t = 0; t < QUEUED_PER_SERVICE + CONNECTED_PER_SERVICE; t++) {
      const base = newTask(
        `live-${s}-${t}`,
        {
          tenantId: TENANT,
          target: { kind: 'service', serviceId: `svc-${s}` },
          channel: t % 2 ? 'whatsapp' : 'interact',
          chatId: `live-chat-${s}-${t}`,
          customer: { displayName: `Live customer ${t}`, email: null, address: null },
          firstMessage: 'Hello',
        },
        now - 60_000,
      );
      const connected = t >= QUEUED_PER_SERVICE;
      await store.repos.tasks.create({
        ...base,
        state: connected ? 'connected' : 'queued',
        queue: { priority: 'normal', type: 'direct', ringTimeoutSeconds: 30, broadcastSize: 5, maxQueueSeconds: null },
        enqueuedAt: now - 50_000 + t * 1000,
        assignedUserId: connected ? members[1 + (t % (AGENTS_PER_SERVICE - 1))]! : null,
        connectedAt: connected ? now - 10_000 : null,
      });
    }
  }
}

/**
 * Historic reporting at size: `reports` task reports over `days` days and `services` services,
 * their day documents rebuilt, then the period's summary and one service's CSV through the HTTP API
 * of a server on that data directory.
 */
export async function reportsPhase(
  reports: number,
  services: number,
  days: number,
  log: (line: string) => void,
): Promise<ReportsResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-bench-reports-'));
  const until = Date.parse('2026-11-30T12:00:00Z');
  const from = new Date(until - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const to = new Date(until).toISOString().slice(0, 10);
  try {
    const seeding = await openStore({
      kind: 'embedded',
      database: 'contactcenter',
      dataDir: dir,
      saveIntervalMs: 0,
      journal: false,
    });
    let seedSeconds = 0;
    let rebuildSeconds = 0;
    let dayDocuments = 0;
    let requestsPerSummary = 0;
    let requestsPerDashboard = 0;
    try {
      const t0 = performance.now();
      // From 01:00 UTC on the first day (02:00 in Zurich) to the last day's noon: all inside the period.
      await seed(seeding, reports, services, Date.parse(`${from}T01:00:00Z`), until);
      seedSeconds = round1((performance.now() - t0) / 1000);
      const t1 = performance.now();
      const reporting = new ReportingService(seeding, pino({ level: 'silent' }));
      const rebuilt = await reporting.rebuild(TENANT);
      rebuildSeconds = round1((performance.now() - t1) / 1000);
      dayDocuments = rebuilt.documents;
      // Requests per summary, counted where nothing else runs: this store serves no server.
      const count = () => seeding.stats.snapshot().http?.total ?? 0;
      const viewer = { tenantId: TENANT, userId: ADMIN, isAdmin: true };
      await reporting.summary(viewer, { from, to });
      const before = count();
      for (let i = 0; i < 5; i++) await reporting.summary(viewer, { from, to });
      requestsPerSummary = round1((count() - before) / 5);
      // The live dashboard of the same tenant: its services with members, queues and connected chats.
      await seedLive(seeding, services, Date.now());
      const board = new LiveDashboard(seeding, systemClock);
      await board.dashboard(viewer);
      const beforeBoard = count();
      for (let i = 0; i < 5; i++) await board.dashboard(viewer);
      requestsPerDashboard = round1((count() - beforeBoard) / 5);
    } finally {
      await seeding.close();
    }
    log(
      `reports: ${reports} task reports seeded in ${seedSeconds} s, ${dayDocuments} day documents rebuilt in ${rebuildSeconds} s`,
    );

    const config = loadConfig({
      AUTH_MODE: 'local',
      PORT: '0',
      DATA_DIR: dir,
      DATA_SAVE_INTERVAL_SECONDS: '3600',
      DEMO_TENANT: 'false',
      LOG_LEVEL: 'warn',
    });
    if (!config.ok) throw new Error('the reports bench configuration is refused');
    const app = await startApp(config.value, pino({ level: 'warn' }));
    try {
      const api = `${app.baseUrl}/api/v1`;
      const signIn = await fetch(`${api}/dev/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: TENANT, userId: ADMIN }),
      });
      const { token } = (await signIn.json()) as { token: string };
      const get = async (p: string) => {
        const res = await fetch(`${api}${p}`, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${await res.text()}`);
        return res;
      };
      await get(`/reports/summary?from=${from}&to=${to}`);
      const summaryMs = new Samples();
      const runs = 20;
      let documentsRead = 0;
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const body = (await (await get(`/reports/summary?from=${from}&to=${to}`)).json()) as { documentsRead: number };
        summaryMs.add(performance.now() - t);
        documentsRead = body.documentsRead;
      }
      const csvMs = new Samples();
      let csvRows = 0;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const text = await (await get(`/reports/tasks.csv?from=${from}&to=${to}&serviceId=svc-0`)).text();
        csvMs.add(performance.now() - t);
        csvRows = text.trimEnd().split('\r\n').length - 1;
      }
      await get('/supervision/dashboard');
      const dashboardMs = new Samples();
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await (await get('/supervision/dashboard')).json();
        dashboardMs.add(performance.now() - t);
      }
      const result: ReportsResult = {
        taskReports: reports,
        services,
        days,
        seedSeconds,
        rebuildSeconds,
        dayDocuments,
        summaryMs: summaryMs.summary(),
        cosmosRequestsPerSummary: requestsPerSummary,
        documentsReadPerSummary: documentsRead,
        csvOneServiceMs: csvMs.summary(),
        csvRows,
        dashboardMs: dashboardMs.summary(),
        cosmosRequestsPerDashboard: requestsPerDashboard,
      };
      log(
        `reports: ${days}-day summary of ${services} services p50 ${result.summaryMs.p50} ms (${documentsRead} documents, ` +
          `${result.cosmosRequestsPerSummary} Cosmos requests); one service's CSV (${csvRows} rows) p50 ${result.csvOneServiceMs.p50} ms`,
      );
      log(
        `supervision: live dashboard of ${services} services (${services * AGENTS_PER_SERVICE} agents, ` +
          `${services * (QUEUED_PER_SERVICE + CONNECTED_PER_SERVICE)} live tasks) p50 ${result.dashboardMs.p50} / p99 ` +
          `${result.dashboardMs.p99} ms, ${result.cosmosRequestsPerDashboard} Cosmos requests per refresh`,
      );
      return result;
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
