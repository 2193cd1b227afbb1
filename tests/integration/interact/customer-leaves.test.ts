import { ManualClock } from '../../../bot/src/services/routing';
import { timerIds } from '../../../bot/src/store/partition-keys';
import { ALLOWED, interactKit } from '../../helpers/interact';
import { eventually } from '../../helpers/process';
import { type SseStream, openSse } from '../../helpers/sse';
import { type Agent, type ConnectorCall, type Setup, cardText, teamsTestApp } from '../teams/harness';

// The leave grace (15 s) and the away time (two minutes) pass when a test moves this clock.
const clock = new ManualClock(Date.now());
const teams = teamsTestApp({ clock });
const kit = interactKit(() => teams.app);

type Chat = { chatId: string; token: string };
const SHOP = 'https://shop.example.com';

/** What the widget's `pagehide` beacon sends: a form with the visitor token, from the page's origin. */
const beacon = (contactId: string, chat: Chat, origin = SHOP, token = chat.token) =>
  fetch(`${teams.app.baseUrl}/interact/v1/beacons/contacts/${contactId}/chats/${chat.chatId}/leave`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', origin },
    body: new URLSearchParams({ token }).toString(),
  });

const opened: SseStream[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
/** The widget's event stream of the chat: the customer is on the page. */
async function customerStream(s: Setup, chat: Chat): Promise<SseStream> {
  const stream = await openSse(
    `${teams.app.baseUrl}/interact/v1/contacts/${s.contactId}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
    { origin: SHOP },
  );
  expect(stream.status).toBe(200);
  opened.push(stream);
  await stream.next();
  return stream;
}

const awayTimer = (tenantId: string, chatId: string) =>
  teams.app.store.timers.find(timerIds.customerAway(tenantId, chatId));
const chatOf = (tenantId: string, chatId: string) => teams.app.chats.get(tenantId, chatId);
const ended = (tenantId: string, chatId: string) =>
  eventually(() => chatOf(tenantId, chatId).then((c) => (c?.state === 'ended' ? c : undefined)));
const offerOf = (agent: Agent) => teams.offerOf(agent);
const updatesOf = (agent: Agent, card: ConnectorCall) => teams.updatesOf(agent, card);

describe('a website customer who closes the page while queued', () => {
  it('is gone after the leave grace: the task ends "customer left" and the ringing offer says "The customer left"', async () => {
    const { s, alex } = await teams.alexReady();
    const chat = await teams.caseyChat(s, 'Hello');
    const stream = await customerStream(s, chat);
    const offer = await offerOf(alex);

    // The tab closes: the page's beacon, then its stream goes.
    expect((await beacon(s.contactId, chat)).status).toBe(204);
    stream.close();
    const timer = await eventually(() => awayTimer(s.tenantId, chat.chatId));
    // The stream closing after the beacon does not push the short grace back to the away time.
    await teams.app.routing.idle();
    expect((await awayTimer(s.tenantId, chat.chatId))?.dueAt).toBe(timer.dueAt);
    expect(timer.dueAt).toBeLessThanOrEqual(clock.now() + 15_000);
    expect((await chatOf(s.tenantId, chat.chatId))?.state).toBe('open');

    clock.advance(16_000);
    const chatEnded = await ended(s.tenantId, chat.chatId);
    expect(chatEnded.endedBy).toBe('customer');
    const report = await eventually(() =>
      teams.app.store.repos.taskReports.find(s.tenantId, chatEnded.task!.id, chatEnded.task!.queue),
    );
    expect(report.outcome).toBe('customer-left-in-queue');
    const [update] = await eventually(() => (updatesOf(alex, offer).length > 0 ? updatesOf(alex, offer) : undefined));
    expect(cardText(update!)).toContain('The customer left');
    expect(cardText(update!)).not.toContain('Accept');
  });

  it('keeps the chat when the page was reloaded: a new stream within the grace cancels the leave', async () => {
    const { s, alex } = await teams.alexReady();
    const chat = await teams.caseyChat(s, 'Hello');
    const first = await customerStream(s, chat);
    const offer = await offerOf(alex);

    expect((await beacon(s.contactId, chat)).status).toBe(204);
    first.close();
    await eventually(() => awayTimer(s.tenantId, chat.chatId));
    await customerStream(s, chat);
    await eventually(async () => ((await awayTimer(s.tenantId, chat.chatId)) === undefined ? true : undefined));

    clock.advance(16_000);
    await teams.app.routing.idle();
    expect((await chatOf(s.tenantId, chat.chatId))?.state).toBe('open');
    expect(updatesOf(alex, offer)).toEqual([]);
    expect((await teams.customerPost(s, chat, 'messages', { text: 'still here' })).status).toBe(201);
  });

  it('is gone after the away time even if the page never opened its stream', async () => {
    const s = await teams.setupTenant(['Alex Wilber']);
    const chat = await teams.caseyChat(s, 'Hello');
    await eventually(() => awayTimer(s.tenantId, chat.chatId));
    expect((await chatOf(s.tenantId, chat.chatId))?.state).toBe('open');
    clock.advance(121_000);
    expect((await ended(s.tenantId, chat.chatId)).endedBy).toBe('customer');
  });
});

describe('the leave beacon is a widget call like the others', () => {
  it('needs the chat’s visitor token, a form with it, and an allowed page origin', async () => {
    const s = await kit.setup();
    const chat = await kit.startChat(s);
    const other = await kit.startChat(s);
    expect((await beacon(s.contactId, chat, ALLOWED, other.token)).status).toBe(401);
    expect((await beacon(s.contactId, chat, ALLOWED, 'v1.forged')).status).toBe(401);
    const noToken = await fetch(
      `${teams.app.baseUrl}/interact/v1/beacons/contacts/${s.contactId}/chats/${chat.chatId}/leave`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ALLOWED },
        body: 'x=1',
      },
    );
    expect(noToken.status).toBe(400);
    const refused = await beacon(s.contactId, chat, 'https://elsewhere.example');
    expect(refused.status).toBe(403);
    expect(await kit.errorCode(refused)).toBe('origin-not-allowed');
    // None of them marked the customer as leaving: the chat's timer is the one set when it started.
    const timer = await awayTimer(s.tenantId, chat.chatId);
    expect(timer!.dueAt).toBeGreaterThan(clock.now() + 60_000);

    expect((await beacon(s.contactId, chat, ALLOWED)).status).toBe(204);
    await eventually(async () =>
      ((await awayTimer(s.tenantId, chat.chatId))?.dueAt ?? Infinity) <= clock.now() + 15_000 ? true : undefined,
    );
  });
});
