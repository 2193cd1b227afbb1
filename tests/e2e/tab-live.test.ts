/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { roomyInteractLimits, startTestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, withPage as withBrowserPage } from '../helpers/browser';
import { user } from '../helpers/fixtures';
import { openForAll } from '../helpers/hooks';
import { acceptAsAlex, websiteContact } from '../helpers/interact';
import { openSse } from '../helpers/sse';
import { signInToTab, websiteCustomer } from '../helpers/tab-page';

jest.setTimeout(90_000);

let app: App;
let browser: Browser;
openForAll(
  async () =>
    ([app, browser] = await Promise.all([
      startTestApp({ DEMO_TENANT: 'false' }, { interact: roomyInteractLimits() }),
      launchBrowser(),
    ])),
);

const ORIGIN = 'https://shop.example.com';

/** Support has Alex Wilber as its (available) agent, reachable from ORIGIN; Sue Supervisor supervises it. */
async function setup() {
  const { tenantId, contactId, key } = await websiteContact(app, ORIGIN, { name: 'Fabrikam' });
  const { repos } = app.store;
  await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Fabrikam', parentId: null });
  await repos.users.create(user(tenantId, 'sue', { displayName: 'Sue Supervisor' }));
  await repos.services.update(tenantId, 'svc', (s) => ({ ...s, supervisorUserIds: ['sue'] }));
  return { tenantId, contactId, ...websiteCustomer(app, { contactId, key, origin: ORIGIN }) };
}

const withPage = (name: string, steps: (page: Page) => Promise<void>) => withBrowserPage(browser, name, steps);

describe('the Live page', () => {
  it('shows a supervisor a chat arrive and connect live, and lets them whisper, write and take it over', async () => {
    const s = await setup();
    await withPage('live-supervisor', async (page) => {
      await signInToTab(app, page, s.tenantId, 'Sue Supervisor');
      const stream = page.waitForRequest((r) => r.url().endsWith('/api/v1/supervision/stream'));
      await page.getByRole('tab', { name: 'Live' }).click();
      await page.getByRole('heading', { name: 'Live', level: 1 }).waitFor();
      await stream;
      const support = page.getByRole('region', { name: 'Support' });
      await support.getByText('No one is waiting.').waitFor();
      await support.getByRole('table', { name: 'Agents in Support' }).getByText('Alex Wilber').waitFor();
      // A mark on the page: it must still be there when the chat shows, so no reload brought it.
      await page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));

      const chat = await s.startChat('My parcel is late');
      const waiting = support.getByRole('table', { name: 'Waiting in Support' });
      await waiting.getByText('Casey Customer').waitFor();
      await waiting.getByText('Ringing: Alex Wilber').waitFor();
      await support.getByRole('listitem', { name: 'Waiting: 1' }).waitFor();
      await support
        .getByRole('table', { name: 'Agents in Support' })
        .getByText(/^Ringing/)
        .waitFor();
      expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
      await page.screenshot({ path: screenshotPath('live-waiting'), fullPage: true });

      await acceptAsAlex(app, s.tenantId, chat.chatId);
      const connected = support.getByRole('table', { name: 'Connected in Support' });
      await connected.getByText('Casey Customer').waitFor();
      await support.getByText('No one is waiting.').waitFor();
      await support.getByRole('table', { name: 'Agents in Support' }).getByText('In 1 of 3 chats').waitFor();
      expect(await page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
      await page.screenshot({ path: screenshotPath('live-dashboard'), fullPage: true });

      await connected.getByRole('button', { name: 'Supervise chat with Casey Customer' }).click();
      await page.getByRole('heading', { name: 'Casey Customer', level: 1 }).waitFor();
      const log = page.getByRole('log', { name: 'Conversation with Casey Customer' });
      await log.getByText('My parcel is late').waitFor();

      const customer = await openSse(
        `${app.baseUrl}/interact/v1/contacts/${s.contactId}/chats/${chat.chatId}/events?token=${encodeURIComponent(chat.token)}`,
        { origin: ORIGIN },
      );
      const message = page.getByRole('textbox', { name: 'Your message' });
      await message.fill('Offer the 10 % voucher');
      await page.getByRole('button', { name: 'Whisper to agent' }).click();
      const whisper = log.getByRole('listitem').filter({ hasText: 'Offer the 10 % voucher' });
      await whisper.getByText('Whisper (agent only)').waitFor();
      await expect(message.inputValue()).resolves.toBe('');

      await message.fill('Sorry for the wait, Alex is on it.');
      await page.getByRole('button', { name: 'Write to customer' }).click();
      const bargeIn = log.getByRole('listitem').filter({ hasText: 'Sorry for the wait, Alex is on it.' });
      await bargeIn.getByText('Supervisor to customer').waitFor();
      await expect(whisper.getByText('Supervisor to customer').count()).resolves.toBe(0);

      // The customer reads the barge-in, never the whisper; the store keeps the whisper for the agent only.
      const seen = await customer.until((e) => e.event === 'message' && e.data.includes('Sorry for the wait'));
      expect(seen.some((e) => e.data.includes('voucher'))).toBe(false);
      customer.close();
      const stored = (await app.chats.eventsAfter(s.tenantId, chat.chatId, 0)).filter((e) => e.kind === 'message');
      expect(stored.find((e) => e.text === 'Offer the 10 % voucher')).toMatchObject({ audience: 'agent' });
      await page.screenshot({ path: screenshotPath('live-supervise-chat'), fullPage: true });

      await page.getByRole('button', { name: 'Take over' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Take over' }).click();
      await page.getByText('The chat is yours now').waitFor();
      await expect(page.getByRole('button', { name: 'Whisper to agent' }).count()).resolves.toBe(0);
      expect((await app.chats.get(s.tenantId, chat.chatId))?.agent?.userId).toBe('sue');
      await page.screenshot({ path: screenshotPath('live-taken-over'), fullPage: true });
      await page.getByRole('button', { name: 'Open in My Sessions' }).click();
      await page.getByRole('tab', { name: 'My Sessions', selected: true }).waitFor();
    });
  });

  it('shows no Live tab to an agent who supervises nothing', async () => {
    const s = await setup();
    await withPage('live-agent', async (page) => {
      await signInToTab(app, page, s.tenantId, 'Alex Wilber');
      await expect(page.getByRole('tab', { name: 'Live' }).count()).resolves.toBe(0);
      // A link to the dashboard takes an agent to My Sessions (the API answers them 403 anyway).
      await page.goto(`${app.baseUrl}/tab/?tenant=${encodeURIComponent(s.tenantId)}#/live`);
      await page.getByRole('tab', { name: 'My Sessions', selected: true }).waitFor();
    });
  });
});
