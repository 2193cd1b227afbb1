/// <reference lib="dom" />
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import type { ChatEvent } from '../../bot/src/core/model';
import { chatEventId } from '../../bot/src/core/model';
import { chatScope } from '../../bot/src/store/partition-keys';
import { DEMO_TENANT_ID, demoIds } from '../../bot/src/services/demo-tenant';
import { startTestApp } from '../helpers/app';
import { openForAll } from '../helpers/hooks';
import { acceptAsAlex, websiteContact } from '../helpers/interact';
import { installTeamsAppAt } from '../helpers/teams-install';
import { launchBrowser, screenshotPath, startHostSite } from '../helpers/browser';
import { eventually, startServerProcess, stopServerProcesses } from '../helpers/process';
import { withoutStoreFields } from '../helpers/store';
import { fillWidgetForm, hostPage, widgetChatId } from '../helpers/widget-page';

jest.setTimeout(120_000);

let browser: Browser;
openForAll(async () => (browser = await launchBrowser()));

const RECONNECTING = 'Connection lost. Reconnecting…';

/** The texts of the messages the widget shows, in order (notices of the widget itself are not messages). */
const shownMessages = (page: Page) =>
  page.evaluate(() =>
    Array.from(
      document.querySelector('[data-interact-widget]')?.shadowRoot?.querySelectorAll('.log .message .text') ?? [],
      (n) => n.textContent ?? '',
    ),
  );

/** What the customer's transcript must be: the log's messages meant for them, in order. */
const customerMessages = (events: { kind: string; audience?: string; text?: string }[]) =>
  events.filter((e) => e.kind === 'message' && (e.audience ?? 'all') === 'all').map((e) => e.text!);

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Whether anything the server keeps in its data dir mentions `text` (snapshot or whatever else it writes there). */
function dataDirMentions(dataDir: string, text: string): boolean {
  for (const name of readdirSync(dataDir)) {
    const file = path.join(dataDir, name);
    try {
      if (statSync(file).isFile() && readFileSync(file, 'utf8').includes(text)) return true;
    } catch {
      // Being replaced right now (written to a temporary file, then renamed): look again next time.
    }
  }
  return false;
}

describe('the widget when the server goes away and comes back', () => {
  afterEach(stopServerProcesses);

  it('shows "Reconnecting…" while the server is down, then resumes: new messages appear once, earlier ones are not repeated', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cc-widget-restart-'));
    const port = String(await freePort());
    const env = { DATA_DIR: dataDir, PORT: port, DATA_SAVE_INTERVAL_SECONDS: '1' };
    let server = await startServerProcess(env);
    const base = new URL(server.urls.Health!).origin;

    // The agent works through the tab's API with the local dev sign-in (its key is kept in the store).
    const signIn = await fetch(`${base}/api/v1/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: DEMO_TENANT_ID, userId: demoIds.agents[0] }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const agent = async <T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${base}/api/v1${apiPath}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${apiPath} answered ${res.status}: ${await res.text()}`);
      return (res.status === 204 ? undefined : await res.json()) as T;
    };
    await installTeamsAppAt(base, DEMO_TENANT_ID, demoIds.agents[0]);
    await agent('PUT', '/me/presence', { presence: 'available' });

    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await page.goto(server.urls['Widget preview (Service B)']!);
      await fillWidgetForm(page, 'My parcel is late');
      const offer = await eventually(
        async () => (await agent<{ offers: { taskId: string }[] }>('GET', '/me/sessions')).offers[0],
        15_000,
      );
      const { chatId } = await agent<{ chatId: string }>('POST', `/me/offers/${offer.taskId}/accept`);
      const contactId = new URL(server.urls['Widget preview (Service B)']!).pathname.split('/').pop()!;
      expect(chatId).toBe(await widgetChatId(page, contactId));
      await page.getByText('Connected with Alex.').waitFor();
      await agent('POST', `/me/sessions/${chatId}/messages`, { text: 'Before the restart' });
      await page.getByText('Before the restart').waitFor();
      expect(await page.getByText(RECONNECTING).isVisible()).toBe(false);
      // Saved to the data dir before the process goes (saves run every second while something changed).
      await eventually(() => dataDirMentions(dataDir, 'Before the restart') || undefined, 15_000);

      // Marks what is rendered now: a resumed stream that merely resends its checkpoint must leave it in place.
      const marked = await page.evaluate(() => {
        const items = document.querySelector('[data-interact-widget]')?.shadowRoot?.querySelectorAll('.log > li') ?? [];
        items.forEach((li) => li.setAttribute('data-before-restart', ''));
        return items.length;
      });
      // Its open event streams hold up a graceful stop (the process then exits after its shutdown timeout);
      // either way the data saved above is what the next process starts from.
      server.proc.kill('SIGTERM');
      await server.exited;
      await page.getByText(RECONNECTING).waitFor({ timeout: 15_000 });
      await page.screenshot({ path: screenshotPath('widget-reconnecting') });

      server = await startServerProcess(env);
      expect(new URL(server.urls.Health!).origin).toBe(base);
      await page.getByText(RECONNECTING).waitFor({ state: 'hidden', timeout: 30_000 });
      await agent('POST', `/me/sessions/${chatId}/messages`, { text: 'After the restart' });
      await page.getByText('After the restart').waitFor();
      // The checkpoint (the event it had last) came again and was skipped: the transcript was not rebuilt.
      const kept = await page.evaluate(() =>
        Array.from(
          document
            .querySelector('[data-interact-widget]')
            ?.shadowRoot?.querySelectorAll('.log > li[data-before-restart] .text') ?? [],
          (n) => n.textContent,
        ),
      );
      expect(kept).toHaveLength(marked);
      expect(kept).toContain('Before the restart');

      const log = await agent<{ events: { kind: string; audience?: string; text?: string }[] }>(
        'GET',
        `/me/sessions/${chatId}/events?after=0`,
      );
      const expected = customerMessages(log.events);
      expect(
        expected.filter((t) => t === 'Before the restart' || t === 'After the restart' || t === 'My parcel is late'),
      ).toEqual(['My parcel is late', 'Before the restart', 'After the restart']);
      await eventually(async () => ((await shownMessages(page)).length >= expected.length ? true : undefined));
      expect(await shownMessages(page)).toEqual(expected);
      await page.screenshot({ path: screenshotPath('widget-reconnected') });
    } finally {
      await page.close();
    }
  });
});

