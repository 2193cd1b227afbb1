import { randomUUID } from 'node:crypto';
import type { App } from '../../../bot/src/app';
import type { EmbeddedCosmos } from '../../../bot/src/store/embedded';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import { eventually } from '../../helpers/process';
import { ALLOWED, type Setup, type StartedChat, interactKit } from '../../helpers/interact';
import { type SseStream, collectChat, openSse } from '../../helpers/sse';
import { startTestCosmos } from '../../helpers/store';
import { user } from '../../helpers/fixtures';
import { devSignIn, tabCall } from '../../helpers/tab-calls';
import type { Dashboard } from '../../../bot/src/contracts';

jest.setTimeout(60_000);

/**
 * Three app instances on one Cosmos (one embedded server, one database), each reading the change feed
 * every 50 ms: a customer's chat events stream from any instance, whichever instance stored them.
 * The heartbeat is long (60 s), so only the feed can carry them in time.
 */
let cosmos: EmbeddedCosmos;
const apps: App[] = [];

beforeAll(async () => {
  cosmos = await startTestCosmos();
  const database = `fanout-${randomUUID().slice(0, 8)}`;
  const env = {
    DEMO_TENANT: 'false',
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: cosmos.key,
    COSMOS_DATABASE: database,
    CHANGE_FEED_POLL_MS: '50',
    // Long enough that only the feed can make another instance's change seen in the test's time.
    STORE_CACHE_SECONDS: '300',
  };
  // One after another: the first creates the database and containers.
  for (let i = 0; i < 3; i++)
    apps.push(await startTestApp(env, { streams: { heartbeatMs: 60_000 }, interact: roomyInteractLimits() }));
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await cosmos.stop();
});

const kits = () => apps.map((_, i) => interactKit(() => apps[i]!));

const collect = (stream: SseStream) => collectChat(stream, 30_000);

async function openOn(i: number, s: Setup, chat: StartedChat): Promise<SseStream> {
  const stream = await openSse(kits()[i]!.streamUrl(s, chat), { origin: ALLOWED });
  expect(stream.status).toBe(200);
  return stream;
}

describe('change-feed fan-out across three instances', () => {
  it('every message, posted to any instance, reaches the streams on every instance once and in order', async () => {
    const [kitA] = kits();
    const s = await kitA!.setup();
    const chat = await kitA!.startChat(s);
    const streams = await Promise.all([0, 1, 2].map((i) => openOn(i, s, chat)));
    const collected = streams.map(collect);
    const texts: string[] = [];
    for (let n = 0; n < 30; n++) {
      const on = n % 3;
      const text = `message ${n} via ${'ABC'[on]}`;
      texts.push(text);
      if (n % 5 === 4) await apps[on]!.chats.postMessage(s.tenantId, chat.chatId, 'agent', 'Alex', text);
      else expect((await kits()[on]!.post(s, chat, 'messages', { text })).status).toBe(201);
    }
    for (const c of collected) {
      await eventually(() => texts.every((t) => c.messages.some((m) => m.text === t)) || undefined, 10_000);
      expect(c.duplicates).toEqual([]);
      const seqs = c.messages.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(c.messages.filter((m) => texts.includes(m.text)).map((m) => m.text)).toEqual(texts);
    }
    for (const st of streams) st.close();
    // Every instance read the feed and found the others' documents.
    for (const app of apps) expect(app.fanout?.reader.stats.documents).toBeGreaterThan(0);
  });

  it("a supervisor's dashboard on one instance hears of a chat queued on another within the feed's poll", async () => {
    const [kitA] = kits();
    const s = await kitA!.setup({ service: { supervisorUserIds: ['sue'] } });
    await apps[0]!.store.repos.users.create(user(s.tenantId, 'sue', { displayName: 'Sue Supervisor' }));
    const sue = await devSignIn(apps[2]!, s.tenantId, 'sue');
    const board = await openSse(`${apps[2]!.baseUrl}/api/v1/supervision/stream`, { authorization: `Bearer ${sue}` });
    expect(board.status).toBe(200);
    const chat = await kitA!.startChat(s);
    // The dashboard stream's heartbeat is 15 s: a notice within 5 s came through the change feed.
    const started = Date.now();
    await board.until((e) => e.event === 'changed' && !e.data.includes('heartbeat'), 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    const res = await tabCall(apps[2]!, 'GET', '/supervision/dashboard', sue);
    const dashboard = (await res.json()) as Dashboard;
    const waiting = [...dashboard.services[0]!.queue, ...dashboard.services[0]!.connected].map((t) => t.chatId);
    expect(waiting).toContain(chat.chatId);
    board.close();
  });

  it('an instance that stops mid-chat loses nothing for the others', async () => {
    const [kitA, kitB] = kits();
    const s = await kitA!.setup();
    const chat = await kitA!.startChat(s);
    const onA = collect(await openOn(0, s, chat));
    const onB = collect(await openOn(1, s, chat));
    const texts: string[] = [];
    const send = async (kit: typeof kitA, n: number) => {
      const text = `survivor ${n}`;
      texts.push(text);
      expect((await kit!.post(s, chat, 'messages', { text })).status).toBe(201);
    };
    for (let n = 0; n < 5; n++) await send(n % 2 ? kitB : kitA, n);
    // The third instance goes away (as a scale-in or a crash of its process would); the others go on.
    const stopped = apps.pop()!;
    await stopped.close();
    for (let n = 5; n < 15; n++) await send(n % 2 ? kitB : kitA, n);
    for (const c of [onA, onB]) {
      await eventually(() => texts.every((t) => c.messages.some((m) => m.text === t)) || undefined, 10_000);
      expect(c.duplicates).toEqual([]);
    }
  });

  it("another instance's configuration change drops the cached copy at once, not after the cache's lifetime", async () => {
    const [kitA] = kits();
    const s = await kitA!.setup();
    const [a, b] = apps;
    // B reads the service (now cached there), then A renames it.
    expect((await b!.store.repos.services.get(s.tenantId, s.serviceId)).name).not.toBe('Renamed on A');
    await a!.store.repos.services.update(s.tenantId, s.serviceId, (svc) => ({ ...svc, name: 'Renamed on A' }));
    await eventually(
      async () => (await b!.store.repos.services.get(s.tenantId, s.serviceId)).name === 'Renamed on A' || undefined,
      3_000,
    );
  });
});
