/**
 * npm run bench: the real server (embedded Cosmos, local mode) driven over loopback by simulated
 * customers (public Interact API, SSE open) and agents (real-shaped Teams activities to /api/messages,
 * served by a Bot Connector stand-in), against a floor of the same HTTP hops through a bare server.
 * Prints a table and writes JSON under bench-results/. Flags: --chats --agents --messages --idle
 * --idle-seconds --floor --concurrency --history <sizes, comma-separated> --instances --reports --quick.
 *
 * Cosmos requests are counted at the embedded server's HTTP layer (`store.http` of /_local/stats:
 * every request it receives, query plans included), CPU from the server process's `process.cpuUsage()`
 * (the embedded Cosmos runs in that process, so its CPU is included). Per-item figures are deltas of a
 * phase that does only that kind of item, minus the background rate measured with nothing happening
 * times the phase's duration, minus the lifecycles the phase contains at the per-lifecycle figure.
 *
 * Phases, on one server: warm-up; background (2 s, nothing happening); lifecycles without a
 * workflow (chats/4, no messages); customer → agent only and agent → customer only (up to 10 chats,
 * one at a time, each measured from connected to before its end); the latency phase (all chats,
 * messages both ways in turn: latencies, throughput, the combined per-message figure); lifecycles
 * with the default IM workflow; idle chats (heap and RSS after a forced GC, then the background while
 * they sit open). Then per --history size a fresh server whose data directory holds that many ended
 * chats, and a few lifecycles one at a time: time to offer. Last, the cross-instance phase (--instances
 * N, at least 2): N servers on one embedded Cosmos started in the bench process, each reading the change
 * feed; the customer of chat k creates and streams on instance k % N, its agent acts on the next
 * instance, so every message crosses instances. Its Cosmos figures are counted by that embedded server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultImWorkflow } from '../../bot/src/core/workflow/default-im-workflow';
import { type Store, openStore } from '../../bot/src/store';
import type { ChangeFeedStats } from '../../bot/src/store/change-feed';
import { type EmbeddedRequestCounts, startEmbeddedCosmos } from '../../bot/src/store/embedded';
import { KEY_FILE_NAME } from '../../bot/src/store/embedded-auth';
import { startFloorServer } from './floor';
import { seedHistory } from './history';
import { type ReportsResult, reportsPhase } from './reports';
import { benchDistribution, benchInteract, benchUser, takeSseFrames } from './shared';
import { Samples, ratio } from './stats';
import {
  type ReceivedActivity,
  acceptActivity,
  activityText,
  agentActivity,
  cardActions,
  startConnectorStandIn,
} from './teams-standin';

export type BenchOptions = {
  chats: number;
  agents: number;
  messages: number;
  idleChats: number;
  floorSamples: number;
  concurrency: number;
  /** How long the idle chats' background requests are counted. */
  idleSeconds: number;
  /** Ended chats stored before a short time-to-offer phase on a fresh server, one phase per size. */
  history: number[];
  /** Servers sharing one Cosmos in the cross-instance phase; 0 or 1 skips it. */
  instances: number;
  /** Task reports seeded over 90 days and 10 services for the reporting phase; 0 skips it. */
  reports: number;
};
export const defaultBenchOptions: BenchOptions = {
  chats: 200,
  agents: 20,
  messages: 5,
  idleChats: 2000,
  floorSamples: 300,
  concurrency: 20,
  idleSeconds: 10,
  history: [0, 1000, 10_000],
  instances: 3,
  reports: 100_000,
};
export const quickBenchOptions: BenchOptions = {
  chats: 4,
  agents: 2,
  messages: 2,
  idleChats: 10,
  floorSamples: 10,
  concurrency: 2,
  idleSeconds: 1,
  history: [],
  instances: 2,
  reports: 500,
};

const ROOT = path.resolve(__dirname, '../..');
const TENANT = 'bench-tenant';

/** Requests and server CPU of one kind of item, background subtracted (see the header). */
export type ItemCost = { cosmosRequests: number; cpuMs: number };

/** The embedded server's HTTP request counts, as /_local/stats reports them (its own traffic left out). */
export type HttpRequestCounts = Omit<EmbeddedRequestCounts, 'internal'>;

export type BenchResult = {
  options: BenchOptions;
  floor: { relayMs: ReturnType<Samples['summary']>; sseMs: ReturnType<Samples['summary']> };
  relay: {
    customerToAgentMs: ReturnType<Samples['summary']> & { ratioP50: number | null; ratioP99: number | null };
    agentToCustomerMs: ReturnType<Samples['summary']> & { ratioP50: number | null; ratioP99: number | null };
  };
  timeToOfferMs: ReturnType<Samples['summary']> & { ratioP50: number | null; ratioP99: number | null };
  throughput: { chatsPerSecond: number; messagesPerSecond: number };
  /** Cosmos HTTP requests (query plans included) per item; `byKind` splits the lifecycle without workflow. */
  cosmosRequests: {
    perRelayedMessage: number;
    perCustomerToAgentMessage: number;
    perAgentToCustomerMessage: number;
    perTaskLifecycle: number;
    perTaskLifecycleWithWorkflow: number;
    lifecycleByKind: HttpRequestCounts;
    backgroundPerSecond: number;
    backgroundPerSecondWithIdleChats: number;
  };
  /** Server CPU (user + system) in milliseconds per item. */
  cpuMs: {
    perRelayedMessage: number;
    perCustomerToAgentMessage: number;
    perAgentToCustomerMessage: number;
    perTaskLifecycle: number;
    perTaskLifecycleWithWorkflow: number;
    backgroundPerSecond: number;
    backgroundPerSecondWithIdleChats: number;
  };
  memory: { idleChats: number; bytesPerIdleChat: number; heapBytesPerIdleChat: number | null };
  /** Time to offer on a fresh server with that many ended chats stored. */
  history: {
    endedChats: number;
    documents: number;
    startSeconds: number;
    timeToOfferMs: ReturnType<Samples['summary']>;
    cosmosRequestsPerTaskLifecycle: number;
  }[];
  /**
   * Several servers on one Cosmos, each reading its change feed: latencies of messages stored by one
   * instance and delivered by another, and what the feed costs while idle. Null with fewer than 2 instances.
   */
  /** Historic reporting at size (see scripts/bench/reports.ts); null when skipped. */
  reports: ReportsResult | null;
  crossInstance: {
    instances: number;
    chats: number;
    customerToAgentMs: ReturnType<Samples['summary']>;
    agentToCustomerMs: ReturnType<Samples['summary']>;
    lost: number;
    reordered: number;
    /** Change-feed polls (every container's) per second of one idle instance, the mean of the instances. */
    feedPollsPerSecondPerInstance: number;
    /** Requests the shared Cosmos receives per second with the instances idle (no chats). */
    backgroundRequestsPerSecond: number;
    /** The same with `idleChats` chats waiting, their streams open, spread over the instances. */
    backgroundRequestsPerSecondWithIdleChats: number;
    idleChats: number;
  } | null;
  errors: number;
  lostMessages: number;
  reorderedMessages: number;
  durationSeconds: number;
};

