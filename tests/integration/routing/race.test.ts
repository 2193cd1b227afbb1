import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DistributionType, Task, UserSessionReport } from '../../../bot/src/core/model';
import { AGENTS_SCOPE, serviceQueueScope, userScope } from '../../../bot/src/store/partition-keys';
import { newAgentState } from '../../../bot/src/core/routing';
import { type Store, openStore } from '../../../bot/src/store';
import type { EmbeddedCosmos } from '../../../bot/src/store/embedded';
import { queueSettings, service, task as taskFixture, tenant, user } from '../../helpers/fixtures';
import { newTenantId, startTestCosmos } from '../../helpers/store';

jest.setTimeout(180_000);

const TASKS = 300;
const AGENTS = 30;
const CAPACITY = 2;
const PROCESSES = 2;
const ROOT = path.resolve(__dirname, '../../..');

type WorkerFigures = {
  pid: number;
  accepted: number;
  claimed: number;
  refusedAccepts: number;
  refusedClaims: number;
  ended: number;
  errors: number;
  errorMessages: string[];
  store: { reads: number; writes: number; queries: number; conflicts: number; total: number };
};

function runWorker(env: Record<string, string>): Promise<WorkerFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=DEP0111', '--import', 'tsx', path.join(__dirname, 'race-worker.ts')],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerFigures);
      } catch {
        reject(new Error(`worker printed no figures: ${out} ${err}`));
      }
    });
  });
}

/** The most intervals [start, end) open at any one moment. */
function maxOverlap(intervals: [number, number][]): number {
  const points = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  // Ends before starts at the same instant: half-open intervals.
  points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let open = 0;
  let max = 0;
  for (const [, d] of points) max = Math.max(max, (open += d!));
  return max;
}

let cosmos: EmbeddedCosmos;
let store: Store;
beforeAll(async () => {
  cosmos = await startTestCosmos();
});
afterAll(async () => {
  await store?.close();
  await cosmos.stop();
});

