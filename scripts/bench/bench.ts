/**
 * npm run bench: the real server (embedded Cosmos, local mode) driven over loopback by simulated
 * customers (public Interact API, SSE open) and agents (real-shaped Teams activities to /api/messages,
 * served by a Bot Connector stand-in), against a floor of the same HTTP hops through a bare server.
 * Prints a table and writes JSON under bench-results/. Flags: --chats --agents --messages --idle
 * --floor --concurrency --quick.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../bot/src/store';
import { KEY_FILE_NAME } from '../../bot/src/store/embedded-auth';
import { startFloorServer } from './floor';
import { benchInteract, takeSseFrames } from './shared';
import { Samples, ratio } from './stats';
import {
  type ReceivedActivity,
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
};
export const defaultBenchOptions: BenchOptions = {
  chats: 200,
  agents: 20,
  messages: 5,
  idleChats: 2000,
  floorSamples: 300,
  concurrency: 20,
};
export const quickBenchOptions: BenchOptions = {
  chats: 4,
  agents: 2,
  messages: 2,
  idleChats: 10,
  floorSamples: 10,
  concurrency: 2,
};

const ROOT = path.resolve(__dirname, '../..');
const TENANT = 'bench-tenant';

export type BenchResult = {
  options: BenchOptions;
  floor: { relayMs: ReturnType<Samples['summary']>; sseMs: ReturnType<Samples['summary']> };
  relay: {
    customerToAgentMs: ReturnType<Samples['summary']> & { ratioP50: number | null; ratioP99: number | null };
    agentToCustomerMs: ReturnType<Samples['summary']> & { ratioP50: number | null; ratioP99: number | null };
  };
  timeToOfferMs: ReturnType<Samples['summary']> & { ratioP50: number | null; ratioP99: number | null };
  throughput: { chatsPerSecond: number; messagesPerSecond: number };
  cosmosRequests: { perRelayedMessage: number; perTaskLifecycle: number };
  memory: { idleChats: number; bytesPerIdleChat: number };
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

async function startServer(env: Record<string, string>): Promise<{ proc: ChildProcess; base: string; cosmos: string }> {
  const proc = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const base = /Health\s+(http:\/\/\S+)\/healthz/.exec(out)?.[1];
      const cosmos = /Embedded Cosmos\s+(http:\/\/\S+)/.exec(out)?.[1];
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

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-bench-'));
  const server = await startServer({
    AUTH_MODE: 'local',
    PORT: '0',
    DATA_DIR: dataDir,
    DATA_SAVE_INTERVAL_SECONDS: '3600',
    DEMO_TENANT: 'false',
    LOG_LEVEL: 'warn',
    INTERACT_RATE_LIMIT_SCALE: '10000',
  });
  const stopServer = () =>
    new Promise<void>((resolve) =>
      server.proc.exitCode !== null
        ? resolve()
        : (server.proc.once('exit', () => resolve()), server.proc.kill('SIGTERM')),
    );
  try {
    // The bench tenant, written through the server's own embedded Cosmos, with the key it keeps in its data directory.
    const key = readFileSync(path.join(dataDir, KEY_FILE_NAME), 'utf8').trim();
    const store = await openStore({ kind: 'cosmos', endpoint: server.cosmos, key, database: 'contactcenter' });
    const agents = Array.from({ length: options.agents }, (_, i) => ({
      tenantId: TENANT,
      userId: `agent-${i + 1}`,
      name: `Agent ${i + 1}`,
      conversationId: `a:conv-${i + 1}`,
      serviceUrl: `${standIn.url}/`,
    }));
    const contact = { id: 'ct-bench', key: 'bench-widget-key-0123456789abcdef' };
    // Idle chats wait for users contacted directly who never come online, twenty per user.
    const idleUserIds = Array.from(
      { length: Math.max(1, Math.ceil(options.idleChats / 20)) },
      (_, i) => `idle-${i + 1}`,
    );
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
        contactCenter: { total: 1, assignees: ['svc-bench'] },
        interactService: { total: 1, assignees: ['svc-bench'] },
        // A user is contacted directly only with both the Interact user and the IM modality license.
        imModality: { total: 100_000, assignees: [...agents.map((a) => a.userId), ...idleUserIds] },
        interactUser: { total: 100_000, assignees: idleUserIds },
      },
    });
    for (const a of agents) {
      await store.repos.users.create({
        id: a.userId,
        tenantId: TENANT,
        type: 'user',
        displayName: a.name,
        email: `${a.userId}@bench.example`,
        active: true,
        unitId: 'unit',
        im: { enabled: true, maxConcurrentChats: 1 },
        interact: benchInteract({ id: `ct-${a.userId}`, key: `${a.userId}-key-0123456789abcdef` }),
      });
    }
    // Idle chats wait for users contacted directly who never come online, twenty per user: many
    // small queues, so the figure is the memory of open chats, not the cost of one long queue.
    const idleUsers = idleUserIds.map((id) => ({
      id,
      contact: { id: `ct-${id}`, key: `${id}-key-0123456789abcdef` },
    }));
    for (const u of idleUsers) {
      await store.repos.users.create({
        id: u.id,
        tenantId: TENANT,
        type: 'user',
        displayName: `Offline ${u.id}`,
        email: `${u.id}@bench.example`,
        active: true,
        unitId: 'unit',
        im: { enabled: true, maxConcurrentChats: 1 },
        interact: benchInteract(u.contact),
      });
      await store.directory.registerContact({
        id: u.contact.id,
        tenantId: TENANT,
        target: { kind: 'user', userId: u.id },
      });
    }
    const distribution = {
      maxConcurrentChatsPerUser: 1,
      selectableWhenBusy: false,
      selectableWhenAway: false,
      ronaResetSeconds: 10,
      persistentRona: false,
    };
    await store.repos.services.create({
      id: 'svc-bench',
      tenantId: TENANT,
      type: 'service',
      unitId: 'unit',
      name: 'Bench',
      members: agents.map((a) => ({ userId: a.userId, active: true })),
      im: { enabled: true, channels: { interact: true, whatsapp: false }, workflowId: null },
      interact: benchInteract(contact),
      distribution,
    });
    await store.directory.registerContact({
      id: contact.id,
      tenantId: TENANT,
      target: { kind: 'service', serviceId: 'svc-bench' },
    });
    await store.close();

    const postActivity = (activity: Record<string, unknown>) =>
      fetch(`${server.base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
    const stats = async () =>
      (await (await fetch(`${server.base}/_local/stats`)).json()) as {
        store: { total: number };
        memory: { rss: number };
      };

    // Agents install the app and go Available, as they would in Teams.
    for (const a of agents) {
      await postActivity(agentActivity(a, { type: 'installationUpdate', action: 'add' }));
      const res = await postActivity(agentActivity(a, { type: 'message', text: 'status available' }));
      if (res.status >= 300) throw new Error(`agent ${a.userId} could not set status: ${res.status}`);
    }
    const agentByConversation = new Map(agents.map((a) => [a.conversationId, a]));

    let errors = 0;
    let lost = 0;
    let reordered = 0;
    const toOffer = new Samples();
    const c2a = new Samples();
    const a2c = new Samples();

    /** One customer's whole chat: create, offered, accepted, messages both ways, end. */
    const customer = async (index: number, messages: number) => {
      const name = `Customer ${index} ${randomUUID().slice(0, 8)}`;
      const events = new Waiters<SseMessage>();
      let lastSeq = 0;
      const t0 = performance.now();
      const res = await fetch(`${server.base}/interact/v1/contacts/${contact.id}/chats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://shop.bench.example' },
        body: JSON.stringify({ key: contact.key, displayName: name, email: 'customer@bench.example', consent: true }),
      });
      if (res.status !== 201) throw new Error(`create chat answered ${res.status}`);
      const chat = (await res.json()) as { chatId: string; token: string };
      const close = await openStream(
        `${server.base}/interact/v1/contacts/${contact.id}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
        { origin: 'https://shop.bench.example' },
        (e) => {
          if (e.id !== null) {
            if (e.id <= lastSeq) reordered++;
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
        toOffer.add(card.at - t0);
        const agent = agentByConversation.get(card.conversationId)!;
        const accept = cardActions(card.activity).find((a) => a.verb === 'offer.accept')!;
        await postActivity(
          agentActivity(agent, {
            type: 'invoke',
            name: 'adaptiveCard/action',
            replyToId: card.activity.id,
            value: {
              action: { type: 'Action.Execute', title: 'Accept', verb: accept.verb, data: accept.data },
              trigger: 'manual',
            },
          }),
        );
        await events.wait((e) => e.event === 'status' && e.data.state === 'connected');
        for (let m = 0; m < messages; m++) {
          const toAgent = `c2a-${index}-${m}-${randomUUID()}`;
          let t = performance.now();
          await fetch(`${server.base}/interact/v1/contacts/${contact.id}/chats/${chat.chatId}/messages`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              origin: 'https://shop.bench.example',
              authorization: `Bearer ${chat.token}`,
            },
            body: JSON.stringify({ text: toAgent }),
          });
          try {
            c2a.add(
              (
                await received.wait(
                  (r) => r.conversationId === agent.conversationId && activityText(r.activity).includes(toAgent),
                )
              ).at - t,
            );
          } catch {
            lost++;
          }
          const toCustomer = `a2c-${index}-${m}-${randomUUID()}`;
          t = performance.now();
          await postActivity(agentActivity(agent, { type: 'message', text: toCustomer }));
          try {
            a2c.add((await events.wait((e) => e.event === 'message' && e.data.text === toCustomer)).at - t);
          } catch {
            lost++;
          }
        }
        await fetch(`${server.base}/interact/v1/contacts/${contact.id}/chats/${chat.chatId}/end`, {
          method: 'POST',
          headers: { origin: 'https://shop.bench.example', authorization: `Bearer ${chat.token}` },
        });
        await events.wait((e) => e.event === 'status' && e.data.state === 'ended');
      } finally {
        close();
      }
    };

    // Background requests (sweeper, leases) are measured while idle and left out of the per-item figures.
    const idleStart = await stats();
    const idleT = performance.now();
    await new Promise((r) => setTimeout(r, 2000));
    const backgroundPerMs = ((await stats()).store.total - idleStart.store.total) / (performance.now() - idleT);

    const lifecycleChats = Math.max(1, Math.round(options.chats / 4));
    let before = await stats();
    let phaseStart = performance.now();
    await pool([...Array(lifecycleChats).keys()], Math.min(options.concurrency, options.agents), async (i) =>
      customer(i, 0).catch(() => void errors++),
    );
    let after = await stats();
    const perLifecycle =
      (after.store.total - before.store.total - backgroundPerMs * (performance.now() - phaseStart)) / lifecycleChats;

    before = after;
    phaseStart = performance.now();
    await pool([...Array(options.chats).keys()], Math.min(options.concurrency, options.agents), async (i) =>
      customer(lifecycleChats + i, options.messages).catch(() => void errors++),
    );
    const phaseMs = performance.now() - phaseStart;
    after = await stats();
    const relayed = options.chats * options.messages * 2;
    const perMessage =
      relayed === 0
        ? 0
        : (after.store.total - before.store.total - backgroundPerMs * phaseMs - perLifecycle * options.chats) / relayed;
    log(`chats: ${options.chats} with ${options.messages} messages each way in ${(phaseMs / 1000).toFixed(1)} s`);

    // Memory per idle chat: customers who wait with their event stream open.
    const memBefore = (await stats()).memory.rss;
    const closers: (() => void)[] = [];
    await pool([...Array(options.idleChats).keys()], 50, async (i) => {
      const idle = idleUsers[Math.floor(i / 20)]!.contact;
      try {
        const res = await fetch(`${server.base}/interact/v1/contacts/${idle.id}/chats`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            key: idle.key,
            displayName: 'Waiting customer',
            email: 'w@bench.example',
            consent: true,
          }),
        });
        const chat = (await res.json()) as { chatId: string; token: string };
        closers.push(
          await openStream(
            `${server.base}/interact/v1/contacts/${idle.id}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
            {},
            () => undefined,
          ),
        );
      } catch {
        errors++;
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    const memAfter = (await stats()).memory.rss;
    closers.forEach((c) => c());

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
        chatsPerSecond: Math.round((options.chats / (phaseMs / 1000)) * 10) / 10,
        messagesPerSecond: Math.round((relayed / (phaseMs / 1000)) * 10) / 10,
      },
      cosmosRequests: {
        perRelayedMessage: Math.round(perMessage * 10) / 10,
        perTaskLifecycle: Math.round(perLifecycle * 10) / 10,
      },
      memory: {
        idleChats: options.idleChats,
        bytesPerIdleChat: options.idleChats === 0 ? 0 : Math.round((memAfter - memBefore) / options.idleChats),
      },
      errors,
      lostMessages: lost,
      reorderedMessages: reordered,
      durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await stopServer();
    await floor.close();
    await standIn.close();
  }
}

function parseFlags(argv: string[]): BenchOptions {
  const options = { ...(argv.includes('--quick') ? quickBenchOptions : defaultBenchOptions) };
  const names: Record<string, keyof BenchOptions> = {
    '--chats': 'chats',
    '--agents': 'agents',
    '--messages': 'messages',
    '--idle': 'idleChats',
    '--floor': 'floorSamples',
    '--concurrency': 'concurrency',
  };
  for (let i = 0; i < argv.length; i++) {
    const key = names[argv[i]!];
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
    `Cosmos requests: ${r.cosmosRequests.perRelayedMessage} per relayed message, ${r.cosmosRequests.perTaskLifecycle} per task lifecycle`,
    `memory: ${Math.round(r.memory.bytesPerIdleChat / 1024)} KB resident per idle open chat (${r.memory.idleChats} chats)`,
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
      process.exit(result.errors + result.lostMessages + result.reorderedMessages === 0 ? 0 : 1);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
