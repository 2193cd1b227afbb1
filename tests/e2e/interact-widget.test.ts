/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { serviceQueueScope } from '../../bot/src/store/partition-keys';
import { startTestApp } from '../helpers/app';
import { openForAll } from '../helpers/hooks';
import { acceptAsAlex, websiteContact } from '../helpers/interact';
import { launchBrowser, screenshotPath, startHostSite } from '../helpers/browser';
import { eventually } from '../helpers/process';
import { fillWidgetForm, hostPage, widgetChatId } from '../helpers/widget-page';

jest.setTimeout(60_000);

let app: App;
let browser: Browser;
openForAll(async () => ([app, browser] = await Promise.all([startTestApp({ DEMO_TENANT: 'false' }), launchBrowser()])));

const contactFor = (allowedOrigin: string) => websiteContact(app, allowedOrigin);

describe('the Interact widget in a browser', () => {
  it('on an allowed site: the customer fills the form, is connected to the agent and they exchange messages', async () => {
    const host = await startHostSite();
    const contact = await contactFor(host.origin);
    host.setPage(hostPage(contact.snippet));
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await page.goto(host.url);
      // Client-side validation first: nothing is sent without consent.
      await page.getByRole('button', { name: 'Open chat' }).click();
      await page.getByRole('button', { name: 'Start chat' }).click();
      await page.getByText('Please enter your name.').waitFor();
      await page.getByText('Please accept the privacy policy.').waitFor();
      await page.screenshot({ path: screenshotPath('widget-form-errors') });
      await page.getByRole('button', { name: 'Minimize chat' }).click();

      await fillWidgetForm(page, 'My parcel is late');
      await page.getByText(/you are number 1 in line/).waitFor();
      await page.screenshot({ path: screenshotPath('widget-waiting') });

      const chatId = await widgetChatId(page, contact.contactId);
      await acceptAsAlex(app, contact.tenantId, chatId);
      await page.getByText('Connected with Alex Wilber.').waitFor();

      await app.chats.postMessage(
        contact.tenantId,
        chatId,
        'agent',
        'Alex Wilber',
        'Hi Casey, let me check that parcel.',
      );
      await page.getByText('Hi Casey, let me check that parcel.').waitFor();
      await page.getByLabel('Your message').fill('Thank you!');
      await page.keyboard.press('Enter');
      await eventually(
        async () =>
          (await app.chats.eventsAfter(contact.tenantId, chatId, 0)).some(
            (e) => e.kind === 'message' && e.text === 'Thank you!',
          ) || undefined,
      );
      await page.getByText('Thank you!').waitFor();
      await page.screenshot({ path: screenshotPath('widget-conversation') });

      await page.getByRole('button', { name: 'End chat' }).click();
      await page.getByText('The chat has ended.').waitFor();
      expect((await app.chats.get(contact.tenantId, chatId))?.state).toBe('ended');
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('on our own preview page of a restricted contact: the chat starts (same-origin requests carry no Origin)', async () => {
    const contact = await contactFor('https://shop.example.com');
    const service = await app.store.repos.services.get(contact.tenantId, 'svc');
    const page = await browser.newPage();
    try {
      await page.goto(`${app.baseUrl}/interact/preview/${contact.contactId}?key=${service.interact.widgetKey}`);
      await page.getByText('Interact preview: Support').waitFor();
      await fillWidgetForm(page, 'Testing the preview');
      await page.getByText(/you are number 1 in line/).waitFor();
      await page.screenshot({ path: screenshotPath('widget-preview-page') });
      const chats = await eventually(async () => {
        const tasks = await app.store.repos.tasks.query(contact.tenantId, {}, serviceQueueScope('svc'));
        return tasks.length === 1 ? tasks : undefined;
      });
      expect(chats[0]).toMatchObject({
        channel: 'interact',
        firstMessage: 'Testing the preview',
        customer: { displayName: 'Casey Customer' },
      });
    } finally {
      await page.close();
    }
  });

  it('on a site outside the whitelist: no chat can start, the customer sees "not available"', async () => {
    const contact = await contactFor('https://shop.example.com');
    const host = await startHostSite(hostPage(contact.snippet));
    const page = await browser.newPage();
    try {
      await page.goto(host.url);
      await page.getByRole('button', { name: 'Open chat' }).click();
      // The refusal carries CORS headers: the widget shows the server's reason, not a generic failure.
      await page.getByText('This website is not allowed to contact us through this widget.').waitFor();
      expect(await page.getByRole('button', { name: 'Start chat' }).count()).toBe(0);
      await page.screenshot({ path: screenshotPath('widget-origin-refused') });
      // Not even a direct call from this page gets through: the server refuses the origin.
      const status = await page.evaluate(
        async ([base, contactId]) =>
          (
            await fetch(`${base}/interact/v1/contacts/${contactId}/chats`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{}',
            }).catch(() => ({ status: 0 }))
          ).status,
        [app.baseUrl, contact.contactId] as const,
      );
      expect(status === 0 || status === 403).toBe(true);
      expect(await app.store.repos.tasks.query(contact.tenantId, {}, serviceQueueScope('svc'))).toEqual([]);
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('shows HTML and script in messages as plain text, from either side', async () => {
    const host = await startHostSite();
    const contact = await contactFor(host.origin);
    host.setPage(hostPage(contact.snippet));
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await page.goto(host.url);
      const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold?</b>';
      await fillWidgetForm(page, hostile);
      await page.getByText(hostile).waitFor();
      const chatId = await widgetChatId(page, contact.contactId);
      await app.chats.postMessage(
        contact.tenantId,
        chatId,
        'agent',
        '<i>Alex</i>',
        '<a href="javascript:alert(1)">click</a><svg onload=alert(2)>',
      );
      await page.getByText('<a href="javascript:alert(1)">click</a><svg onload=alert(2)>').waitFor();
      await page.getByText('<i>Alex</i>').waitFor();
      const injected = await page.evaluate(() => {
        const root = document.querySelector('[data-interact-widget]')?.shadowRoot;
        const log = root?.querySelector('.log');
        return {
          elements: log ? log.querySelectorAll('img, script, b, a, svg, i').length : -1,
          pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        };
      });
      expect(injected).toEqual({ elements: 0, pwned: null });
      expect(dialogs).toEqual([]);
      await page.screenshot({ path: screenshotPath('widget-text-only-phone') });
    } finally {
      await page.close();
      await host.close();
    }
  });
});