describe('the widget when the log changed under it (in-process server)', () => {
  let app: App;
  openForAll(async () => (app = await startTestApp({ DEMO_TENANT: 'false' })));

  const contactFor = (allowedOrigin: string) => websiteContact(app, allowedOrigin);

  /** A customer connected to Alex, with Alex's messages shown in the widget; the last of them is the log's last event. */
  async function chatWithMessages(page: Page, texts: string[]) {
    const host = await startHostSite();
    const contact = await contactFor(host.origin);
    host.setPage(hostPage(contact.snippet));
    await page.goto(host.url);
    await fillWidgetForm(page, 'My parcel is late');
    const chatId = await widgetChatId(page, contact.contactId);
    await acceptAsAlex(app, contact.tenantId, chatId);
    await page.getByText('Connected with Alex Wilber.').waitFor();
    for (const text of texts) await app.chats.postMessage(contact.tenantId, chatId, 'agent', 'Alex Wilber', text);
    await page.getByText(texts.at(-1)!, { exact: true }).waitFor();
    await app.routing.idle();
    const events = await app.chats.eventsAfter(contact.tenantId, chatId, 0);
    expect(events.at(-1)).toMatchObject({ kind: 'message', text: texts.at(-1) });
    expect(await shownMessages(page)).toEqual(customerMessages(events));
    return { ...contact, chatId, events, host };
  }

  /** Drops every connection of the server, as a restart or a proxy would: the widget has to reconnect by itself. */
  const dropConnections = () => app.server.server.closeAllConnections();

  type Chat = Awaited<ReturnType<typeof chatWithMessages>>;

  /** `steps` on a new page with a chat as `chatWithMessages` leaves it; the page and the site are closed after. */
  async function withChat(texts: string[], steps: (page: Page, c: Chat) => Promise<void>): Promise<void> {
    const page = await browser.newPage();
    let host: { close(): Promise<void> } | undefined;
    try {
      const c = await chatWithMessages(page, texts);
      host = c.host;
      await steps(page, c);
    } finally {
      await page.close();
      await host?.close();
    }
  }

  /** The agent writes again: the message is shown, and the transcript is the log's. */
  async function showsNextMessage(page: Page, c: Chat, text: string): Promise<void> {
    await app.chats.postMessage(c.tenantId, c.chatId, 'agent', 'Alex Wilber', text);
    await page.getByText(text, { exact: true }).waitFor();
    expect(await shownMessages(page)).toEqual(customerMessages(await app.chats.eventsAfter(c.tenantId, c.chatId, 0)));
  }

  it('reloads the transcript when the event it resumes after has different content now', () =>
    withChat(['one', 'two', 'three'], async (page, c) => {
      const last = c.events.at(-1)! as Extract<ChatEvent, { kind: 'message' }>;
      // The store now says something else for that event (restored from another copy, say).
      await app.store.repos.chatEvents.upsert({ ...withoutStoreFields(last), text: 'three, corrected' });
      dropConnections();

      await page.getByText('three, corrected', { exact: true }).waitFor({ timeout: 15_000 });
      const events = await app.chats.eventsAfter(c.tenantId, c.chatId, 0);
      expect(await shownMessages(page)).toEqual(customerMessages(events));
      expect(await shownMessages(page)).not.toContain('three');
      await page.getByText(RECONNECTING).waitFor({ state: 'hidden' });

      // Live again: the next message is shown once.
      await showsNextMessage(page, c, 'four');
      await page.screenshot({ path: screenshotPath('widget-log-changed-reloaded') });
    }));

  it('starts over on "reset" when the log is shorter than what it showed', () =>
    withChat(['one', 'two', 'three', 'four'], async (page, c) => {
      // The log loses its last two events (an older copy of the store), so the widget is ahead of it.
      for (const e of c.events.slice(-2))
        expect(
          await app.store.repos.chatEvents.delete(c.tenantId, chatEventId(e.seq), { scope: chatScope(c.chatId) }),
        ).toBe(true);
      await app.chats.update(c.tenantId, c.chatId, (chat) => ({
        ...withoutStoreFields(chat),
        lastSeq: chat.lastSeq - 2,
      }));
      dropConnections();

      await page.getByText('four', { exact: true }).waitFor({ state: 'detached', timeout: 15_000 });
      const events = await app.chats.eventsAfter(c.tenantId, c.chatId, 0);
      expect(customerMessages(events).slice(-2)).toEqual(['one', 'two']);
      await eventually(async () =>
        (await shownMessages(page)).length === customerMessages(events).length ? true : undefined,
      );
      expect(await shownMessages(page)).toEqual(customerMessages(events));

      // The next event takes a sequence number the widget had seen before the reset: it is shown, once.
      await showsNextMessage(page, c, 'five');
      await page.screenshot({ path: screenshotPath('widget-log-reset') });
    }));
});