/** Waits for something pushed by a callback, matched by a predicate. */
class Waiters<T> {
  private readonly waiting: { match: (v: T) => boolean; resolve: (v: T) => void }[] = [];
  private readonly seen: T[] = [];
  push(value: T): void {
    const i = this.waiting.findIndex((w) => w.match(value));
    if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(value);
    else {
      this.seen.push(value);
      if (this.seen.length > 5000) this.seen.shift();
    }
  }
  wait(match: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
    const early = this.seen.findIndex(match);
    if (early >= 0) return Promise.resolve(this.seen.splice(early, 1)[0]!);
    return new Promise((resolve, reject) => {
      const entry = { match, resolve: (v: T) => (clearTimeout(timer), resolve(v)) };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        reject(new Error('timed out'));
      }, timeoutMs);
      this.waiting.push(entry);
    });
  }
}

type SseMessage = { at: number; event: string; id: number | null; data: Record<string, unknown> };

/** An SSE stream read with fetch; each event is handed over with its arrival time. */
async function openStream(
  url: string,
  headers: Record<string, string>,
  onEvent: (e: SseMessage) => void,
): Promise<() => void> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`event stream answered ${res.status}`);
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const at = performance.now();
        const taken = takeSseFrames(buffer + decoder.decode(chunk, { stream: true }));
        buffer = taken.rest;
        for (const { event, id, data } of taken.frames)
          onEvent({ at, event, id, data: JSON.parse(data) as Record<string, unknown> });
      }
    } catch {
      // Closed by us.
    }
  })();
  return () => controller.abort();
}

/**
 * Starts bot/src/main.ts and waits for its banner. `embedded`: the server runs its own embedded Cosmos
 * (its banner names it); false with COSMOS_ENDPOINT set, when `cosmos` is that of the environment.
 */
