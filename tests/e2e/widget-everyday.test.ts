/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { defaultImWorkflow } from '../../bot/src/core/workflow/default-im-workflow';
import { timerIds } from '../../bot/src/store/partition-keys';
import { startTestApp } from '../helpers/app';
import { officeHours } from '../helpers/fixtures';
import { openForAll } from '../helpers/hooks';
import { acceptAsAlex, websiteContact } from '../helpers/interact';
import { launchBrowser, screenshotPath, startHostSite } from '../helpers/browser';
import { eventually } from '../helpers/process';
import { withoutStoreFields } from '../helpers/store';
import { fillWidgetForm, hostPage, widgetChatId } from '../helpers/widget-page';

jest.setTimeout(60_000);

let app: App;
let browser: Browser;
openForAll(async () => ([app, browser] = await Promise.all([startTestApp({ DEMO_TENANT: 'false' }), launchBrowser()])));

/** `steps` on a new page of a site whose whitelist allows it, with the widget's snippet of a new contact. */
async function onSite(
  steps: (page: Page, contact: Awaited<ReturnType<typeof websiteContact>>) => Promise<void>,
): Promise<void> {
  const host = await startHostSite();
  const contact = await websiteContact(app, host.origin);
  host.setPage(hostPage(contact.snippet));
  const page = await browser.newPage();
  try {
    await page.goto(host.url);
    await steps(page, contact);
  } finally {
    await page.close();
    await host.close();
  }
}

/** The texts of the messages the widget shows, in order. */
const shownMessages = (page: Page) =>
  page.evaluate(() =>
    Array.from(
      document.querySelector('[data-interact-widget]')?.shadowRoot?.querySelectorAll('.log .message .text') ?? [],
      (n) => n.textContent ?? '',
    ),
  );

/** Runs `fn` in the widget's shadow root. */
const inWidget = <T>(page: Page, fn: (root: ShadowRoot) => T): Promise<T> =>
  page.evaluate((source) => {
    const root = document.querySelector('[data-interact-widget]')!.shadowRoot!;
    return (new Function('root', `return (${source})(root);`) as (r: ShadowRoot) => T)(root);
  }, fn.toString());

/** Whether the newest line of the transcript is in view (the log is scrolled to its end). */
const atEnd = (page: Page) =>
  inWidget(page, (root) => {
    const log = root.querySelector('.log') as HTMLElement;
    return log.scrollHeight > log.clientHeight && log.scrollTop + log.clientHeight >= log.scrollHeight - 1;
  });

const awayTimer = (tenantId: string, chatId: string) => app.store.timers.find(timerIds.customerAway(tenantId, chatId));

