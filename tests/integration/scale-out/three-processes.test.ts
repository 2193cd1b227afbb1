import { randomUUID } from 'node:crypto';
import { TEAMS_CONVERSATION_LIMITS } from '../../../bot/src/core/relay';
import { type Store, openStore } from '../../../bot/src/store';
import type { EmbeddedCosmos } from '../../../bot/src/store/embedded';
import {
  type ReceivedActivity,
  acceptActivity,
  activityText,
  agentActivity,
  cardActions,
  startConnectorStandIn,
} from '../../../scripts/bench/teams-standin';
import { distribution, user } from '../../helpers/fixtures';
import { ALLOWED, type Setup, type StartedChat, interactKit } from '../../helpers/interact';
import { type ServerProcess, eventually, startServerProcess, stopServerProcesses } from '../../helpers/process';
import { collectChat, openSse } from '../../helpers/sse';
import { startTestCosmos } from '../../helpers/store';

jest.setTimeout(240_000);

/**
 * Three server processes on one Cosmos (an embedded server in this process, one database), as three
 * App Service instances would run: customers and agents on different instances, one instance killed
 * with SIGKILL mid-run, and the Teams sends of all three to one agent conversation counted by a
 * stand-in Bot Connector on loopback.
 */
let cosmos: EmbeddedCosmos;
let store: Store;
let standIn: Awaited<ReturnType<typeof startConnectorStandIn>>;
const received: ReceivedActivity[] = [];
const servers: ServerProcess[] = [];
let bases: string[] = [];

const AGENTS = [
  { userId: 'agent-1', name: 'Agent One', instance: 1 },
  { userId: 'agent-2', name: 'Agent Two', instance: 2 },
];

beforeAll(async () => {
  cosmos = await startTestCosmos();
  standIn = await startConnectorStandIn((r) => received.push(r));
  const database = `three-${randomUUID().slice(0, 8)}`;
  store = await openStore({ kind: 'cosmos', endpoint: cosmos.endpoint, key: cosmos.key, database });
  const env = {
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: cosmos.key,
    COSMOS_DATABASE: database,
    DEMO_TENANT: 'false',
    CHANGE_FEED_POLL_MS: '100',
    INSTANCE_RENEW_MS: '500',
    INTERACT_RATE_LIMIT_SCALE: '1000',
  };
  // The first alone (it sends at once), then the two others, which join its share of the Teams limits.
  servers.push(await startServerProcess(env, 60_000));
  servers.push(...(await Promise.all([startServerProcess(env, 60_000), startServerProcess(env, 60_000)])));
  bases = servers.map((s) => s.urls.Health!.replace(/\/healthz$/, ''));
});
afterAll(async () => {
  await stopServerProcesses();
  await store?.close();
  await standIn?.close();
  await cosmos?.stop();
});

const kit = (i: number) => interactKit(() => ({ store, baseUrl: bases[i]! }));

const conversationOf = (a: (typeof AGENTS)[number], tenantId: string) => `a:conv-${a.userId}-${tenantId}`;

const agentOn = (a: (typeof AGENTS)[number], tenantId: string) => ({
  tenantId,
  userId: a.userId,
  name: a.name,
  // Each test's tenant has its own conversations, so what the connector received is told apart by test.
  conversationId: conversationOf(a, tenantId),
  serviceUrl: `${standIn.url}/`,
});

async function postActivity(instance: number, activity: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${bases[instance]}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  if (res.status >= 300) throw new Error(`activity answered ${res.status}: ${await res.text()}`);
}

/** A tenant whose website service has both agents, each installed and Available through its own instance. */
async function tenantWithAgents(): Promise<Setup> {
  const s = await kit(0).setup({
    tenant: {
      licenses: {
        contactCenter: { total: 1, assignees: ['svc-web'] },
        interactService: { total: 1, assignees: ['svc-web'] },
        imModality: { total: 2, assignees: AGENTS.map((a) => a.userId) },
      },
    },
    service: {
      members: AGENTS.map((a) => ({ userId: a.userId, active: true })),
      distribution: distribution({ maxConcurrentChatsPerUser: 1 }),
    },
  });
  await store.repos.users.create(user(s.tenantId, 'agent-2'));
  for (const a of AGENTS) {
    const agent = agentOn(a, s.tenantId);
    await postActivity(a.instance, agentActivity(agent, { type: 'installationUpdate', action: 'add' }));
    await postActivity(a.instance, agentActivity(agent, { type: 'message', text: 'status available' }));
  }
  return s;
}

async function openStream(instance: number, s: Setup, chat: StartedChat) {
  const stream = await openSse(kit(instance).streamUrl(s, chat), { origin: ALLOWED });
  expect(stream.status).toBe(200);
  return { stream, seen: collectChat(stream) };
}

/** The offer card for the customer named `name`, wherever it went; accepted by its agent through that agent's instance. */
async function acceptOffer(s: Setup, marker: string): Promise<(typeof AGENTS)[number]> {
  const card = await eventually(
    () =>
      received.find(
        (r) =>
          r.method === 'POST' &&
          r.conversationId.endsWith(s.tenantId) &&
          activityText(r.activity).includes(marker) &&
          cardActions(r.activity).some((a) => a.verb === 'offer.accept'),
      ),
    60_000,
  );
  const a = AGENTS.find((x) => conversationOf(x, s.tenantId) === card.conversationId)!;
  await postActivity(a.instance, acceptActivity(agentOn(a, s.tenantId), card));
  return a;
}