async function startServer(
  env: Record<string, string>,
  embedded = true,
): Promise<{ proc: ChildProcess; base: string; cosmos: string }> {
  const proc = spawn(
    process.execPath,
    // --expose-gc: /_local/stats?gc=1 collects before it reads the heap.
    ['--expose-gc', '--disable-warning=DEP0111', '--import', 'tsx', 'bot/src/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    // Start-up restores every stored document first: with a long history (--history 10000) that takes minutes.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 600_000);
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const base = /Health\s+(http:\/\/\S+)\/healthz/.exec(out)?.[1];
      const cosmos = embedded ? /Embedded Cosmos\s+(http:\/\/\S+)/.exec(out)?.[1] : env.COSMOS_ENDPOINT;
      if (base && cosmos && out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ proc, base, cosmos });
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

/** Runs tasks with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await run(items[i]!, i);
    }),
  );
}

type Reading = {
  store: { total: number; http?: HttpRequestCounts };
  cpu: { user: number; system: number };
  memory: { rss: number; heapUsed: number };
  /** This instance's change-feed reads (null with the feed off). */
  feed?: ChangeFeedStats | null;
  gc?: boolean;
};
type BenchAgent = { tenantId: string; userId: string; name: string; conversationId: string; serviceUrl: string };
type BenchContact = { id: string; key: string };
type IdleUser = { id: string; contact: BenchContact };

const CONTACT: BenchContact = { id: 'ct-bench', key: 'bench-widget-key-0123456789abcdef' };
/** The second bench service's contact: the same service with the demo tenant's default IM workflow. */
const WORKFLOW_CONTACT: BenchContact = { id: 'ct-bench-wf', key: 'bench-wf-widget-key-0123456789abcdef' };

/** How long after the last instance started every instance may send (30 s grace, two renewals, a margin). */
const JOIN_SETTLE_MS = 30_000 + 2 * 5_000 + 3_000;
const KINDS = ['reads', 'writes', 'queries', 'queryPlans', 'total'] as const;
const round1 = (v: number) => Math.round(v * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const serverEnv = (dataDir: string): Record<string, string> => ({
  AUTH_MODE: 'local',
  PORT: '0',
  DATA_DIR: dataDir,
  DATA_SAVE_INTERVAL_SECONDS: '3600',
  DEMO_TENANT: 'false',
  LOG_LEVEL: 'warn',
  INTERACT_RATE_LIMIT_SCALE: '10000',
  // Every simulated customer comes from its own address (X-Forwarded-For, see customerAddress), as
  // real ones do: the caps on event streams and the rate limits are per client address.
  TRUSTED_PROXIES: 'loopback',
});

/** The address simulated customer `n` comes from, in the benchmarking range 198.18.0.0/15. */
const customerAddress = (n: number) => `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;

/**
 * The bench tenant: agents, users contacted directly who never come online (for idle chats), the
 * bench service without a workflow, and a second one with the default IM workflow the demo tenant's
 * service gets (defaultImWorkflow, always-open calendar).
 */
async function seedTenant(store: Store, agents: readonly BenchAgent[], idleUsers: readonly IdleUser[]): Promise<void> {
  await store.repos.tenants.create({
    id: TENANT,
    tenantId: TENANT,
    type: 'tenant',
    name: 'Bench',
    interactEnabled: true,
    imEnabled: true,
    privacyPolicyUrl: null,
    adminUserIds: [],
    licenses: {
      contactCenter: { total: 2, assignees: ['svc-bench', 'svc-bench-wf'] },
      interactService: { total: 2, assignees: ['svc-bench', 'svc-bench-wf'] },
      // A user is contacted directly only with both the Interact user and the IM modality license.
      imModality: { total: 100_000, assignees: [...agents.map((a) => a.userId), ...idleUsers.map((u) => u.id)] },
      interactUser: { total: 100_000, assignees: idleUsers.map((u) => u.id) },
    },
  });
  for (const a of agents) {
    await store.repos.users.create(
      benchUser(
        TENANT,
        { id: a.userId, displayName: a.name, email: `${a.userId}@bench.example` },
        benchInteract({ id: `ct-${a.userId}`, key: `${a.userId}-key-0123456789abcdef` }),
      ),
    );
  }
  // Idle chats wait for users contacted directly who never come online, twenty per user: many
  // small queues, so the figure is the memory of open chats, not the cost of one long queue.
  for (const u of idleUsers) {
    await store.repos.users.create(
      benchUser(
        TENANT,
        { id: u.id, displayName: `Offline ${u.id}`, email: `${u.id}@bench.example` },
        benchInteract(u.contact),
      ),
    );
    await store.directory.registerContact({
      id: u.contact.id,
      tenantId: TENANT,
      target: { kind: 'user', userId: u.id },
    });
  }
  const calendarId = 'cal-bench';
  await store.repos.calendars.upsert({
    id: calendarId,
    tenantId: TENANT,
    type: 'calendar',
    unitId: 'unit',
    name: 'Always open',
    timeZone: 'UTC',
    weekly: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
      day,
      ranges: [{ from: '00:00', to: '24:00' }],
    })),
    specialDays: [],
    holidays: [],
  });
  await store.repos.workflow.workflows.upsert(
    defaultImWorkflow({ id: 'wf-bench', tenantId: TENANT, unitId: 'unit', calendarId, timeZone: 'UTC' }),
  );
  for (const [id, contact, workflowId] of [
    ['svc-bench', CONTACT, null],
    ['svc-bench-wf', WORKFLOW_CONTACT, 'wf-bench'],
  ] as const) {
    await store.repos.services.create({
      id,
      tenantId: TENANT,
      type: 'service',
      unitId: 'unit',
      name: id === 'svc-bench' ? 'Bench' : 'Bench with workflow',
      members: agents.map((a) => ({ userId: a.userId, active: true })),
      im: { enabled: true, channels: { interact: true, whatsapp: false }, workflowId },
      interact: benchInteract(contact),
      distribution: benchDistribution,
    });
    await store.directory.registerContact({
      id: contact.id,
      tenantId: TENANT,
      target: { kind: 'service', serviceId: id },
    });
  }
}

type Tally = { errors: number; lost: number; reordered: number };
/** What one simulated chat does: which contact, how many messages each way, and where its latencies go. */
type ChatPlan = {
  contact: BenchContact;
  toAgent: number;
  toCustomer: number;
  samples?: { toOffer?: Samples; c2a?: Samples; a2c?: Samples };
  /** Wraps the chat's messages (connected before, not yet ended), to measure them alone. */
  aroundMessages?: (run: () => Promise<void>) => Promise<void>;
  /** Where the agent's activities go (another instance's /api/messages); by default the customer's server. */
  agentVia?: (activity: Record<string, unknown>) => Promise<Response>;
};
type Session = Awaited<ReturnType<typeof openSession>>;
type Background = { perMs: Record<(typeof KINDS)[number], number>; cpuMsPerMs: number };
type Measured = { ms: number; http: Record<(typeof KINDS)[number], number>; cpuMs: number };

/** A Cosmos several bench servers share: COSMOS_ENDPOINT, COSMOS_KEY and COSMOS_DATABASE of each. */
type SharedCosmos = { endpoint: string; key: string; database: string };

/**
 * A started bench server and what drives it: agents, customers, and its /_local/stats. With `shared`,
 * the server uses that Cosmos instead of an embedded one of its own (then its stats have no `store.http`).
 */
async function openSession(
  dataDir: string,
  agents: readonly BenchAgent[],
  received: Waiters<ReceivedActivity>,
  tally: Tally,
  shared?: SharedCosmos,
) {
  const server = await startServer(
    shared
      ? {
          ...serverEnv(dataDir),
          COSMOS_ENDPOINT: shared.endpoint,
          COSMOS_KEY: shared.key,
          COSMOS_DATABASE: shared.database,
        }
      : serverEnv(dataDir),
    !shared,
  );
  const stop = () =>
    new Promise<void>((resolve) =>
      server.proc.exitCode !== null
        ? resolve()
        : (server.proc.once('exit', () => resolve()), server.proc.kill('SIGTERM')),
    );
  const postActivity = (activity: Record<string, unknown>) =>
    fetch(`${server.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  const stats = async (gc = false): Promise<Reading> => {
    const reading = (await (await fetch(`${server.base}/_local/stats${gc ? '?gc=1' : ''}`)).json()) as Reading;
    if (!shared && !reading.store.http)
      throw new Error('/_local/stats has no store.http: the server is not on the embedded store');
    return reading;
  };
  const httpOf = (r: Reading) => r.store.http!;
  const cpuMsOf = (r: Reading) => (r.cpu.user + r.cpu.system) / 1000;
  /** Background rates: what the server does with nothing happening (sweeper, leases, streams). */
  const background = async (ms: number): Promise<Background> => {
    const before = await stats();
    const t0 = performance.now();
    await sleep(ms);
    const after = await stats();
    const elapsed = performance.now() - t0;
    const perMs = Object.fromEntries(
      KINDS.map((k) => [k, (httpOf(after)[k] - httpOf(before)[k]) / elapsed]),
    ) as Background['perMs'];
    return { perMs, cpuMsPerMs: (cpuMsOf(after) - cpuMsOf(before)) / elapsed };
  };
  /** Runs a phase and says what it cost, the background rates times its duration taken off. */
  const measure = async (bg: Background, run: () => Promise<void>): Promise<Measured> => {
    const before = await stats();
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    const after = await stats();
    const http = Object.fromEntries(
      KINDS.map((k) => [k, httpOf(after)[k] - httpOf(before)[k] - bg.perMs[k] * ms]),
    ) as Measured['http'];
    return { ms, http, cpuMs: cpuMsOf(after) - cpuMsOf(before) - bg.cpuMsPerMs * ms };
  };

  /** Agents install the app and go Available, as they would in Teams. */
  const agentsAvailable = async () => {
    for (const a of agents) {
      await postActivity(agentActivity(a, { type: 'installationUpdate', action: 'add' }));
      const res = await postActivity(agentActivity(a, { type: 'message', text: 'status available' }));
      if (res.status >= 300) throw new Error(`agent ${a.userId} could not set status: ${res.status}`);
    }
  };
  const agentByConversation = new Map(agents.map((a) => [a.conversationId, a]));

  /** One customer's whole chat: create, offered, accepted, messages as planned, end. */
  const customer = async (index: number, plan: ChatPlan) => {
    const { contact } = plan;
    const toAgentSide = plan.agentVia ?? postActivity;
    const from = { origin: 'https://shop.bench.example', 'x-forwarded-for': customerAddress(index) };
    const name = `Customer ${index} ${randomUUID().slice(0, 8)}`;
    const events = new Waiters<SseMessage>();
    let lastSeq = 0;
    const t0 = performance.now();
    const res = await fetch(`${server.base}/interact/v1/contacts/${contact.id}/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from },
      body: JSON.stringify({ key: contact.key, displayName: name, email: 'customer@bench.example', consent: true }),
    });
    if (res.status !== 201) throw new Error(`create chat answered ${res.status}`);
    const chat = (await res.json()) as { chatId: string; token: string };
    const close = await openStream(
      `${server.base}/interact/v1/contacts/${contact.id}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
      from,
      (e) => {
        if (e.id !== null) {
          if (e.id <= lastSeq) tally.reordered++;
          lastSeq = Math.max(lastSeq, e.id);
        }
        events.push(e);
      },
    );
    try {
      const card = await received.wait(
        (r) =>
          r.method === 'POST' &&
          activityText(r.activity).includes(name) &&
          cardActions(r.activity).some((a) => a.verb === 'offer.accept'),
      );
      plan.samples?.toOffer?.add(card.at - t0);
      const agent = agentByConversation.get(card.conversationId)!;
      await toAgentSide(acceptActivity(agent, card));
      await events.wait((e) => e.event === 'status' && e.data.state === 'connected');
      const around = plan.aroundMessages ?? ((run: () => Promise<void>) => run());
      await around(async () => {
        for (let m = 0; m < Math.max(plan.toAgent, plan.toCustomer); m++) {
          if (m < plan.toAgent) {
            const toAgent = `c2a-${index}-${m}-${randomUUID()}`;
            const t = performance.now();
            await fetch(`${server.base}/interact/v1/contacts/${contact.id}/chats/${chat.chatId}/messages`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...from, authorization: `Bearer ${chat.token}` },
              body: JSON.stringify({ text: toAgent }),
            });
            try {
              const at = (
                await received.wait(
                  (r) => r.conversationId === agent.conversationId && activityText(r.activity).includes(toAgent),
                )
              ).at;
              plan.samples?.c2a?.add(at - t);
            } catch {
              tally.lost++;
            }
          }
          if (m < plan.toCustomer) {
            const toCustomer = `a2c-${index}-${m}-${randomUUID()}`;
            const t = performance.now();
            await toAgentSide(agentActivity(agent, { type: 'message', text: toCustomer }));
            try {
              const at = (await events.wait((e) => e.event === 'message' && e.data.text === toCustomer)).at;
              plan.samples?.a2c?.add(at - t);
            } catch {
              tally.lost++;
            }
          }
        }
      });
      await fetch(`${server.base}/interact/v1/contacts/${contact.id}/chats/${chat.chatId}/end`, {
        method: 'POST',
        headers: { ...from, authorization: `Bearer ${chat.token}` },
      });
      await events.wait((e) => e.event === 'status' && e.data.state === 'ended');
    } finally {
      close();
    }
  };
  return { server, stop, stats, background, measure, customer, agentsAvailable, postActivity };
}

