/**
 * npm run bench:durability: a crash loop against the real server (embedded Cosmos, local mode) over
 * loopback. Each cycle opens connected chats (a customer through the public Interact API, an agent
 * through the tab's My Sessions API) and waiting chats (customer only), has every side write as fast as
 * a closed loop allows, kills the server with SIGKILL while requests are in flight, restarts it on the
 * same data directory and port, and reads every chat's log back through the customer's event stream:
 * acknowledged messages lost, duplicated, reordered, and sequence numbers that go back after the
 * restart. Then a steady phase without crashes, once with the default configuration and once with
 * DATA_JOURNAL=false, each on a fresh data directory, gives the journal's cost. Prints tables and
 * writes JSON under bench-results/. Exits 0 even when writes were lost: it is a measurement.
 * Flags: --cycles --chats --waiting --seconds --steady-seconds --journal-off --server-root --quick.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../bot/src/store';
import { KEY_FILE_NAME } from '../../bot/src/store/embedded-auth';
import { benchDistribution, benchInteract, benchUser, takeSseFrames } from './shared';
import { Samples, ratio } from './stats';

export type DurabilityOptions = {
  /** Crash cycles. */
  cycles: number;
  /** Connected chats (customer and agent writing) opened in each cycle. */
  chats: number;
  /** Waiting chats (customer only, nobody to take them) opened in each cycle. */
  waiting: number;
  /** Seconds of writing in each cycle before the kill. */
  seconds: number;
  /** Seconds measured in each steady phase (journal on, journal off). */
  steadySeconds: number;
  /** The crash loop runs with DATA_JOURNAL=false (what a crash costs without the journal). */
  journalOff: boolean;
  /** The checkout whose bot/src/main.ts is run (another version, e.g. an exported older commit); this one by default. */
  serverRoot: string;
};
const ROOT = path.resolve(__dirname, '../..');
export const defaultDurabilityOptions: DurabilityOptions = {
  cycles: 6,
  chats: 3,
  waiting: 2,
  seconds: 3,
  steadySeconds: 30,
  journalOff: false,
  serverRoot: ROOT,
};
export const quickDurabilityOptions: DurabilityOptions = {
  cycles: 2,
  chats: 1,
  waiting: 1,
  seconds: 1,
  steadySeconds: 1.5,
  journalOff: false,
  serverRoot: ROOT,
};

export type CycleFigures = {
  cycle: number;
  /** Chats written to in this cycle (opened in this cycle or earlier and still there). */
  chats: number;
  /** Messages the server answered 2xx to in this cycle: the writing before the kill and one probe per side after the restart. */
  acknowledged: number;
  /** Requests without an answer when the server was killed (their outcome is unknown; not counted as lost). */
  inFlightAtKill: number;
  /** Requests answered with an error status (an agent whose chat assignment went back, a chat that is gone). */
  refused: number;
  /** Acknowledged messages missing from the chat's log after the restart (newly found this cycle). */
  lost: number;
  /** Messages found more than once in a log (newly found this cycle). */
  duplicated: number;
  /** Acknowledged messages that the log shows before one the same sender had acknowledged earlier (newly found). */
  reordered: number;
  /** Messages acknowledged after the restart with a sequence number not greater than one acknowledged before it. */
  seqRegressions: number;
  /** Acknowledged messages stored under another sequence number than the one they were acknowledged with (newly found). */
  seqChanged: number;
  /** Chats whose customer could no longer reach them after the restart (chat or token gone). */
  chatsLost: number;
  /** From the kill to the start banner of the new process. */
  restartMs: number;
};

export type SteadyFigures = {
  configuration: string;
  env: Record<string, string>;
  seconds: number;
  acknowledged: number;
  messagesPerSecond: number;
  postMs: ReturnType<Samples['summary']>;
  /** Acknowledged messages missing from the logs at the end (no crash: should be 0). */
  missing: number;
  refused: number;
  errors: number;
};

export type DurabilityResult = {
  options: DurabilityOptions;
  cycles: CycleFigures[];
  totals: Omit<CycleFigures, 'cycle' | 'restartMs'> & { cycles: number; restartMsP50: number | null };
  lostAcknowledgedWrites: boolean;
  journal: {
    on: SteadyFigures;
    off: SteadyFigures;
    /** Journal on ÷ journal off: throughput below 1 and latencies above 1 are its cost. */
    ratio: { messagesPerSecond: number | null; p50: number | null; p99: number | null };
  };
  errors: number;
  durationSeconds: number;
};