describe('the widget through a chat', () => {
  it('after a reload shows the whole transcript and the true state: connected mid-chat, ended after the end', () =>
    onSite(async (page, contact) => {
      await fillWidgetForm(page, 'My parcel is late');
      const chatId = await widgetChatId(page, contact.contactId);
      await acceptAsAlex(app, contact.tenantId, chatId);
      await page.getByText('Connected with Alex Wilber.').waitFor();
      await app.chats.postMessage(contact.tenantId, chatId, 'agent', 'Alex Wilber', 'Let me check.');
      await page.getByText('Let me check.').waitFor();

      await page.reload();
      await page.getByText('Connected with Alex Wilber.').waitFor();
      await page.getByText('Let me check.').waitFor();
      expect(await shownMessages(page)).toEqual(['My parcel is late', 'Let me check.']);
      // The reload's beacon did not end the chat: the new stream cancelled the leave.
      await eventually(async () => ((await awayTimer(contact.tenantId, chatId)) === undefined ? true : undefined));
      expect((await app.chats.get(contact.tenantId, chatId))?.state).toBe('open');

      await page.getByRole('button', { name: 'End chat' }).click();
      await page.getByText('The chat has ended.').waitFor();
      await page.reload();
      await page.getByText('The chat has ended.').waitFor();
      expect(await shownMessages(page)).toEqual(['My parcel is late', 'Let me check.']);
      await page.getByRole('button', { name: 'Start a new chat' }).waitFor();
      await page.screenshot({ path: screenshotPath('widget-ended-after-reload') });
    }));

  it('tells the server when the customer leaves the page, so a queued chat ends soon', () =>
    onSite(async (page, contact) => {
      await fillWidgetForm(page, 'Anyone there?');
      await page.getByText(/you are number 1 in line/).waitFor();
      const chatId = await widgetChatId(page, contact.contactId);
      const before = Date.now();
      await page.goto('about:blank');
      // The beacon brought the end forward to the short leave grace (the away time alone is two minutes).
      const timer = await eventually(async () => {
        const t = await awayTimer(contact.tenantId, chatId);
        return t && t.dueAt <= before + 60_000 ? t : undefined;
      });
      expect(timer.dueAt).toBeGreaterThan(before);
    }));

  it('shows times, sets system messages apart, keeps the newest in view, counts unread messages while closed, and ends with "Start a new chat"', () =>
    onSite(async (page, contact) => {
      await fillWidgetForm(page, 'My parcel is late');
      const chatId = await widgetChatId(page, contact.contactId);
      await app.chats.postMessage(contact.tenantId, chatId, 'system', 'Support', 'You are number 1 in the queue.');
      await acceptAsAlex(app, contact.tenantId, chatId);
      await app.chats.postMessage(contact.tenantId, chatId, 'agent', 'Alex Wilber', 'Hello Casey.');
      await page.getByText('Hello Casey.').waitFor();

      // Each message carries its time.
      const events = await app.chats.eventsAfter(contact.tenantId, chatId, 0);
      const hello = events.find((e) => e.kind === 'message' && e.text === 'Hello Casey.')!;
      const shown = await inWidget(page, (root) =>
        Array.from(root.querySelectorAll('.log .message'), (m) => ({
          text: m.querySelector('.text')?.textContent,
          author: m.querySelector('.author')?.textContent ?? null,
          time: m.querySelector('time')?.getAttribute('datetime') ?? null,
          look: `${getComputedStyle(m).backgroundColor} ${getComputedStyle(m).borderStyle} ${getComputedStyle(m).fontStyle}`,
        })),
      );
      expect(shown.find((m) => m.text === 'Hello Casey.')).toMatchObject({
        author: 'Alex Wilber',
        time: new Date(hello.at).toISOString(),
      });
      expect(shown.every((m) => m.time !== null)).toBe(true);
      // The service's own message has no author line and another look than the agent's.
      const system = shown.find((m) => m.text === 'You are number 1 in the queue.')!;
      expect(system.author).toBeNull();
      expect(system.look).not.toBe(shown.find((m) => m.text === 'Hello Casey.')!.look);

      // Closed, the launcher counts what the agent writes.
      await page.getByRole('button', { name: 'Minimize chat' }).click();
      for (const text of ['Found it.', 'It arrives tomorrow.'])
        await app.chats.postMessage(contact.tenantId, chatId, 'agent', 'Alex Wilber', text);
      const launcher = page.getByRole('button', { name: /Open chat/ });
      await page.getByRole('button', { name: 'Open chat. 2 new messages' }).waitFor();
      expect(await inWidget(page, (root) => root.querySelector('.badge')?.textContent)).toBe('2');
      await page.screenshot({ path: screenshotPath('widget-unread-badge') });
      await launcher.click();
      expect(await inWidget(page, (root) => (root.querySelector('.badge') as HTMLElement).hidden)).toBe(true);
      await page.getByRole('button', { name: 'Open chat', exact: true }).waitFor({ state: 'attached' });

      // A long conversation: the newest message is in view, the last one too.
      for (let i = 1; i <= 25; i++)
        await app.chats.postMessage(contact.tenantId, chatId, 'agent', 'Alex Wilber', `Line ${i}`);
      await page.getByText('Line 25', { exact: true }).waitFor();
      expect(await atEnd(page)).toBe(true);

      await page.getByRole('button', { name: 'End chat' }).click();
      await page.getByText('The chat has ended.').waitFor();
      await page.getByRole('button', { name: 'Start a new chat' }).waitFor();
      expect(await page.getByLabel('Your message').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'End chat' }).count()).toBe(0);
      expect(await atEnd(page)).toBe(true);
      await page.screenshot({ path: screenshotPath('widget-ended') });

      await page.getByRole('button', { name: 'Start a new chat' }).click();
      await page.getByRole('button', { name: 'Start chat' }).waitFor();
    }));
});

