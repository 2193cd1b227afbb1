import type { App } from '../../../bot/src/app';
import { ManualClock } from '../../../bot/src/services/routing';
import { timerIds } from '../../../bot/src/store/partition-keys';
import { roomyInteractLimits, startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';
import { ALLOWED, interactKit } from '../../helpers/interact';
import { eventually } from '../../helpers/process';
import { type SseStream, openSse } from '../../helpers/sse';

let app: App;
// The away time (two minutes) passes when a test moves this clock.
const clock = new ManualClock(Date.now());
openForAll(
  async () =>
    (app = await startTestApp(
      { DEMO_TENANT: 'false' },
      {
        clock,
        streams: { heartbeatMs: 100, limits: { perChat: 3, perOwner: 5 } },
        interact: roomyInteractLimits(6000, { burst: 50, perMinute: 60 }),
      },
    )),
);

const { setup, startChat, streamUrl, post } = interactKit(() => app);
const opened: SseStream[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
const open = async (url: string) => {
  const stream = await openSse(url, { origin: ALLOWED });
  opened.push(stream);
  return stream;
};
const awayTimer = (tenantId: string, chatId: string) => app.store.timers.find(timerIds.customerAway(tenantId, chatId));

describe('event stream caps', () => {
  it('allows a few streams per chat token and refuses the next with 429', async () => {
    const s = await setup();
    const chat = await startChat(s);
    for (let i = 0; i < 3; i++) expect((await open(streamUrl(s, chat))).status).toBe(200);
    const refused = await fetch(streamUrl(s, chat), { headers: { origin: ALLOWED } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await refused.json()).toEqual({
      error: { code: 'too-many-streams', message: expect.stringContaining('too many open connections') },
    });
    // Closing one makes room again.
    opened.shift()!.close();
    await eventually(async () => ((await open(streamUrl(s, chat))).status === 200 ? true : undefined));
  });

  it('caps the streams of one client address across chats', async () => {
    const s = await setup();
    const chats = await Promise.all([1, 2, 3].map(() => startChat(s)));
    const statuses: number[] = [];
    for (const chat of chats) for (let i = 0; i < 2; i++) statuses.push((await open(streamUrl(s, chat))).status);
    // Five per address in this app: the sixth is refused although its chat has room.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('a customer who leaves without ending the chat', () => {
  it('ends the chat as "customer left" once no stream has been open for the configured time', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const stream = await open(streamUrl(s, chat));
    await eventually(() => app.chats.get(s.tenantId, chat.chatId).then((c) => (c?.task ? c : undefined)));
    stream.close();
    await eventually(() => awayTimer(s.tenantId, chat.chatId));
    expect((await app.chats.get(s.tenantId, chat.chatId))?.state).toBe('open');
    clock.advance(121_000);
    const ended = await eventually(() =>
      app.chats.get(s.tenantId, chat.chatId).then((c) => (c?.state === 'ended' ? c : undefined)),
    );
    expect(ended.endedBy).toBe('customer');
    const report = await eventually(() =>
      app.store.repos.taskReports.find(s.tenantId, ended.task!.id, ended.task!.queue),
    );
    expect(report.outcome).toMatch(/^customer-left/);
    // The fired timer is removed once its handler is done.
    await eventually(async () => ((await awayTimer(s.tenantId, chat.chatId)) === undefined ? true : undefined));
  });

  it('keeps the chat when the customer reconnects (a reload) before the time is up', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const first = await open(streamUrl(s, chat));
    await first.next();
    first.close();
    await eventually(() => awayTimer(s.tenantId, chat.chatId));
    await open(streamUrl(s, chat));
    // The reconnect removed the timer: nothing is left that could end the chat.
    await eventually(async () => ((await awayTimer(s.tenantId, chat.chatId)) === undefined ? true : undefined));
    expect((await post(s, chat, 'messages', { text: 'still here' })).status).toBe(201);
    expect((await app.chats.get(s.tenantId, chat.chatId))?.state).toBe('open');
  });

  it('sets no timer when the stream closes because the chat ended', async () => {
    const s = await setup();
    const chat = await startChat(s);
    const stream = await open(streamUrl(s, chat));
    expect((await post(s, chat, 'end', {})).status).toBe(200);
    await stream.ended;
    expect(await awayTimer(s.tenantId, chat.chatId)).toBeUndefined();
  });
});
