/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { type ChatEvent, chatEventId } from '../../bot/src/core/model';
import { chatScope } from '../../bot/src/store/partition-keys';
import { startTestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, watchErrors } from '../helpers/browser';
import { openForAll } from '../helpers/hooks';
import { signInToTab, websiteCustomer } from '../helpers/tab-page';
import { websiteContact } from '../helpers/interact';
import { eventually } from '../helpers/process';
import { withoutStoreFields } from '../helpers/store';

jest.setTimeout(90_000);

let app: App;
let browser: Browser;
openForAll(async () => ([app, browser] = await Promise.all([startTestApp({ DEMO_TENANT: 'false' }), launchBrowser()])));

const ORIGIN = 'https://shop.example.com';
const RECONNECTING = /^Reconnecting…/;

/** A tenant whose service Support has Alex Wilber as its only (available) agent, reachable from ORIGIN. */
async function setup() {
  const { tenantId, contactId, key } = await websiteContact(app, ORIGIN, { name: 'Fabrikam', privacyPolicyUrl: null });
  await app.store.repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Fabrikam', parentId: null });
  return { tenantId, ...websiteCustomer(app, { contactId, key, origin: ORIGIN }) };
}

const signIn = (page: Page, tenantId: string, name: string) => signInToTab(app, page, tenantId, name);

/** The live chat as shown: one item per event, and the text of each message. */
const shown = (page: Page) =>
  page.getByRole('log').evaluate((log) => {
    const items = Array.from(log.querySelectorAll(':scope > li:not([aria-hidden])'));
    return {
      items: items.length,
      messages: items.filter((li) => li.children.length === 2).map((li) => li.lastElementChild?.textContent ?? ''),
    };
  });

const expectedOf = (events: ChatEvent[]) => ({
  items: events.length,
  messages: events.filter((e) => e.kind === 'message').map((e) => e.text),
});

/** Stops and restarts the app's listener on the same port: while it is down, nothing connects. */
function listener() {
  const http = app.server.server;
  const { port } = http.address() as AddressInfo;
  return {
    down: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
    up: () =>
      new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, app.config.http.host, () => {
          http.off('error', reject);
          resolve();
        });
      }),
    /** Drops every open connection (a restart, a proxy): the tab has to reconnect by itself. */
    drop: () => http.closeAllConnections(),
  };
}

describe('My Sessions live chat when the connection or the log changes', () => {
  it('shows "Reconnecting…" while the server is away, skips the resent checkpoint, reloads a changed log and starts over on reset', async () => {
    const s = await setup();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const server = listener();
    try {
      await signIn(page, s.tenantId, 'Alex Wilber');
      const customer = await s.startChat('My parcel is late');
      await page.getByRole('button', { name: 'Accept chat with Casey Customer' }).click();
      await page.getByRole('heading', { name: 'Casey Customer' }).waitFor();
      await page.getByRole('log').getByText('My parcel is late').waitFor();
      await customer.say('It was due on Monday');
      await page.getByRole('log').getByText('It was due on Monday').waitFor();
      await app.routing.idle();
      const log = () => app.chats.eventsAfter(s.tenantId, customer.chatId, 0);
      const matchesLog = async () => {
        const expected = expectedOf(await log());
        await eventually(async () => ((await shown(page)).items === expected.items ? true : undefined));
        expect(await shown(page)).toEqual(expected);
      };
      await matchesLog();

      // 1. The server goes away: the pane says so; back again, it resumes where it was.
      const marked = await page.getByRole('log').evaluate((ol) => {
        const items = ol.querySelectorAll(':scope > li:not([aria-hidden])');
        items.forEach((li) => li.setAttribute('data-before', ''));
        return items.length;
      });
      await server.down();
      await page.getByText(RECONNECTING).waitFor({ timeout: 15_000 });
      await page.screenshot({ path: screenshotPath('tab-chat-reconnecting') });
      await server.up();
      await page.getByText(RECONNECTING).waitFor({ state: 'hidden', timeout: 20_000 });
      await customer.say('Are you there?');
      await page.getByRole('log').getByText('Are you there?').waitFor();
      await matchesLog();
      // The event it had last came again as the checkpoint and was skipped: nothing was rendered anew.
      expect(await page.getByRole('log').evaluate((ol) => ol.querySelectorAll(':scope > li[data-before]').length)).toBe(
        marked,
      );

      // 2. The log changed under the tab (the store was restored from another copy): the pane reloads it.
      const last = (await log()).at(-1)! as Extract<ChatEvent, { kind: 'message' }>;
      expect(last).toMatchObject({ kind: 'message', text: 'Are you there?' });
      await app.store.repos.chatEvents.upsert({ ...withoutStoreFields(last), text: 'Are you still there?' });
      server.drop();
      await page.getByRole('log').getByText('Are you still there?').waitFor({ timeout: 15_000 });
      expect(await page.getByRole('log').getByText('Are you there?', { exact: true }).count()).toBe(0);
      await matchesLog();
      await page.screenshot({ path: screenshotPath('tab-chat-log-reloaded') });

      // 3. The log is now shorter than what the tab showed: "reset", and the pane shows the log as it is.
      const before = await log();
      for (const e of before.slice(-2))
        expect(
          await app.store.repos.chatEvents.delete(s.tenantId, chatEventId(e.seq), {
            scope: chatScope(customer.chatId),
          }),
        ).toBe(true);
      await app.chats.update(s.tenantId, customer.chatId, (chat) => ({
        ...withoutStoreFields(chat),
        lastSeq: chat.lastSeq - 2,
      }));
      server.drop();
      await page.getByRole('log').getByText('Are you still there?').waitFor({ state: 'detached', timeout: 15_000 });
      await matchesLog();

      // Live afterwards: the agent's next message takes a sequence number the pane had seen before; shown once.
      await page.getByLabel('Message to Casey Customer').fill('Let me check that parcel.');
      await page.keyboard.press('Enter');
      await page.getByRole('log').getByText('Let me check that parcel.').waitFor();
      await eventually(async () =>
        (await log()).some((e) => e.kind === 'message' && e.text === 'Let me check that parcel.') ? true : undefined,
      );
      await matchesLog();
      expect(await page.getByRole('log').getByText('Let me check that parcel.').count()).toBe(1);
      await page.screenshot({ path: screenshotPath('tab-chat-log-reset') });
      expect(errors).toEqual([]);
    } catch (err) {
      await page.screenshot({ path: screenshotPath('tab-chat-reconnect-failure') });
      throw err;
    } finally {
      await context.close();
    }
  });
});