const TENANT = 'durability-tenant';
const ORIGIN = 'https://shop.durability.example';
const WAITING_USER = 'waiting-user';
const WAITING_CONTACT = { id: 'ct-waiting', key: 'waiting-widget-key-0123456789abcdef' };
const REQUEST_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free loopback port for the server, kept across its restarts. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Every server process this bench started and that has not exited: killed if the bench exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((p) => p.kill('SIGKILL')));

/** The server as its own process (as `npm start` runs it), started, killed and restarted on one data directory and port. */
class ServerProcess {
  proc: ChildProcess | undefined;
  cosmos = '';
  private out = '';
  readonly base: string;

  constructor(
    private readonly root: string,
    private readonly dataDir: string,
    private readonly port: number,
    private readonly extraEnv: Record<string, string>,
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  /** Starts the process and waits for its start banner; retries while the port is still held by the killed one. */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        return;
      } catch (err) {
        if (attempt >= 3 || !/EADDRINUSE/.test(String(err))) throw err;
        await sleep(300);
      }
    }
  }

  private startOnce(): Promise<void> {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      AUTH_MODE: 'local',
      PORT: String(this.port),
      DATA_DIR: this.dataDir,
      DEMO_TENANT: 'false',
      LOG_LEVEL: 'warn',
      INTERACT_RATE_LIMIT_SCALE: '100000',
      // Chats must not end as "customer left" while their customer has no event stream open between reads.
      CUSTOMER_AWAY_SECONDS: '86400',
      ...this.extraEnv,
    };
    // Its own process group, so the kill reaches the whole process tree at once.
    const proc = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/src/main.ts'], {
      cwd: this.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.proc = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    this.out = '';
    const append = (c: Buffer) => {
      this.out += c.toString();
      if (this.out.length > 20_000) this.out = this.out.slice(-20_000);
    };
    proc.stdout?.on('data', append);
    proc.stderr?.on('data', append);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.killGroup();
        reject(new Error(`server did not start in 30 s:\n${this.out}`));
      }, 30_000);
      const onData = () => {
        const cosmos = /Embedded Cosmos\s+(http:\/\/\S+)/.exec(this.out)?.[1];
        if (cosmos && this.out.includes('Press Ctrl+C to stop.')) {
          clearTimeout(timer);
          proc.stdout?.off('data', onData);
          this.cosmos = cosmos;
          resolve();
        }
      };
      proc.stdout?.on('data', onData);
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before starting:\n${this.out}`));
      });
    });
  }

  private killGroup(): void {
    const pid = this.proc?.pid;
    if (pid === undefined || this.proc?.exitCode !== null || this.proc.signalCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.proc.kill('SIGKILL');
    }
  }

  private exited(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => p.once('exit', () => resolve()));
  }

  /** kill -9: no shutdown, no last save. */
  async kill9(): Promise<void> {
    const exited = this.exited();
    this.killGroup();
    await exited;
  }

  /** A graceful stop (SIGTERM: the server saves and closes), SIGKILL if it takes too long. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = this.exited();
    p.kill('SIGTERM');
    const timer = setTimeout(() => this.killGroup(), 15_000);
    await exited;
    clearTimeout(timer);
  }

  output(): string {
    return this.out;
  }
}

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
const request = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

/**
 * The bench tenant, written through the server's own embedded Cosmos with the key in its data
 * directory: one single-member service per agent (each connected chat has its own agent), and a user
 * contacted directly who never comes online, whose chats wait.
 */
async function seedTenant(server: ServerProcess, dataDir: string, agentCount: number): Promise<void> {
  const key = readFileSync(path.join(dataDir, KEY_FILE_NAME), 'utf8').trim();
  const store = await openStore({ kind: 'cosmos', endpoint: server.cosmos, key, database: 'contactcenter' });
  try {
    const agents = Array.from({ length: agentCount }, (_, i) => agentIds(i));
    await store.repos.tenants.create({
      id: TENANT,
      tenantId: TENANT,
      type: 'tenant',
      name: 'Durability',
      interactEnabled: true,
      imEnabled: true,
      privacyPolicyUrl: null,
      adminUserIds: [],
      licenses: {
        contactCenter: { total: agentCount, assignees: agents.map((a) => a.serviceId) },
        interactService: { total: agentCount, assignees: agents.map((a) => a.serviceId) },
        imModality: { total: agentCount + 1, assignees: [...agents.map((a) => a.userId), WAITING_USER] },
        interactUser: { total: 1, assignees: [WAITING_USER] },
      },
    });
    for (const a of agents) {
      await store.repos.users.create(
        benchUser(
          TENANT,
          { id: a.userId, displayName: `Agent ${a.userId}`, email: `${a.userId}@durability.example` },
          { ...benchInteract({ id: `ct-${a.userId}`, key: `${a.userId}-key-0123456789abcdef` }), active: false },
        ),
      );
      await store.repos.services.create({
        id: a.serviceId,
        tenantId: TENANT,
        type: 'service',
        unitId: 'unit',
        name: `Service ${a.serviceId}`,
        members: [{ userId: a.userId, active: true }],
        im: { enabled: true, channels: { interact: true, whatsapp: false }, workflowId: null },
        interact: benchInteract(a.contact),
        distribution: benchDistribution,
      });
      await store.directory.registerContact({
        id: a.contact.id,
        tenantId: TENANT,
        target: { kind: 'service', serviceId: a.serviceId },
      });
    }
    await store.repos.users.create({
      id: WAITING_USER,
      tenantId: TENANT,
      type: 'user',
      displayName: 'Offline person',
      email: 'offline@durability.example',
      active: true,
      unitId: 'unit',
      im: { enabled: true, maxConcurrentChats: 1 },
      interact: benchInteract(WAITING_CONTACT),
    });
    await store.directory.registerContact({
      id: WAITING_CONTACT.id,
      tenantId: TENANT,
      target: { kind: 'user', userId: WAITING_USER },
    });
  } finally {
    await store.close();
  }
}

function agentIds(i: number) {
  const n = i + 1;
  return {
    userId: `agent-${n}`,
    serviceId: `svc-${n}`,
    contact: { id: `ct-svc-${n}`, key: `svc-${n}-widget-key-0123456789abcdef` },
  };
}

type Side = 'customer' | 'agent';
type Ack = { text: string; from: Side; seq: number | null; cycle: number };
type Agent = { userId: string; token: string; attached: boolean; lastReattach: number };

type TrackedChat = {
  label: string;
  kind: 'connected' | 'waiting';
  contact: { id: string; key: string };
  chatId: string;
  token: string;
  agent: Agent | undefined;
  acks: Ack[];
  /** Every text sent, acknowledged or not (for duplicates). */
  sent: Set<string>;
  gone: boolean;
  /** The highest sequence number acknowledged before the last kill. */
  floor: number;
  found: { lost: Set<string>; duplicated: Set<string>; reordered: Set<string>; seqChanged: Set<string> };
};

/** Adds to a set of findings; true when the finding is new (each message is counted once over all cycles). */
const newly = (found: Set<string>, text: string): boolean => !found.has(text) && Boolean(found.add(text));

/** What one phase of writing counted. */
type Tally = {
  acknowledged: number;
  inFlight: number;
  refused: number;
  errors: number;
  seqRegressions: number;
  latency: Samples;
};
const newTally = (): Tally => ({
  acknowledged: 0,
  inFlight: 0,
  refused: 0,
  errors: 0,
  seqRegressions: 0,
  latency: new Samples(),
});

/** The client side of the bench: customers and agents of one server, and what the server acknowledged to them. */
class Clients {
  readonly chats: TrackedChat[] = [];
  private counter = 0;
  cycle = 0;
  /** Set when the server is being killed: failures are in-flight requests, not errors. */
  killing = false;

  constructor(private readonly server: ServerProcess) {}

  private interactUrl(contactId: string, rest = '') {
    return `${this.server.base}/interact/v1/contacts/${contactId}/chats${rest}`;
  }

  private tab(method: string, p: string, token: string | undefined, body?: unknown) {
    return request(`${this.server.base}/api/v1${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async signIn(userId: string): Promise<string> {
    const res = await this.tab('POST', '/dev/sign-in', undefined, { tenantId: TENANT, userId });
    if (res.status !== 200) throw new Error(`dev sign-in of ${userId} answered ${res.status}`);
    return (await json<{ token: string }>(res)).token;
  }

  /** Presence Available (unless told otherwise) and every pending offer accepted; true when the agent's chat is live for them. */
  async attach(agent: Agent, chatId: string | undefined, setPresence = true): Promise<boolean> {
    agent.lastReattach = performance.now();
    if (setPresence) {
      const presence = await this.tab('PUT', '/me/presence', agent.token, { presence: 'available' });
      if (presence.status !== 200) throw new Error(`presence answered ${presence.status}`);
      await presence.arrayBuffer();
    }
    const overview = await json<{ offers: { taskId: string }[]; active: { chatId: string }[] }>(
      await this.tab('GET', '/me/sessions', agent.token),
    );
    const active = new Set(overview.active.map((a) => a.chatId));
    for (const offer of overview.offers) {
      const res = await this.tab('POST', `/me/offers/${offer.taskId}/accept`, agent.token);
      if (res.status === 200) active.add((await json<{ chatId: string }>(res)).chatId);
      else await res.arrayBuffer();
    }
    agent.attached = chatId !== undefined && active.has(chatId);
    return agent.attached;
  }

  /** A customer opens a chat; for a connected chat its agent accepts the offer. */
  async open(kind: 'connected' | 'waiting', agentIndex: number): Promise<TrackedChat> {
    const contact = kind === 'connected' ? agentIds(agentIndex).contact : WAITING_CONTACT;
    const label = `${kind === 'connected' ? 'c' : 'w'}${this.chats.length + 1}`;
    let agent: Agent | undefined;
    if (kind === 'connected') {
      const userId = agentIds(agentIndex).userId;
      agent = { userId, token: await this.signIn(userId), attached: false, lastReattach: 0 };
      await this.attach(agent, undefined);
    }
    const res = await request(this.interactUrl(contact.id), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        key: contact.key,
        displayName: `Customer ${label}`,
        email: `${label}@durability.example`,
        consent: true,
      }),
    });
    if (res.status !== 201) throw new Error(`create chat answered ${res.status}: ${await res.text()}`);
    const created = await json<{ chatId: string; token: string }>(res);
    const chat: TrackedChat = {
      label,
      kind,
      contact,
      chatId: created.chatId,
      token: created.token,
      agent,
      acks: [],
      sent: new Set(),
      gone: false,
      floor: 0,
      found: { lost: new Set(), duplicated: new Set(), reordered: new Set(), seqChanged: new Set() },
    };
    if (agent) {
      const deadline = performance.now() + 10_000;
      while (!(await this.attach(agent, chat.chatId, false))) {
        if (performance.now() > deadline) throw new Error(`agent ${agent.userId} got no offer for chat ${chat.chatId}`);
        await sleep(50);
      }
    }
    this.chats.push(chat);
    return chat;
  }

  /** One message from one side; recorded when acknowledged. Returns false when the side should stop writing. */
  async post(chat: TrackedChat, side: Side, tally: Tally, probe = false): Promise<boolean> {
    const text = `${chat.label}-${side === 'customer' ? 'c' : 'a'}${++this.counter}-${probe ? 'probe-' : ''}${randomUUID().slice(0, 8)}`;
    chat.sent.add(text);
    const t0 = performance.now();
    let res: Response;
    try {
      res =
        side === 'customer'
          ? await request(this.interactUrl(chat.contact.id, `/${chat.chatId}/messages`), {
              method: 'POST',
              headers: { 'content-type': 'application/json', origin: ORIGIN, authorization: `Bearer ${chat.token}` },
              body: JSON.stringify({ text }),
            })
          : await this.tab('POST', `/me/sessions/${chat.chatId}/messages`, chat.agent!.token, { text });
    } catch {
      if (this.killing) tally.inFlight++;
      else tally.errors++;
      return false;
    }
    if (res.status >= 200 && res.status < 300) {
      const ms = performance.now() - t0;
      let seq: number | null = null;
      try {
        const body = await json<{ seq?: unknown }>(res);
        if (typeof body.seq === 'number') seq = body.seq;
      } catch {
        // Acknowledged; the body was cut off by the kill.
      }
      tally.latency.add(ms);
      tally.acknowledged++;
      chat.acks.push({ text, from: side, seq, cycle: this.cycle });
      if (seq !== null && seq <= chat.floor) tally.seqRegressions++;
      return true;
    }
    tally.refused++;
    const status = res.status;
    await res.arrayBuffer().catch(() => undefined);
    if (side === 'agent' && (status === 404 || status === 409)) {
      // The assignment went back with the restart: the agent takes the offer again if there is one.
      chat.agent!.attached = false;
      return false;
    }
    if (side === 'customer' && (status === 401 || status === 403 || status === 404)) return false;
    await sleep(20);
    return true;
  }

  /** Both sides of every chat write in a closed loop until `stop` says so. */
  async writeUntil(stop: () => boolean, tally: Tally): Promise<void> {
    const loops: Promise<void>[] = [];
    for (const chat of this.chats.filter((c) => !c.gone)) {
      loops.push(
        (async () => {
          while (!stop() && (await this.post(chat, 'customer', tally)));
        })(),
      );
      if (chat.agent) {
        const agent = chat.agent;
        loops.push(
          (async () => {
            while (!stop()) {
              if (!agent.attached) {
                if (performance.now() - agent.lastReattach < 500) {
                  await sleep(50);
                  continue;
                }
                try {
                  await this.attach(agent, chat.chatId);
                } catch {
                  if (this.killing) return;
                  tally.errors++;
                }
                continue;
              }
              if (!(await this.post(chat, 'agent', tally)) && (this.killing || agent.attached)) return;
            }
          })(),
        );
      }
    }
    await Promise.all(loops);
  }

  /**
   * A chat's whole log as its customer sees it. The stream is resumed from a position past the end, so
   * the server answers `reset` with the chat's last sequence number and then sends the whole log.
   */
  async readLog(
    chat: TrackedChat,
  ): Promise<
    { ok: true; events: { seq: number; kind: string; from?: string; text?: string }[] } | { ok: false; status: number }
  > {
    const controller = new AbortController();
    const overall = setTimeout(() => controller.abort(), 10_000);
    try {
      const res = await fetch(
        this.interactUrl(chat.contact.id, `/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`),
        {
          headers: { accept: 'text/event-stream', origin: ORIGIN, 'last-event-id': String(1_000_000_000) },
          signal: controller.signal,
        },
      );
      if (res.status !== 200 || !res.body) {
        await res.arrayBuffer().catch(() => undefined);
        return { ok: false, status: res.status };
      }
      const events: { seq: number; kind: string; from?: string; text?: string }[] = [];
      let lastSeq: number | null = null;
      let maxSeen = 0;
      let quiet: NodeJS.Timeout | undefined;
      const armQuiet = () => {
        clearTimeout(quiet);
        quiet = setTimeout(() => controller.abort(), 500);
      };
      armQuiet();
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          const taken = takeSseFrames(buffer + decoder.decode(chunk, { stream: true }));
          buffer = taken.rest;
          for (const { event, id, data } of taken.frames) {
            const parsed = JSON.parse(data) as { lastSeq?: number; from?: string; text?: string };
            if (event === 'reset') lastSeq = parsed.lastSeq ?? 0;
            else if (id !== null) {
              events.push({ seq: id, kind: event, from: parsed.from, text: parsed.text });
              maxSeen = Math.max(maxSeen, id);
            }
            armQuiet();
          }
          if (lastSeq !== null && maxSeen >= lastSeq) break;
        }
      } catch {
        // Aborted: quiet for a while after the last frame, or the overall limit.
      } finally {
        clearTimeout(quiet);
        controller.abort();
      }
      return { ok: true, events };
    } catch {
      return { ok: false, status: 0 };
    } finally {
      clearTimeout(overall);
    }
  }

  /** Compares every chat's log with what was acknowledged; counts what is newly found. Returns how many logs could not be read. */
  async verify(
    figures: Pick<CycleFigures, 'lost' | 'duplicated' | 'reordered' | 'seqChanged' | 'chatsLost'>,
  ): Promise<number> {
    const pending = this.chats.filter((c) => !c.gone);
    let unreadable = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(8, pending.length) }, async () => {
        for (let i = next++; i < pending.length; i = next++) {
          const chat = pending[i]!;
          const log = await this.readLog(chat);
          // A chat the store no longer has streams an empty log (every chat starts with a status event).
          if (!log.ok || log.events.length === 0) {
            if (log.ok || log.status === 401 || log.status === 403 || log.status === 404) {
              chat.gone = true;
              figures.chatsLost++;
              for (const ack of chat.acks) if (newly(chat.found.lost, ack.text)) figures.lost++;
            } else unreadable++;
            continue;
          }
          const positions = new Map<string, number[]>();
          const seqOf = new Map<string, number>();
          log.events.forEach((e, index) => {
            if (e.kind !== 'message' || e.text === undefined || !chat.sent.has(e.text)) return;
            positions.set(e.text, [...(positions.get(e.text) ?? []), index]);
            if (!seqOf.has(e.text)) seqOf.set(e.text, e.seq);
          });
          for (const [text, at] of positions)
            if (at.length > 1 && newly(chat.found.duplicated, text)) figures.duplicated++;
          const highest: Record<Side, number> = { customer: -1, agent: -1 };
          for (const ack of chat.acks) {
            const at = positions.get(ack.text)?.[0];
            if (at === undefined) {
              if (newly(chat.found.lost, ack.text)) figures.lost++;
              continue;
            }
            if (at < highest[ack.from]) {
              if (newly(chat.found.reordered, ack.text)) figures.reordered++;
            } else highest[ack.from] = at;
            if (ack.seq !== null && seqOf.get(ack.text) !== ack.seq && newly(chat.found.seqChanged, ack.text))
              figures.seqChanged++;
          }
        }
      }),
    );
    return unreadable;
  }
}