export async function runBench(options: BenchOptions, log: (line: string) => void = console.log): Promise<BenchResult> {
  const started = performance.now();
  const received = new Waiters<ReceivedActivity>();
  const standIn = await startConnectorStandIn((r) => received.push(r));
  const floor = await startFloorServer(() => standIn.relayUrl);

  // The floor: a relayed POST, and a POST that becomes an SSE event, through a server storing nothing.
  const floorRelay = new Samples();
  const floorSse = new Samples();
  const floorEvents = new Waiters<SseMessage>();
  const closeFloorStream = await openStream(`${floor.url}/events`, {}, (e) => floorEvents.push(e));
  for (let i = 0; i < options.floorSamples; i++) {
    const marker = `floor-${i}-${randomUUID()}`;
    let t0 = performance.now();
    await fetch(`${floor.url}/relay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: marker }),
    });
    floorRelay.add(
      (await received.wait((r) => r.conversationId === 'floor' && activityText(r.activity).includes(marker))).at - t0,
    );
    t0 = performance.now();
    await fetch(`${floor.url}/broadcast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: marker }),
    });
    floorSse.add((await floorEvents.wait((e) => e.data.text === marker)).at - t0);
  }
  closeFloorStream();
  log(`floor: relay p50 ${floorRelay.summary().p50} ms, SSE p50 ${floorSse.summary().p50} ms`);

  const agents: BenchAgent[] = Array.from({ length: options.agents }, (_, i) => ({
    tenantId: TENANT,
    userId: `agent-${i + 1}`,
    name: `Agent ${i + 1}`,
    conversationId: `a:conv-${i + 1}`,
    serviceUrl: `${standIn.url}/`,
  }));
  const idleUsers: IdleUser[] = Array.from({ length: Math.max(1, Math.ceil(options.idleChats / 20)) }, (_, i) => ({
    id: `idle-${i + 1}`,
    contact: { id: `ct-idle-${i + 1}`, key: `idle-${i + 1}-key-0123456789abcdef` },
  }));
  const tally: Tally = { errors: 0, lost: 0, reordered: 0 };
  const parallel = Math.min(options.concurrency, options.agents);
  /** Runs `count` chats of one plan, `parallel` at a time, numbered from `from`. */
  const chatsOf = (session: Session, from: number, count: number, plan: ChatPlan) =>
    pool([...Array(count).keys()], parallel, async (i) =>
      session.customer(from + i, plan).catch(() => void tally.errors++),
    );
  /**
   * Idle chat `i`: a customer who waits for a user contacted directly who never comes online (twenty
   * per user), stream open on `base`, from the address of customer `customer`; its closer goes to `closers`.
   */
  const openIdleChat = async (base: string, i: number, customer: number, closers: (() => void)[]) => {
    const idle = idleUsers[Math.floor(i / 20)]!.contact;
    const from = { 'x-forwarded-for': customerAddress(customer) };
    try {
      const res = await fetch(`${base}/interact/v1/contacts/${idle.id}/chats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from },
        body: JSON.stringify({
          key: idle.key,
          displayName: 'Waiting customer',
          email: 'w@bench.example',
          consent: true,
        }),
      });
      if (res.status !== 201) throw new Error(`create idle chat answered ${res.status}: ${await res.text()}`);
      const chat = (await res.json()) as { chatId: string; token: string };
      closers.push(
        await openStream(
          `${base}/interact/v1/contacts/${idle.id}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
          from,
          () => undefined,
        ),
      );
    } catch (err) {
      if (tally.errors++ === 0) log(`idle chat failed: ${(err as Error).message}`);
    }
  };

  // The bench tenant, written through the server's own embedded Cosmos, with the key it keeps in its
  // data directory (the history phases seed the data directory before start-up instead).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-bench-'));
  const main = await openSession(dataDir, agents, received, tally);
  const toOffer = new Samples();
  const c2a = new Samples();
  const a2c = new Samples();
  try {
    const key = readFileSync(path.join(dataDir, KEY_FILE_NAME), 'utf8').trim();
    const store = await openStore({ kind: 'cosmos', endpoint: main.server.cosmos, key, database: 'contactcenter' });
    await seedTenant(store, agents, idleUsers);
    await store.close();
    await main.agentsAvailable();

    // Warm-up, measured nowhere: the first chats pay for compiling the code paths (hundreds of CPU-ms).
    let next = 0;
    await main.customer(next++, { contact: CONTACT, toAgent: 1, toCustomer: 1 }).catch(() => void tally.errors++);

    // Background requests (sweeper, leases) are measured while idle and left out of the per-item figures.
    const bg = await main.background(2000);

    // Lifecycles only (no messages): create, offer, accept, end (with the workflow: further down).
    const lifecycleChats = Math.max(1, Math.round(options.chats / 4));
    const lifecycle = await main.measure(bg, () =>
      chatsOf(main, next, lifecycleChats, { contact: CONTACT, toAgent: 0, toCustomer: 0, samples: { toOffer } }),
    );
    next += lifecycleChats;
    const perLifecycle = lifecycle.http.total / lifecycleChats;
    const cpuPerLifecycle = lifecycle.cpuMs / lifecycleChats;

    // One direction at a time: chats with messages one way only, one chat at a time, each measured
    // from when it is connected to before it ends (plus a moment for trailing writes), so neither its
    // lifecycle nor another chat is in the window; background subtracted.
    const oneWayChats = Math.max(1, Math.min(10, lifecycleChats));
    const oneWay = async (toAgent: number, toCustomer: number) => {
      const sum = { requests: 0, cpuMs: 0 };
      const aroundMessages = async (run: () => Promise<void>) => {
        const m = await main.measure(bg, async () => {
          await run();
          await sleep(100);
        });
        sum.requests += m.http.total;
        sum.cpuMs += m.cpuMs;
      };
      await pool([...Array(oneWayChats).keys()], 1, (i) =>
        main
          .customer(next + i, { contact: CONTACT, toAgent, toCustomer, aroundMessages })
          .catch(() => void tally.errors++),
      );
      next += oneWayChats;
      const messages = oneWayChats * (toAgent + toCustomer);
      return messages === 0
        ? { requests: 0, cpuMs: 0 }
        : { requests: sum.requests / messages, cpuMs: sum.cpuMs / messages };
    };
    const toAgentCost = await oneWay(options.messages, 0);
    const toCustomerCost = await oneWay(0, options.messages);

    // The main phase: latencies and throughput, messages both ways in turn.
    const mainPhase = await main.measure(bg, () =>
      chatsOf(main, next, options.chats, {
        contact: CONTACT,
        toAgent: options.messages,
        toCustomer: options.messages,
        samples: { toOffer, c2a, a2c },
      }),
    );
    next += options.chats;
    const phaseMs = mainPhase.ms;
    const relayed = options.chats * options.messages * 2;
    const perMessage = relayed === 0 ? 0 : (mainPhase.http.total - perLifecycle * options.chats) / relayed;
    const cpuPerMessage = relayed === 0 ? 0 : (mainPhase.cpuMs - cpuPerLifecycle * options.chats) / relayed;
    log(`chats: ${options.chats} with ${options.messages} messages each way in ${(phaseMs / 1000).toFixed(1)} s`);

    // Lifecycles with the default IM workflow, after the latency phase: run before it, they were
    // followed by one stall of about 11 s in it (an offer and a relayed message), not seen without them.
    await main
      .customer(next++, { contact: WORKFLOW_CONTACT, toAgent: 1, toCustomer: 1 })
      .catch(() => void tally.errors++);
    const withWorkflow = await main.measure(bg, () =>
      chatsOf(main, next, lifecycleChats, { contact: WORKFLOW_CONTACT, toAgent: 0, toCustomer: 0 }),
    );
    next += lifecycleChats;

    // Idle chats: customers who wait with their event stream open. Memory after a full GC on both
    // sides; then the background while they sit open.
    const memBefore = await main.stats(true);
    const closers: (() => void)[] = [];
    // Customer numbers above the chats': each idle customer has an address of its own.
    await pool([...Array(options.idleChats).keys()], 50, (i) =>
      openIdleChat(main.server.base, i, 100_000 + i, closers),
    );
    await sleep(1000);
    const memAfter = await main.stats(true);
    const idleBg = await main.background(options.idleSeconds * 1000);
    closers.forEach((c) => c());
    await main.stop();

    const history: BenchResult['history'] = [];
    for (const size of options.history) history.push(await historyPhase(size));
    const crossInstance = options.instances >= 2 ? await crossInstancePhase(options.instances) : null;
    const reports = options.reports > 0 ? await reportsPhase(options.reports, 10, 90, log) : null;

    const fr = floorRelay.summary();
    const fs = floorSse.summary();
    const withRatio = (s: Samples, f: ReturnType<Samples['summary']>) => ({
      ...s.summary(),
      ratioP50: ratio(s.percentile(50), f.p50),
      ratioP99: ratio(s.percentile(99), f.p99),
    });
    return {
      options,
      floor: { relayMs: fr, sseMs: fs },
      relay: { customerToAgentMs: withRatio(c2a, fr), agentToCustomerMs: withRatio(a2c, fs) },
      timeToOfferMs: withRatio(toOffer, fr),
      throughput: {
        chatsPerSecond: round1(options.chats / (phaseMs / 1000)),
        messagesPerSecond: round1(relayed / (phaseMs / 1000)),
      },
      cosmosRequests: {
        perRelayedMessage: round1(perMessage),
        perCustomerToAgentMessage: round1(toAgentCost.requests),
        perAgentToCustomerMessage: round1(toCustomerCost.requests),
        perTaskLifecycle: round1(perLifecycle),
        perTaskLifecycleWithWorkflow: round1(withWorkflow.http.total / lifecycleChats),
        lifecycleByKind: Object.fromEntries(
          KINDS.map((k) => [k, round1(lifecycle.http[k] / lifecycleChats)]),
        ) as HttpRequestCounts,
        backgroundPerSecond: round1(bg.perMs.total * 1000),
        backgroundPerSecondWithIdleChats: round1(idleBg.perMs.total * 1000),
      },
      cpuMs: {
        perRelayedMessage: Math.round(cpuPerMessage * 100) / 100,
        perCustomerToAgentMessage: Math.round(toAgentCost.cpuMs * 100) / 100,
        perAgentToCustomerMessage: Math.round(toCustomerCost.cpuMs * 100) / 100,
        perTaskLifecycle: Math.round(cpuPerLifecycle * 100) / 100,
        perTaskLifecycleWithWorkflow: Math.round((withWorkflow.cpuMs / lifecycleChats) * 100) / 100,
        backgroundPerSecond: round1(bg.cpuMsPerMs * 1000),
        backgroundPerSecondWithIdleChats: round1(idleBg.cpuMsPerMs * 1000),
      },
      memory: {
        idleChats: options.idleChats,
        bytesPerIdleChat:
          options.idleChats === 0 ? 0 : Math.round((memAfter.memory.rss - memBefore.memory.rss) / options.idleChats),
        heapBytesPerIdleChat:
          options.idleChats === 0 || !memAfter.gc
            ? null
            : Math.round((memAfter.memory.heapUsed - memBefore.memory.heapUsed) / options.idleChats),
      },
      history,
      reports,
      crossInstance,
      errors: tally.errors,
      lostMessages: tally.lost,
      reorderedMessages: tally.reordered,
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await main.stop();
    await floor.close();
    await standIn.close();
  }

  /**
   * `n` servers on one Cosmos (an embedded one in this process, one database for all), each reading its
   * change feed. Every chat is created and streamed by the customer on instance i while its agent's
   * activities (accept, messages) go to instance (i + 1) % n: each message is stored by one instance
   * and delivered by another. Then what the feed costs: polls per idle instance and the shared Cosmos's
   * requests per second, with no chats and with the idle chats open, spread over the instances.
   */
  async function crossInstancePhase(n: number): Promise<NonNullable<BenchResult['crossInstance']>> {
    const cosmos = await startEmbeddedCosmos({ dataDir: undefined, saveIntervalMs: 0 });
    const shared: SharedCosmos = { endpoint: cosmos.endpoint, key: cosmos.key, database: 'contactcenter' };
    const dirs: string[] = [];
    const sessions: Session[] = [];
    const closers: (() => void)[] = [];
    const crossTally: Tally = { errors: 0, lost: 0, reordered: 0 };
    const c2aCross = new Samples();
    const a2cCross = new Samples();
    // Customer numbers above the other phases': every customer has an address of its own.
    let customerNumber = 110_000;
    const crossChat = (k: number, samples?: ChatPlan['samples']) => {
      const i = k % n;
      return sessions[i]!.customer(customerNumber++, {
        contact: CONTACT,
        toAgent: samples ? options.messages : 1,
        toCustomer: samples ? options.messages : 1,
        samples,
        agentVia: sessions[(i + 1) % n]!.postActivity,
      }).catch((err: unknown) => {
        if (tally.errors++ === 0) log(`cross-instance chat ${k} failed: ${(err as Error).message}`);
      });
    };
    /** Feed polls per second of each instance and the shared Cosmos's requests per second, over `ms` of idle. */
    const idleRates = async (ms: number) => {
      const before = await Promise.all(sessions.map((s) => s.stats()));
      const requestsBefore = cosmos.requests().total;
      const t0 = performance.now();
      await sleep(ms);
      const after = await Promise.all(sessions.map((s) => s.stats()));
      const requests = cosmos.requests().total - requestsBefore;
      const seconds = (performance.now() - t0) / 1000;
      if (after.some((r) => !r.feed)) log('cross-instance: an instance reports no change feed (feed: null)');
      const polls = after.map((r, i) => ((r.feed?.polls ?? 0) - (before[i]!.feed?.polls ?? 0)) / seconds);
      return { pollsPerInstance: polls.reduce((a, b) => a + b, 0) / n, requestsPerSecond: requests / seconds };
    };
    try {
      const seed = await openStore({ kind: 'cosmos', ...shared });
      try {
        await seedTenant(seed, agents, idleUsers);
      } finally {
        await seed.close();
      }
      // One after another, as a deployment's instances come up.
      for (let i = 0; i < n; i++) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-bench-cross-'));
        dirs.push(dir);
        sessions.push(await openSession(dir, agents, received, crossTally, shared));
      }
      const lastStarted = performance.now();
      await sessions[0]!.agentsAvailable();
      // A newcomer holds its sends to Teams until the others have counted it (a renewal of theirs and
      // one of its own, INSTANCE_RENEW_MS: 5 s each) and 30 s more: the rate-limit budget share of
      // services/delivery/instance-registry.ts. Chats start once every instance may send.
      await sleep(Math.max(0, lastStarted + JOIN_SETTLE_MS - performance.now()));
      // Warm-up, measured nowhere: one chat from each instance to the next.
      for (let k = 0; k < n; k++) await crossChat(k);
      const idle = await idleRates(2000);

      const t0 = performance.now();
      await pool([...Array(options.chats).keys()], parallel, (k) => crossChat(k, { c2a: c2aCross, a2c: a2cCross }));
      log(
        `cross-instance: ${n} instances, ${options.chats} chats in ${((performance.now() - t0) / 1000).toFixed(1)} s, ` +
          `customer → agent p50 ${c2aCross.summary().p50} ms, agent → customer p50 ${a2cCross.summary().p50} ms`,
      );

      await pool([...Array(options.idleChats).keys()], 50, (i) =>
        openIdleChat(sessions[i % n]!.server.base, i, 120_000 + i, closers),
      );
      await sleep(1000);
      const withIdleChats = await idleRates(options.idleSeconds * 1000);
      return {
        instances: n,
        chats: options.chats,
        customerToAgentMs: c2aCross.summary(),
        agentToCustomerMs: a2cCross.summary(),
        lost: crossTally.lost,
        reordered: crossTally.reordered,
        feedPollsPerSecondPerInstance: round1(idle.pollsPerInstance),
        backgroundRequestsPerSecond: round1(idle.requestsPerSecond),
        backgroundRequestsPerSecondWithIdleChats: round1(withIdleChats.requestsPerSecond),
        idleChats: options.idleChats,
      };
    } finally {
      closers.forEach((c) => c());
      await Promise.all(sessions.map((s) => s.stop()));
      await cosmos.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Time to offer with `size` ended chats stored: a fresh data directory seeded before the server
   * starts (the tenant, then the ended chats' documents, written through openStore's embedded store
   * and saved on close), then a few lifecycles, one at a time.
   */
  async function historyPhase(size: number): Promise<BenchResult['history'][number]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-bench-history-'));
    try {
      const seed = await openStore({
        kind: 'embedded',
        database: 'contactcenter',
        dataDir: dir,
        saveIntervalMs: 0,
        journal: false,
      });
      let documents = 0;
      try {
        await seedTenant(seed, agents, []);
        documents = await seedHistory(seed, TENANT, 'svc-bench', agents, size);
      } finally {
        await seed.close();
      }
      const t0 = performance.now();
      const session = await openSession(dir, agents, received, tally);
      const startSeconds = round1((performance.now() - t0) / 1000);
      try {
        await session.agentsAvailable();
        const samples = new Samples();
        const bg = await session.background(1000);
        const count = Math.max(2, Math.min(20, Math.round(options.chats / 4)));
        const m = await session.measure(bg, () =>
          pool([...Array(count).keys()], 1, async (i) =>
            session
              .customer(i, { contact: CONTACT, toAgent: 0, toCustomer: 0, samples: { toOffer: samples } })
              .catch(() => void tally.errors++),
          ),
        );
        log(
          `history ${size}: ${documents} documents, server up in ${startSeconds} s, offer p50 ${samples.summary().p50} ms`,
        );
        return {
          endedChats: size,
          documents,
          startSeconds,
          timeToOfferMs: samples.summary(),
          cosmosRequestsPerTaskLifecycle: round1(m.http.total / count),
        };
      } finally {
        await session.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function parseFlags(argv: string[]): BenchOptions {
  const options = { ...(argv.includes('--quick') ? quickBenchOptions : defaultBenchOptions) };
  const names: Record<string, Exclude<keyof BenchOptions, 'history'>> = {
    '--chats': 'chats',
    '--agents': 'agents',
    '--messages': 'messages',
    '--idle': 'idleChats',
    '--floor': 'floorSamples',
    '--concurrency': 'concurrency',
    '--idle-seconds': 'idleSeconds',
    '--instances': 'instances',
    '--reports': 'reports',
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--history') {
      // Comma-separated sizes; empty (`--history ''`) runs no history phase.
      const sizes = (argv[++i] ?? '').split(',').filter(Boolean).map(Number);
      if (sizes.some((n) => !Number.isInteger(n) || n < 0))
        throw new Error('--history takes whole numbers, comma-separated');
      options.history = sizes;
      continue;
    }
    const key = names[argv[i]!] as Exclude<keyof BenchOptions, 'history'> | undefined;
    if (key) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`${argv[i - 1]} takes a whole number`);
      options[key] = value;
    }
  }
  return options;
}

export function formatResult(r: BenchResult): string {
  const row = (name: string, s: { p50: number | null; p95: number | null; p99: number | null }, extra = '') =>
    `| ${name} | ${s.p50} | ${s.p95} | ${s.p99} | ${extra} |`;
  const q = r.cosmosRequests;
  const k = q.lifecycleByKind;
  const c = r.cpuMs;
  return [
    `Bench: ${r.options.chats} chats × ${r.options.messages} messages each way, ${r.options.agents} agents, ${r.options.idleChats} idle chats, ${r.durationSeconds} s`,
    '',
    '| figure (ms) | p50 | p95 | p99 | × floor (p50 / p99) |',
    '|---|---|---|---|---|',
    row('floor: relayed POST', r.floor.relayMs),
    row('floor: POST → SSE event', r.floor.sseMs),
    row(
      'customer → agent connector',
      r.relay.customerToAgentMs,
      `${r.relay.customerToAgentMs.ratioP50} / ${r.relay.customerToAgentMs.ratioP99}`,
    ),
    row(
      'agent → customer SSE',
      r.relay.agentToCustomerMs,
      `${r.relay.agentToCustomerMs.ratioP50} / ${r.relay.agentToCustomerMs.ratioP99}`,
    ),
    row('chat created → offer at agent', r.timeToOfferMs, `${r.timeToOfferMs.ratioP50} / ${r.timeToOfferMs.ratioP99}`),
    '',
    `throughput: ${r.throughput.chatsPerSecond} chats/s, ${r.throughput.messagesPerSecond} messages/s`,
    `Cosmos HTTP requests (query plans included), background subtracted:`,
    `  per customer → agent message ${q.perCustomerToAgentMessage}, per agent → customer message ${q.perAgentToCustomerMessage} (both ways in turn: ${q.perRelayedMessage} per message)`,
    `  per task lifecycle ${q.perTaskLifecycle} (reads ${k.reads}, writes ${k.writes}, queries ${k.queries}, query plans ${k.queryPlans}), with the default IM workflow ${q.perTaskLifecycleWithWorkflow}`,
    `  background ${q.backgroundPerSecond}/s with no chats, ${q.backgroundPerSecondWithIdleChats}/s with ${r.memory.idleChats} idle chats open`,
    `server CPU (ms), background subtracted:`,
    `  per customer → agent message ${c.perCustomerToAgentMessage}, per agent → customer message ${c.perAgentToCustomerMessage} (both ways in turn: ${c.perRelayedMessage})`,
    `  per task lifecycle ${c.perTaskLifecycle}, with the default IM workflow ${c.perTaskLifecycleWithWorkflow}`,
    `  background ${c.backgroundPerSecond} ms/s with no chats, ${c.backgroundPerSecondWithIdleChats} ms/s with ${r.memory.idleChats} idle chats open`,
    `memory per idle open chat (${r.memory.idleChats} chats): ${r.memory.heapBytesPerIdleChat === null ? 'n/a' : (r.memory.heapBytesPerIdleChat / 1024).toFixed(1)} KB heap after GC, ${Math.round(r.memory.bytesPerIdleChat / 1024)} KB resident`,
    ...(r.history.length === 0
      ? []
      : [
          '',
          '| ended chats stored | documents | server start (s) | offer p50 (ms) | p95 | p99 | Cosmos requests per lifecycle |',
          '|---|---|---|---|---|---|---|',
          ...r.history.map(
            (h) =>
              `| ${h.endedChats} | ${h.documents} | ${h.startSeconds} | ${h.timeToOfferMs.p50} | ${h.timeToOfferMs.p95} | ${h.timeToOfferMs.p99} | ${h.cosmosRequestsPerTaskLifecycle} |`,
          ),
        ]),
    ...(r.crossInstance === null
      ? []
      : [
          '',
          `cross-instance: ${r.crossInstance.instances} servers on one Cosmos, ${r.crossInstance.chats} chats, customer on instance i, agent on instance i + 1`,
          '| figure (ms) | p50 | p95 | p99 | |',
          '|---|---|---|---|---|',
          row('customer → agent connector', r.crossInstance.customerToAgentMs),
          row('agent → customer SSE', r.crossInstance.agentToCustomerMs),
          `change feed: ${r.crossInstance.feedPollsPerSecondPerInstance} polls/s per idle instance; Cosmos requests ${r.crossInstance.backgroundRequestsPerSecond}/s with ${r.crossInstance.instances} idle instances, ${r.crossInstance.backgroundRequestsPerSecondWithIdleChats}/s with ${r.crossInstance.idleChats} idle chats open`,
          `cross-instance: lost ${r.crossInstance.lost}, reordered ${r.crossInstance.reordered}`,
        ]),
    ...(r.reports === null
      ? []
      : [
          '',
          `reports: ${r.reports.taskReports} task reports, ${r.reports.services} services, ${r.reports.days} days (seeded in ${r.reports.seedSeconds} s); rebuild ${r.reports.rebuildSeconds} s for ${r.reports.dayDocuments} day documents`,
          '| figure (ms) | p50 | p95 | p99 | |',
          '|---|---|---|---|---|',
          row(
            `${r.reports.days}-day summary, all services`,
            r.reports.summaryMs,
            `${r.reports.documentsReadPerSummary} documents, ${r.reports.cosmosRequestsPerSummary} Cosmos requests`,
          ),
          row(`one service's CSV (${r.reports.csvRows} rows)`, r.reports.csvOneServiceMs),
          row(
            `live dashboard, ${r.reports.services} services`,
            r.reports.dashboardMs,
            `${r.reports.cosmosRequestsPerDashboard} Cosmos requests per refresh`,
          ),
        ]),
    `errors ${r.errors}, lost messages ${r.lostMessages}, reordered ${r.reorderedMessages}`,
  ].join('\n');
}

if (require.main === module) {
  const options = parseFlags(process.argv.slice(2));
  runBench(options)
    .then((result) => {
      const dir = path.join(ROOT, 'bench-results');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`\n${formatResult(result)}\n\nwritten to ${path.relative(ROOT, file)}`);
      const crossFailures = result.crossInstance ? result.crossInstance.lost + result.crossInstance.reordered : 0;
      process.exit(result.errors + result.lostMessages + result.reorderedMessages + crossFailures === 0 ? 0 : 1);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