/** The most sends inside any window of `windowMs` (sliding, half-open). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('three server processes on one Cosmos', () => {
  it('keeps the sends of the instances together within the Teams limits of one agent conversation', async () => {
    const s = await tenantWithAgents();
    const chat = await kit(0).startChat(s);
    const agent = await acceptOffer(s, 'Casey Customer');
    const live = [0, 1, 2];
    const texts = Array.from({ length: 30 }, (_, n) => `burst-msg-${n}`);
    // A burst: every message at once, spread over the live instances.
    await Promise.all(
      texts.map(async (text, n) => {
        expect((await kit(live[n % live.length]!).post(s, chat, 'messages', { text })).status).toBe(201);
      }),
    );
    await eventually(
      () =>
        texts.every((t) =>
          received.some(
            (r) => r.conversationId === conversationOf(agent, s.tenantId) && activityText(r.activity).includes(t),
          ),
        ) || undefined,
      120_000,
    );
    // Every send to the conversation counts (offer card, its update, the messages), at the connector.
    const times = received.filter((r) => r.conversationId === conversationOf(agent, s.tenantId)).map((r) => r.at);
    expect(times.length).toBeGreaterThanOrEqual(texts.length);
    const busiest = TEAMS_CONVERSATION_LIMITS.map((w) => ({ ...w, busiest: busiestWindow(times, w.windowMs) }));
    for (const w of busiest) expect(w.busiest).toBeLessThanOrEqual(w.limit);
    // The burst was held back by the limits, not too small to reach them: the chat's relaying instance
    // filled its share of the 2 s window (floor(8 / 3) = 2) at times.
    expect(busiest.find((w) => w.windowMs === 2_000)!.busiest).toBeGreaterThanOrEqual(2);
  });

  it('relays every message to every stream and to Teams in order, and loses nothing when the relaying one is killed', async () => {
    const s = await tenantWithAgents();
    // The customer starts on the first instance; their page has streams open on all three.
    const chat = await kit(0).startChat(s);
    const streams = await Promise.all([0, 1, 2].map((i) => openStream(i, s, chat)));
    const agent = await acceptOffer(s, 'Casey Customer');
    await eventually(() => streams.every((x) => x.seen.states.includes('connected')) || undefined, 30_000);
    // The agent's instance took the accept, so it relays the chat to Teams: that is the one to kill.
    const doomed = agent.instance;
    const survivors = [0, 1, 2].filter((i) => i !== doomed);

    const customerTexts: string[] = [];
    const allTexts: string[] = [];
    const customerSays = async (n: number, via: number) => {
      const c = `c-msg-${n}`;
      customerTexts.push(c);
      allTexts.push(c);
      expect((await kit(via).post(s, chat, 'messages', { text: c })).status).toBe(201);
    };
    const round = async (n: number, instances: number[]) => {
      // The customer's message through one instance, the agent's answer through another.
      await customerSays(n, instances[n % instances.length]!);
      const reply = `a-msg-${n}`;
      allTexts.push(reply);
      const agentVia = instances[(n + 1) % instances.length]!;
      await postActivity(agentVia, agentActivity(agentOn(agent, s.tenantId), { type: 'message', text: reply }));
    };
    for (let n = 0; n < 9; n++) await round(n, [0, 1, 2]);
    // A message stored by the relaying instance, which dies without warning before it can be sure to
    // have sent it; Teams and the customer carry on with the other two.
    await customerSays(9, doomed);
    servers[doomed]!.proc.kill('SIGKILL');
    await servers[doomed]!.exited;
    for (let n = 10; n < 19; n++) await round(n, survivors);

    for (const i of survivors) {
      const x = streams[i]!;
      await eventually(() => allTexts.every((t) => x.seen.messages.some((m) => m.text === t)) || undefined, 60_000);
      expect(x.seen.duplicates).toEqual([]);
      const ours = x.seen.messages.filter((m) => allTexts.includes(m.text));
      // In order: the order they were stored in, which is the order they were sent in.
      expect(ours.map((m) => m.text)).toEqual(allTexts);
      expect(ours.map((m) => m.seq)).toEqual([...ours.map((m) => m.seq)].sort((a, b) => a - b));
    }
    // The killed instance's stream saw, in order, what was sent before it died.
    const killed = streams[doomed]!.seen.messages.filter((m) => allTexts.includes(m.text)).map((m) => m.text);
    expect(killed).toEqual(allTexts.slice(0, killed.length));
    // Teams got every customer message in order, whichever instance took it, also the one stored by the
    // killed relay (a survivor took the chat over). Only a message sent in the instant before the kill,
    // and not yet marked as sent, may come twice.
    const relayed = () =>
      received
        .filter((r) => r.conversationId === conversationOf(agent, s.tenantId) && r.method === 'POST')
        .map((r) => /c-msg-\d+/.exec(activityText(r.activity))?.[0])
        .filter((t): t is string => t !== undefined);
    await eventually(() => customerTexts.every((t) => relayed().includes(t)) || undefined, 60_000);
    const firsts = relayed().filter((t, n, all) => all.indexOf(t) === n);
    expect(firsts).toEqual(customerTexts);
    expect(relayed().length - firsts.length).toBeLessThanOrEqual(1);
    for (const x of streams) x.stream.close();
  });
});