/** Opens this cycle's new chats: connected ones use agents `firstAgent`…, waiting ones the offline user. */
async function openChats(
  clients: Clients,
  connected: number,
  waiting: number,
  firstAgent: number,
  log: (line: string) => void,
): Promise<number> {
  let errors = 0;
  const open = async (kind: 'connected' | 'waiting', agentIndex: number) => {
    try {
      await clients.open(kind, agentIndex);
    } catch (err) {
      errors++;
      log(`could not open a ${kind} chat: ${(err as Error).message}`);
    }
  };
  for (let i = 0; i < connected; i++) await open('connected', firstAgent + i);
  for (let i = 0; i < waiting; i++) await open('waiting', 0);
  return errors;
}

async function crashLoop(
  options: DurabilityOptions,
  log: (line: string) => void,
): Promise<{ cycles: CycleFigures[]; errors: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-durability-'));
  const server = new ServerProcess(
    options.serverRoot,
    dataDir,
    await freePort(),
    options.journalOff ? { DATA_JOURNAL: 'false' } : {},
  );
  let errors = 0;
  const cycles: CycleFigures[] = [];
  try {
    await server.start();
    await seedTenant(server, dataDir, options.cycles * options.chats);
    // The tenant is saved by a graceful stop, so what the cycles measure is the chats, not the set-up.
    await server.stop();
    await server.start();
    const clients = new Clients(server);

    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      clients.cycle = cycle;
      errors += await openChats(clients, options.chats, options.waiting, (cycle - 1) * options.chats, log);
      const tally = newTally();
      const chatsWritten = clients.chats.filter((c) => !c.gone).length;

      // Writing, and the kill while requests are in flight (no new request starts once the kill is decided).
      const writing = clients.writeUntil(() => clients.killing, tally);
      await sleep(options.seconds * 1000);
      clients.killing = true;
      const killedAt = performance.now();
      await server.kill9();
      await writing;
      clients.killing = false;
      for (const chat of clients.chats) chat.floor = Math.max(chat.floor, ...chat.acks.map((a) => a.seq ?? 0));

      // The restart on the same data directory and port.
      await server.start();
      const restartMs = Math.round(performance.now() - killedAt);

      // Customers and agents come back: one probe message per side, then every log is read.
      for (const chat of clients.chats.filter((c) => !c.gone)) {
        if (chat.agent) {
          try {
            chat.agent.token = await clients.signIn(chat.agent.userId);
            if (!(await clients.attach(chat.agent, chat.chatId))) {
              await sleep(200);
              await clients.attach(chat.agent, chat.chatId);
            }
          } catch {
            tally.errors++;
          }
        }
        await clients.post(chat, 'customer', tally, true);
        if (chat.agent?.attached) await clients.post(chat, 'agent', tally, true);
      }
      const figures: CycleFigures = {
        cycle,
        chats: chatsWritten,
        acknowledged: tally.acknowledged,
        inFlightAtKill: tally.inFlight,
        refused: tally.refused,
        lost: 0,
        duplicated: 0,
        reordered: 0,
        seqRegressions: tally.seqRegressions,
        seqChanged: 0,
        chatsLost: 0,
        restartMs,
      };
      errors += tally.errors + (await clients.verify(figures));
      cycles.push(figures);
      log(
        `cycle ${cycle}: ${figures.chats} chats, ${figures.acknowledged} acknowledged, ${figures.lost} lost, ${figures.duplicated} duplicated, ${figures.reordered} reordered, ${figures.seqRegressions} seq regressions, restart ${restartMs} ms`,
      );
    }
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- server output ---\n${server.output().slice(-4000)}`);
  } finally {
    // Its data is thrown away: no graceful stop (which would wait for the clients' idle keep-alive connections).
    await server.kill9();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { cycles, errors };
}

/** Writing without crashes on a fresh data directory: acknowledged messages per second and POST latency. */
async function steady(
  configuration: string,
  env: Record<string, string>,
  options: DurabilityOptions,
  log: (line: string) => void,
): Promise<SteadyFigures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-durability-steady-'));
  const server = new ServerProcess(options.serverRoot, dataDir, await freePort(), env);
  try {
    await server.start();
    await seedTenant(server, dataDir, options.chats);
    const clients = new Clients(server);
    const openErrors = await openChats(clients, options.chats, options.waiting, 0, log);
    // Warm-up, then the measured window.
    let stop = false;
    const warm = newTally();
    const warming = clients.writeUntil(() => stop, warm);
    await sleep(Math.min(1000, options.steadySeconds * 500));
    stop = true;
    await warming;
    stop = false;
    const tally = newTally();
    const t0 = performance.now();
    const writing = clients.writeUntil(() => stop, tally);
    await sleep(options.steadySeconds * 1000);
    stop = true;
    await writing;
    const seconds = (performance.now() - t0) / 1000;
    const check = { lost: 0, duplicated: 0, reordered: 0, seqChanged: 0, chatsLost: 0 };
    const unreadable = await clients.verify(check);
    const figures: SteadyFigures = {
      configuration,
      env,
      seconds: Math.round(seconds * 10) / 10,
      acknowledged: tally.acknowledged,
      messagesPerSecond: Math.round((tally.acknowledged / seconds) * 10) / 10,
      postMs: tally.latency.summary(),
      missing: check.lost,
      refused: tally.refused + warm.refused,
      errors: tally.errors + warm.errors + openErrors + unreadable,
    };
    log(
      `steady (${configuration}): ${figures.messagesPerSecond} messages/s, POST p50 ${figures.postMs.p50} ms, p99 ${figures.postMs.p99} ms`,
    );
    return figures;
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- server output ---\n${server.output().slice(-4000)}`);
  } finally {
    await server.kill9();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runDurability(
  options: DurabilityOptions,
  log: (line: string) => void = console.log,
): Promise<DurabilityResult> {
  const started = performance.now();
  const loop = await crashLoop(options, log);
  const on = await steady('default', {}, options, log);
  const off = await steady('DATA_JOURNAL=false', { DATA_JOURNAL: 'false' }, options, log);
  const sum = (key: keyof Omit<CycleFigures, 'cycle' | 'restartMs'>) => loop.cycles.reduce((n, c) => n + c[key], 0);
  const restarts = new Samples();
  loop.cycles.forEach((c) => restarts.add(c.restartMs));
  const totals = {
    cycles: loop.cycles.length,
    chats: loop.cycles.at(-1)?.chats ?? 0,
    acknowledged: sum('acknowledged'),
    inFlightAtKill: sum('inFlightAtKill'),
    refused: sum('refused'),
    lost: sum('lost'),
    duplicated: sum('duplicated'),
    reordered: sum('reordered'),
    seqRegressions: sum('seqRegressions'),
    seqChanged: sum('seqChanged'),
    chatsLost: sum('chatsLost'),
    restartMsP50: restarts.percentile(50),
  };
  return {
    options,
    cycles: loop.cycles,
    totals,
    lostAcknowledgedWrites: totals.lost > 0,
    journal: {
      on,
      off,
      ratio: {
        messagesPerSecond: ratioOf(on.messagesPerSecond, off.messagesPerSecond),
        p50: ratio(on.postMs.p50, off.postMs.p50),
        p99: ratio(on.postMs.p99, off.postMs.p99),
      },
    },
    errors: loop.errors + on.errors + off.errors,
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

const ratioOf = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

export function formatDurability(r: DurabilityResult): string {
  const o = r.options;
  const t = r.totals;
  const row = (cells: (string | number | null)[]) =>
    `| ${cells.map((c) => (c === null ? '' : String(c))).join(' | ')} |`;
  const lines = [
    `Durability: ${o.cycles} cycles of ${o.seconds} s writing, then kill -9 and restart; ${o.chats} connected + ${o.waiting} waiting chats opened per cycle and kept; ${r.durationSeconds} s`,
    `server: ${o.serverRoot === ROOT ? 'this checkout' : o.serverRoot}, crash loop with ${o.journalOff ? 'DATA_JOURNAL=false' : 'the default configuration'}`,
    '',
    row([
      'cycle',
      'chats',
      'acknowledged',
      'in flight at kill',
      'lost',
      'duplicated',
      'reordered',
      'seq regressions',
      'seq changed',
      'chats lost',
      'restart (ms)',
    ]),
    row(Array(11).fill('---')),
    ...r.cycles.map((c) =>
      row([
        c.cycle,
        c.chats,
        c.acknowledged,
        c.inFlightAtKill,
        c.lost,
        c.duplicated,
        c.reordered,
        c.seqRegressions,
        c.seqChanged,
        c.chatsLost,
        c.restartMs,
      ]),
    ),
    row([
      `total (${t.cycles})`,
      t.chats,
      t.acknowledged,
      t.inFlightAtKill,
      t.lost,
      t.duplicated,
      t.reordered,
      t.seqRegressions,
      t.seqChanged,
      t.chatsLost,
      t.restartMsP50 === null ? null : `p50 ${t.restartMsP50}`,
    ]),
    '',
  ];
  if (r.lostAcknowledgedWrites) {
    const bar = '!'.repeat(72);
    lines.push(
      bar,
      `!!! LOST ACKNOWLEDGED WRITES: ${t.lost} of ${t.acknowledged} acknowledged messages are not in the logs after kill -9${t.chatsLost > 0 ? ` (${t.chatsLost} chats gone entirely)` : ''}`,
      bar,
      '',
    );
  } else lines.push(`No acknowledged write lost (${t.acknowledged} acknowledged, ${t.cycles} kills).`, '');
  const j = r.journal;
  lines.push(
    `Journal cost: steady writing without crashes, ${o.chats} connected + ${o.waiting} waiting chats, ${o.steadySeconds} s each, fresh data directory each`,
    '',
    row([
      'configuration',
      'acknowledged messages/s',
      'POST p50 (ms)',
      'POST p99 (ms)',
      'acknowledged',
      'missing at end',
    ]),
    row(Array(6).fill('---')),
    row([
      j.on.configuration,
      j.on.messagesPerSecond,
      j.on.postMs.p50,
      j.on.postMs.p99,
      j.on.acknowledged,
      j.on.missing,
    ]),
    row([
      j.off.configuration,
      j.off.messagesPerSecond,
      j.off.postMs.p50,
      j.off.postMs.p99,
      j.off.acknowledged,
      j.off.missing,
    ]),
    row(['default ÷ DATA_JOURNAL=false', j.ratio.messagesPerSecond, j.ratio.p50, j.ratio.p99, null, null]),
    '',
    `refused ${t.refused} (crash loop), errors ${r.errors}`,
  );
  return lines.join('\n');
}

function parseFlags(argv: string[]): DurabilityOptions {
  const options = { ...(argv.includes('--quick') ? quickDurabilityOptions : defaultDurabilityOptions) };
  const names: Record<
    string,
    { key: 'cycles' | 'chats' | 'waiting' | 'seconds' | 'steadySeconds'; min: number; max: number; integer: boolean }
  > = {
    '--cycles': { key: 'cycles', min: 1, max: 100, integer: true },
    '--chats': { key: 'chats', min: 0, max: 50, integer: true },
    '--waiting': { key: 'waiting', min: 0, max: 50, integer: true },
    '--seconds': { key: 'seconds', min: 0.2, max: 120, integer: false },
    '--steady-seconds': { key: 'steadySeconds', min: 0.5, max: 300, integer: false },
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') continue;
    if (argv[i] === '--journal-off') {
      options.journalOff = true;
      continue;
    }
    if (argv[i] === '--server-root') {
      const dir = path.resolve(argv[++i] ?? '');
      if (!existsSync(path.join(dir, 'bot/src/main.ts')))
        throw new Error(`--server-root takes a checkout with bot/src/main.ts; ${dir} has none`);
      options.serverRoot = dir;
      continue;
    }
    const flag = names[argv[i]!];
    if (!flag)
      throw new Error(
        `unknown flag ${argv[i]}; use --cycles --chats --waiting --seconds --steady-seconds --journal-off --server-root --quick`,
      );
    const value = Number(argv[++i]);
    if (!Number.isFinite(value) || (flag.integer && !Number.isInteger(value)) || value < flag.min || value > flag.max)
      throw new Error(`${argv[i - 1]} takes a ${flag.integer ? 'whole ' : ''}number from ${flag.min} to ${flag.max}`);
    options[flag.key] = value;
  }
  if (options.chats + options.waiting === 0) throw new Error('--chats and --waiting cannot both be 0');
  return options;
}

if (require.main === module) {
  let options: DurabilityOptions;
  try {
    options = parseFlags(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  runDurability(options)
    .then((result) => {
      const dir = path.join(ROOT, 'bench-results');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `durability-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`\n${formatDurability(result)}\n\nwritten to ${path.relative(ROOT, file)}`);
      // A measurement: lost writes are reported, not a failure of the bench.
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