describe('two server processes sharing one Cosmos', () => {
  it(`accept ${TASKS} tasks with ${AGENTS} agents exactly once each, never over capacity, never double-offering a Direct task`, async () => {
    const database = `race-${randomUUID().slice(0, 8)}`;
    store = await openStore({ kind: 'cosmos', endpoint: cosmos.endpoint, key: cosmos.key, database });
    const tenantId = newTenantId();
    const serviceId = 'svc-race';
    const agents = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i + 1).padStart(2, '0')}`);
    await store.repos.tenants.create(
      tenant(tenantId, { licenses: { imModality: { total: AGENTS, assignees: agents } } }),
    );
    await store.repos.services.create(
      service(tenantId, serviceId, {
        members: agents.map((userId) => ({ userId, active: true })),
        distribution: {
          maxConcurrentChatsPerUser: CAPACITY,
          selectableWhenBusy: false,
          selectableWhenAway: false,
          ronaResetSeconds: 10,
          persistentRona: false,
        },
      }),
    );
    const now = Date.now();
    await Promise.all(agents.map((id) => store.repos.users.create(user(tenantId, id))));
    await Promise.all(
      agents.map((id, i) =>
        store.repos.agents.create({ ...newAgentState(tenantId, id, now - i), presence: 'available', reachable: true }),
      ),
    );

    const types: DistributionType[] = ['direct', 'direct', 'broadcast', 'broadcast', 'pickup'];
    const tasks: Task[] = Array.from({ length: TASKS }, (_, i) =>
      taskFixture(tenantId, `task-${String(i).padStart(4, '0')}`, {
        target: { kind: 'service', serviceId },
        state: 'queued',
        createdAt: now,
        enqueuedAt: now + i,
        queue: queueSettings({
          type: types[i % types.length]!,
          broadcastSize: 3,
          ringTimeoutSeconds: 60,
          priority: i % 7 === 0 ? 'high' : 'normal',
        }),
      }),
    );
    for (let i = 0; i < tasks.length; i += 50)
      await Promise.all(tasks.slice(i, i + 50).map((t) => store.repos.tasks.create(t)));

    const env = {
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: cosmos.key,
      COSMOS_DATABASE: database,
      RACE_TENANT: tenantId,
      RACE_SERVICE: serviceId,
      RACE_AGENTS: agents.join(','),
      RACE_DEADLINE_MS: '120000',
    };
    const started = Date.now();
    const figures = await Promise.all(Array.from({ length: PROCESSES }, () => runWorker(env)));
    const seconds = (Date.now() - started) / 1000;

    // Nothing lost: every task ended and left the live container, each with a report.
    expect(await store.repos.tasks.query(tenantId, {}, serviceQueueScope(serviceId))).toEqual([]);
    const reports = await store.repos.taskReports.query(tenantId, {}, serviceQueueScope(serviceId));
    expect(reports).toHaveLength(TASKS);
    expect(new Set(reports.map((r) => r.outcome))).toEqual(new Set(['accepted']));

    // Every task accepted exactly once: one accepted user session per task, by the agent the report names.
    const sessions: UserSessionReport[] = (
      await Promise.all(agents.map((id) => store.repos.userSessions.query(tenantId, {}, userScope(id))))
    ).flat();
    const acceptedByTask = new Map<string, string[]>();
    for (const s of sessions.filter((x) => x.outcome === 'accepted'))
      acceptedByTask.set(s.taskId, [...(acceptedByTask.get(s.taskId) ?? []), s.userId]);
    const doubleAssignments = [...acceptedByTask.values()].filter((users) => users.length > 1).length;
    if (doubleAssignments > 0) {
      const [taskId] = [...acceptedByTask].find(([, users]) => users.length > 1)!;
      console.log(
        JSON.stringify(
          { report: reports.find((r) => r.id === taskId), sessions: sessions.filter((x) => x.taskId === taskId) },
          null,
          1,
        ),
      );
    }
    expect(doubleAssignments).toBe(0);
    // A claimed Pickup task has the claim as its accepted user session.
    expect(acceptedByTask.size).toBe(TASKS);
    for (const r of reports) expect(acceptedByTask.get(r.id)).toEqual([r.acceptedByUserId]);
    expect(figures.reduce((n, f) => n + f.accepted + f.claimed, 0)).toBe(TASKS);

    // No agent over capacity: pending offers and chats together never exceed it at any moment.
    const held = new Map<string, [number, number][]>();
    for (const s of sessions)
      held.set(s.userId, [...(held.get(s.userId) ?? []), [s.offeredAt, s.endedAt ?? s.respondedAt]]);
    const peak = Math.max(...[...held.values()].map(maxOverlap));
    expect(peak).toBeLessThanOrEqual(CAPACITY);

    // Direct never offers one task to two agents at once.
    const directIds = new Set(tasks.filter((t) => t.queue?.type === 'direct').map((t) => t.id));
    const offersByDirectTask = new Map<string, [number, number][]>();
    for (const s of sessions.filter((x) => directIds.has(x.taskId)))
      offersByDirectTask.set(s.taskId, [...(offersByDirectTask.get(s.taskId) ?? []), [s.offeredAt, s.respondedAt]]);
    expect(Math.max(...[...offersByDirectTask.values()].map(maxOverlap))).toBe(1);

    // Every slot was given back.
    const states = await store.repos.agents.query(tenantId, {}, AGENTS_SCOPE);
    expect(states.flatMap((a) => a.slots)).toEqual([]);
    expect(figures.flatMap((f) => f.errorMessages)).toEqual([]);
    expect(figures.reduce((n, f) => n + f.errors, 0)).toBe(0);

    const conflicts = figures.reduce((n, f) => n + f.store.conflicts, 0);
    const broadcastWithdrawn = sessions.filter((s) => s.outcome === 'withdrawn').length;
    // The figures of this run, for the record.
    console.log(
      `race: ${TASKS} tasks, ${AGENTS} agents (capacity ${CAPACITY}), ${PROCESSES} processes, ${seconds.toFixed(1)} s; ` +
        `accepts refused ${figures.reduce((n, f) => n + f.refusedAccepts, 0)}, claims refused ${figures.reduce((n, f) => n + f.refusedClaims, 0)}, ` +
        `broadcast offers withdrawn ${broadcastWithdrawn}, etag conflicts retried ${conflicts}, peak slots per agent ${peak}, double assignments ${doubleAssignments}; ` +
        `store requests ${figures.map((f) => f.store.total).join(' + ')}`,
    );
  });
});
