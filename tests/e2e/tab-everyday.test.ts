/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { roomyInteractLimits, startTestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, watchErrors } from '../helpers/browser';
import { systemMessages, tenant as tenantFixture, user as userFixture } from '../helpers/fixtures';
import { openForAll } from '../helpers/hooks';
import { signInToTab, websiteCustomer } from '../helpers/tab-page';
import { websiteContact } from '../helpers/interact';
import { newTenantId } from '../helpers/store';

jest.setTimeout(90_000);

let app: App;
let browser: Browser;
// Roomy limits: one test has the customer write more messages than the widget API's per-chat burst.
openForAll(
  async () =>
    ([app, browser] = await Promise.all([
      startTestApp({ DEMO_TENANT: 'false' }, { interact: roomyInteractLimits() }),
      launchBrowser(),
    ])),
);

const ORIGIN = 'https://shop.example.com';
const ON_ACCEPT = 'Greet the customer by their first name.';
const ON_END = 'Add a code if the session needs follow-up.';
const FAREWELL = 'Thank you for contacting Fabrikam.';

/**
 * A tenant whose service Support has Alex Wilber as its only (available) agent, reachable from ORIGIN,
 * with direct system messages for the agent (on accept, at the end) and a farewell for the customer.
 */
async function setup() {
  const { tenantId, contactId, key } = await websiteContact(app, ORIGIN, { name: 'Fabrikam', privacyPolicyUrl: null });
  const { repos } = app.store;
  await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Fabrikam', parentId: null });
  await repos.systemMessages.create(
    systemMessages(tenantId, 'sm', {
      toAgent: { onAccept: ON_ACCEPT, onEnd: ON_END },
      toCustomer: { onEnd: FAREWELL },
    }),
  );
  await repos.services.update(tenantId, 'svc', (s) => ({
    ...s,
    interact: { ...s.interact, directSystemMessagesId: 'sm' },
  }));
  return { tenantId, ...websiteCustomer(app, { contactId, key, origin: ORIGIN }) };
}

const signIn = (page: Page, tenantId: string, name: string) => signInToTab(app, page, tenantId, name);

/** The agent accepts the offer from `customer` in My Sessions and the chat opens. */
async function accept(page: Page, customer: string) {
  await page.getByRole('button', { name: `Accept chat with ${customer}` }).click();
  await page.getByRole('heading', { name: customer, level: 1 }).waitFor();
}

/** The entry of a live session in the list on the left. */
const sessionEntry = (page: Page, customer: string) =>
  page.getByRole('navigation', { name: 'My sessions' }).getByRole('button', { name: new RegExp(`^${customer}`) });

const waitForTitle = (page: Page, title: string) =>
  page.waitForFunction((expected) => document.title === expected, title);

async function withPage(
  viewport: { width: number; height: number },
  steps: (page: Page, context: BrowserContext) => Promise<void>,
  name: string,
) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = watchErrors(page);
  try {
    await steps(page, context);
    expect(errors).toEqual([]);
  } catch (err) {
    await page.screenshot({ path: screenshotPath(`${name}-failure`) });
    throw err;
  } finally {
    await context.close();
  }
}