describe('the widget before the form', () => {
  it('says on the launcher and in the panel that the contact is closed, with the next opening', () =>
    onSite(async (page, contact) => {
      // Open only tomorrow, 08:00-18:00 in Zurich: closed now, whatever the hour.
      const tomorrow = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'Europe/Zurich' })
        .format(new Date(Date.now() + 24 * 3600_000))
        .toLowerCase() as 'mon';
      await app.store.repos.calendars.create(
        officeHours(contact.tenantId, 'cal', { weekly: [{ day: tomorrow, ranges: [{ from: '08:00', to: '18:00' }] }] }),
      );
      await app.store.repos.workflow.workflows.create(
        defaultImWorkflow({ id: 'wf', tenantId: contact.tenantId, unitId: 'unit-1', calendarId: 'cal' }),
      );
      const service = await app.store.repos.services.get(contact.tenantId, 'svc');
      await app.store.repos.services.upsert({
        ...withoutStoreFields(service),
        im: { ...service.im, workflowId: 'wf' },
      });
      const config = (await (
        await fetch(`${app.baseUrl}/interact/v1/contacts/${contact.contactId}?key=${contact.key}`, {
          headers: { origin: new URL(page.url()).origin },
        })
      ).json()) as { availability: { state: string; nextOpeningAt: number } };
      expect(config.availability.state).toBe('closed');

      await page.reload();
      // Before anyone opens it, the launcher says so.
      const launcher = page.getByRole('button', { name: 'Open chat. We are closed right now.' });
      await launcher.waitFor();
      await launcher.click();
      await page.getByText('We are closed right now.').waitFor();
      const next = await inWidget(page, (root) => root.querySelector('.next-opening time')?.getAttribute('datetime'));
      expect(next).toBe(new Date(config.availability.nextOpeningAt).toISOString());
      await page.getByText(/^We open again /).waitFor();
      expect(await page.getByRole('button', { name: 'Start chat' }).count()).toBe(0);
      expect(await page.getByLabel('Your name').count()).toBe(0);
      await page.screenshot({ path: screenshotPath('widget-closed') });
    }));

  it("links the form's consent to the contact's own privacy policy, not the organization's", () =>
    onSite(async (page, contact) => {
      const service = await app.store.repos.services.get(contact.tenantId, 'svc');
      await app.store.repos.services.upsert({
        ...withoutStoreFields(service),
        interact: { ...service.interact, privacyPolicyUrl: 'https://shop.example/our-privacy' },
      });
      await page.reload();
      await page.getByRole('button', { name: 'Open chat' }).click();
      const link = page.getByRole('link', { name: 'privacy policy' });
      expect(await link.getAttribute('href')).toBe('https://shop.example/our-privacy');
    }));

  it('shows the server’s reason on a site outside the whitelist, before the form', async () => {
    const contact = await websiteContact(app, 'https://shop.example.com');
    const host = await startHostSite(hostPage(contact.snippet));
    const page = await browser.newPage();
    try {
      await page.goto(host.url);
      const reason = 'This website is not allowed to contact us through this widget.';
      await page.getByRole('button', { name: `Open chat. ${reason}` }).click();
      await page.getByText(reason).waitFor();
      expect(await page.getByRole('button', { name: 'Start chat' }).count()).toBe(0);
    } finally {
      await page.close();
      await host.close();
    }
  });
});