describe('My Sessions through an agent\u2019s day', () => {
  it('marks a session with messages the agent has not seen and counts it in the title', () =>
    withPage(
      { width: 1280, height: 800 },
      async (page) => {
        const s = await setup();
        await signIn(page, s.tenantId, 'Alex Wilber');
        await waitForTitle(page, 'Contact Center');

        const casey = await s.startChat('My parcel is late');
        await accept(page, 'Casey Customer');

        await s.startChat('Where is my refund?', 'Dana Customer');
        await page.getByRole('button', { name: 'Accept chat with Dana Customer' }).waitFor();
        await waitForTitle(page, '(1) Contact Center');
        await accept(page, 'Dana Customer');
        await waitForTitle(page, 'Contact Center');
        expect(await sessionEntry(page, 'Casey Customer').textContent()).not.toContain('Unread');

        // Casey writes while Alex looks at Dana's chat.
        await casey.say('Are you still there?');
        await sessionEntry(page, 'Casey Customer').getByText('Unread').waitFor();
        await waitForTitle(page, '(1) Contact Center');
        expect(await sessionEntry(page, 'Dana Customer').textContent()).not.toContain('Unread');
        await page.screenshot({ path: screenshotPath('tab-my-sessions-unread') });

        await sessionEntry(page, 'Casey Customer').click();
        await page.getByRole('log').getByText('Are you still there?').waitFor();
        await waitForTitle(page, 'Contact Center');
        expect(await sessionEntry(page, 'Casey Customer').textContent()).not.toContain('Unread');
      },
      'tab-unread',
    ));

  it('sounds and notifies only once the agent turns it on: then for a new offer and a new message', () =>
    withPage(
      { width: 1280, height: 800 },
      async (page, context) => {
        // The browser's Notification API, recorded: permission stays "default" until it is asked for.
        await context.addInitScript(() => {
          const w = window as unknown as {
            shown: { title: string; body?: string }[];
            asked: number;
            permission: NotificationPermission;
          };
          w.shown = [];
          w.asked = 0;
          w.permission = 'default';
          class RecordedNotification {
            static get permission() {
              return w.permission;
            }
            static requestPermission() {
              w.asked += 1;
              w.permission = 'granted';
              return Promise.resolve(w.permission);
            }
            constructor(title: string, options?: NotificationOptions) {
              w.shown.push({ title, body: options?.body });
            }
            close() {}
          }
          Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true });
        });
        const recorded = () =>
          page.evaluate(() => {
            const w = window as unknown as { shown: { title: string; body?: string }[]; asked: number };
            return { shown: w.shown, asked: w.asked };
          });
        const s = await setup();
        await signIn(page, s.tenantId, 'Alex Wilber');
        const toggle = page.getByRole('switch', { name: 'Sound and desktop notifications' });
        expect(await toggle.isChecked()).toBe(false);

        // Off: an offer and a message come and go without a sound or a notification.
        const casey = await s.startChat('My parcel is late');
        await accept(page, 'Casey Customer');
        expect(await recorded()).toEqual({ shown: [], asked: 0 });

        await toggle.click();
        await page.waitForFunction(() => (window as unknown as { asked: number }).asked === 1);
        expect(await page.evaluate(() => localStorage.getItem('contact-center:notifications'))).toBe('on');

        await s.startChat('Where is my refund?', 'Dana Customer');
        await page.waitForFunction(() => (window as unknown as { shown: unknown[] }).shown.length === 1);
        await accept(page, 'Dana Customer');
        await casey.say('Are you still there?');
        await page.waitForFunction(() => (window as unknown as { shown: unknown[] }).shown.length === 2);
        expect(await recorded()).toEqual({
          shown: [
            { title: 'New chat from Dana Customer', body: 'Support' },
            { title: 'New message from Casey Customer', body: 'Support' },
          ],
          asked: 1,
        });

        // The choice is the agent's and stays after a reload.
        await page.reload();
        await page.getByRole('tab', { name: 'My Sessions' }).waitFor();
        expect(await toggle.isChecked()).toBe(true);
      },
      'tab-notifications',
    ));

  /** Alex accepts Casey's chat and ends it; back when the session is reported and its task is gone. */
  async function endedSession(page: Page) {
    const s = await setup();
    await signIn(page, s.tenantId, 'Alex Wilber');
    await s.startChat('My parcel is late');
    await accept(page, 'Casey Customer');
    const chatUrl = page.url();
    await page.getByRole('button', { name: 'End session' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
    await page.getByRole('log').getByText(FAREWELL).waitFor();
    await page.getByText('This session has ended. Add codes and tags to it in your history.').waitFor();
    await page.getByRole('link', { name: 'Past sessions, accepted and missed' }).click();
    await page.getByRole('table', { name: 'Past sessions' }).getByText('Handled').waitFor();
    return chatUrl;
  }

  it('shows the agent\u2019s direct system messages in the session: the one on accept, and the one at the end', () =>
    withPage(
      { width: 1280, height: 800 },
      async (page) => {
        const s = await setup();
        await signIn(page, s.tenantId, 'Alex Wilber');
        await s.startChat('My parcel is late');
        await accept(page, 'Casey Customer');
        // As the Teams session card shows them.
        await page.getByText(ON_ACCEPT).waitFor();
        expect(await page.getByText(ON_END).count()).toBe(0);
        await page.getByRole('button', { name: 'End session' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
        await page.getByText('This session has ended. Add codes and tags to it in your history.').waitFor();
        await page.getByText(ON_END).waitFor();
        await page.screenshot({ path: screenshotPath('tab-agent-system-messages') });
      },
      'tab-agent-messages',
    ));

  it('says so when the customer leaves the chat the agent is in', () =>
    withPage(
      { width: 1280, height: 800 },
      async (page) => {
        const s = await setup();
        await signIn(page, s.tenantId, 'Alex Wilber');
        const casey = await s.startChat('My parcel is late');
        await accept(page, 'Casey Customer');
        await page.getByText(ON_ACCEPT).waitFor();
        expect(await page.getByText('The customer has left.').count()).toBe(0);
        await casey.leave();
        await page.getByText('The customer has left. This session has ended.', { exact: false }).waitFor();
        await page.getByText('Customer left', { exact: true }).waitFor();
        expect(await page.getByRole('button', { name: 'End session' }).count()).toBe(0);
      },
      'tab-customer-left',
    ));

  it('keeps the customer\u2019s first message in the session after the end', () =>
    withPage(
      { width: 1280, height: 800 },
      async (page) => {
        const chatUrl = await endedSession(page);
        await page.goto(chatUrl);
        const customer = page.getByRole('complementary', { name: 'Customer' });
        await customer.getByRole('heading', { name: 'Customer' }).waitFor();
        await page.getByText('This session has ended. Add codes and tags to it in your history.').waitFor();
        expect(await customer.locator('dd').allTextContents()).toContain('My parcel is late');
      },
      'tab-first-message',
    ));

  it('shows the whole chat in the history transcript, with its closing messages', () =>
    withPage(
      { width: 1280, height: 800 },
      async (page) => {
        await endedSession(page);
        await page.getByRole('link', { name: 'Casey Customer' }).click();
        const log = page.getByRole('log');
        await log.getByText('My parcel is late').waitFor();
        await log.getByText(FAREWELL).waitFor();
        await log.getByText(/^The chat has ended/).waitFor();
        expect(await page.getByRole('complementary', { name: 'Customer' }).locator('dd').allTextContents()).toContain(
          'My parcel is late',
        );
        await page.screenshot({ path: screenshotPath('tab-history-closing-messages') });
      },
      'tab-history-closing',
    ));

  it('at 900 px keeps the composer in view and the customer panel above it, however long the chat', () =>
    withPage(
      { width: 900, height: 700 },
      async (page) => {
        const s = await setup();
        await signIn(page, s.tenantId, 'Alex Wilber');
        const casey = await s.startChat('My parcel is late');
        await accept(page, 'Casey Customer');
        for (let i = 1; i <= 25; i++) await casey.say(`Message number ${i}`);
        await page.getByRole('log').getByText('Message number 25').waitFor();

        const composer = await page.getByLabel('Message to Casey Customer').boundingBox();
        const send = await page.getByRole('button', { name: 'Send' }).boundingBox();
        const panel = await page.getByRole('complementary', { name: 'Customer' }).boundingBox();
        expect(composer && send && panel).toBeTruthy();
        expect(composer!.y + composer!.height).toBeLessThanOrEqual(700);
        expect(send!.y + send!.height).toBeLessThanOrEqual(700);
        // Beside the conversation or above it, never under the composer.
        expect(panel!.y).toBeLessThan(composer!.y);
        await page.screenshot({ path: screenshotPath('tab-my-sessions-900px') });
      },
      'tab-900px',
    ));
});

describe('the Interact tab and the organization\u2019s switches', () => {
  async function organization(over: Parameters<typeof tenantFixture>[1] = {}) {
    const tenantId = newTenantId();
    const { repos } = app.store;
    await repos.tenants.create(
      tenantFixture(tenantId, {
        name: 'Fabrikam',
        adminUserIds: ['adele'],
        licenses: { interactUser: { total: 2, assignees: ['yvonne'] } },
        ...over,
      }),
    );
    await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Fabrikam', parentId: null });
    await repos.users.create(userFixture(tenantId, 'adele', { displayName: 'Adele Admin' }));
    await repos.users.create(userFixture(tenantId, 'alex', { displayName: 'Alex Wilber' }));
    await repos.users.create(userFixture(tenantId, 'yvonne', { displayName: 'Yvonne User' }));
    return tenantId;
  }

  it('appears only for a holder of the Interact user license; without it there is no tab and no refused call', async () => {
    const tenantId = await organization();
    await withPage(
      { width: 1280, height: 800 },
      async (page) => {
        const refused: string[] = [];
        page.on('response', (r) => {
          if (r.status() === 403) refused.push(r.url());
        });
        await signIn(page, tenantId, 'Alex Wilber');
        await page.getByLabel('My availability').waitFor();
        expect(await page.getByRole('tab', { name: 'Interact' }).count()).toBe(0);
        // A link to the Interact tab lands on My Sessions.
        await page.goto(`${app.baseUrl}/tab/#/interact`);
        await page.getByLabel('My availability').waitFor();
        expect(await page.getByRole('heading', { name: 'My Interact settings' }).count()).toBe(0);
        expect(await page.getByRole('tab', { name: 'Interact' }).count()).toBe(0);
        expect(refused).toEqual([]);
      },
      'tab-no-interact-license',
    );
    await withPage(
      { width: 1280, height: 800 },
      async (page) => {
        await signIn(page, tenantId, 'Yvonne User');
        await page.getByRole('tab', { name: 'Interact' }).click();
        await page.getByRole('heading', { name: 'My Interact settings' }).waitFor();
      },
      'tab-interact-license',
    );
  });

  it('shows admins the tenant-level Interact and Instant Messaging switches, read-only, with what they mean', async () => {
    const tenantId = await organization({ interactEnabled: false, imEnabled: true });
    await withPage(
      { width: 1280, height: 900 },
      async (page) => {
        await signIn(page, tenantId, 'Adele Admin');
        await page.getByRole('tab', { name: 'Admin' }).click();
        const section = page.getByRole('region', { name: 'Your organization' });
        const interact = section.getByRole('switch', { name: 'Interact', exact: true });
        const im = section.getByRole('switch', { name: 'Instant Messaging', exact: true });
        await interact.waitFor();
        expect(await interact.isChecked()).toBe(false);
        expect(await interact.isDisabled()).toBe(true);
        expect(await im.isChecked()).toBe(true);
        expect(await im.isDisabled()).toBe(true);
        await section
          .getByText('Off: no website chat widget reaches your services or users', { exact: false })
          .waitFor();
        await section.getByText('cannot be changed here', { exact: false }).waitFor();
        await page.screenshot({ path: screenshotPath('tab-admin-tenant-switches'), fullPage: true });
      },
      'tab-tenant-switches',
    );
  });
});
