/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { InteractView } from '../../bot/src/contracts';
import { AGENTS_SCOPE } from '../../bot/src/store/partition-keys';
import { ServiceSummary } from '../../bot/src/contracts/admin';
import { startTestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, startHostSite } from '../helpers/browser';
import { openForAll } from '../helpers/hooks';
import { Playground, cardOf, executeActions } from '../helpers/playground';
import { eventually } from '../helpers/process';
import { tabCall } from '../helpers/tab-calls';
import { fillWidgetForm, hostPage } from '../helpers/widget-page';

jest.setTimeout(120_000);

let app: App;
let browser: Browser;
let playground: Playground;
openForAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ DEMO_TENANT: 'false' }), launchBrowser()]);
  playground = await Playground.start(`${app.baseUrl}/api/messages`);
  return [app, browser, { close: () => playground.stop() }];
});

/** The organization's admin, as the local sign-in makes them: that organization's Global Administrator. */
async function signInAsAdmin(tenantId: string): Promise<string> {
  const res = await fetch(`${app.baseUrl}/api/v1/dev/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId, userId: 'admin-ada', displayName: 'Ada Admin', globalAdmin: true }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('a new organization with the Microsoft 365 Agents Playground as the agent’s Teams client', () => {
  it('is set up, the Playground user becomes an agent, takes a chat from the widget, writes as typed, declines without RONA', async () => {
    const { tenantId, currentUser } = playground.config;
    // The Playground's own identity: a GUID-shaped tenant and aadObjectId, nothing of the demo.
    expect(tenantId).toMatch(/^[0-9a-f-]{36,}$/);
    expect(currentUser.aadObjectId).toMatch(/^[0-9a-f-]{36,}$/);
    expect(await app.store.repos.tenants.find(tenantId, tenantId)).toBeUndefined();

    // Installing before the organization is set up: the bot says who sets it up, and stores nobody.
    await playground.install();
    await playground.waitFor((m) => (m.text ?? '').includes('Your organization has not been set up for this app yet'));
    expect(await app.store.repos.users.find(tenantId, currentUser.aadObjectId)).toBeUndefined();

    // The documented path: the organization's admin opens the Admin tab and fills in the setup page.
    const admin = await signInAsAdmin(tenantId);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await tabCall(app, method, path, admin, body);
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.status === 204 ? undefined : ((await res.json()) as unknown);
    };
    await call('POST', '/setup', {
      organizationName: 'Playground Org',
      rootUnitName: 'Playground Org',
      imEnabled: true,
      interactEnabled: true,
      licenses: { contactCenter: 1, interactService: 1, imModality: 5, interactUser: 0 },
      privacyPolicyUrl: 'https://playground.example/privacy',
    });

    // The agent installs the app (again): now they become a user, without licenses yet.
    await playground.install();
    await playground.waitFor((m) => (m.text ?? '').includes('do not hold the Instant Messaging license'));
    expect(await app.store.repos.users.get(tenantId, currentUser.aadObjectId)).toMatchObject({ active: true });

    // The admin gives them the license and a service that websites reach.
    const service = ServiceSummary.parse(
      await call('POST', '/admin/services', { name: 'Support', unitId: 'unit-root' }),
    );
    for (const [kind, holderId] of [
      ['contactCenter', service.id],
      ['interactService', service.id],
      ['imModality', currentUser.aadObjectId],
    ])
      await call('POST', '/admin/licenses/assign', { kind, holderId });
    await call('PATCH', `/admin/services/${service.id}`, {
      members: [{ userId: currentUser.aadObjectId, active: true }],
      im: { enabled: true, channels: { interact: true } },
    });
    const interact = InteractView.parse(
      await call('PATCH', `/services/${service.id}/interact`, { active: true, instantMessaging: true }),
    );

    // In the Playground the agent says they are available.
    await playground.say('status available');
    await playground.waitFor((m) => (m.text ?? '').includes('Your status is now <b>Available</b>'));

    // A customer writes from the widget on a website.
    const host = await startHostSite(hostPage(interact.snippet));
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await page.goto(host.url);
      await fillWidgetForm(page, 'Where is my order?');

      // The offer reaches the agent in the Playground as a card; they accept it there.
      const offer = await playground.waitFor((m) => executeActions(cardOf(m)).some((a) => a.verb === 'offer.accept'));
      const accept = executeActions(cardOf(offer)).find((a) => a.verb === 'offer.accept')!;
      await playground.execute(offer, accept);
      await page.getByText(/Connected with /).waitFor();

      // Customer → agent: the first message is on the session card or follows it in the chat.
      await page.getByLabel('Your message').fill('Order 1234, please.');
      await page.keyboard.press('Enter');
      await playground.waitFor((m) => JSON.stringify(m).includes('Order 1234, please.'));

      // Agent → customer: with one open chat, what they write goes to the customer.
      await playground.say('It ships today.');
      await page.getByText('It ships today.').waitFor();
      await page.screenshot({ path: screenshotPath('playground-chat-widget') });

      // What the agent types in plain text reaches the customer as typed: no markup stripped, nothing decoded.
      for (const typed of ['if a < b and c > d', 'Press <Enter> to send; &amp; stays &amp;']) {
        await playground.say(typed);
        await page.getByRole('log').getByText(typed, { exact: true }).waitFor();
      }

      const chats = await eventually(async () => {
        const user = await app.store.repos.agents.find(tenantId, currentUser.aadObjectId, AGENTS_SCOPE);
        return user && user.slots.some((s) => s.kind === 'chat') ? user : undefined;
      });
      expect(chats.slots.filter((s) => s.kind === 'chat')).toHaveLength(1);

      // A second customer: the agent declines in the Playground. The card says so, and no RONA follows.
      const second = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      try {
        await second.goto(host.url);
        await fillWidgetForm(second, 'A second question');
        const next = await playground.waitFor(
          (m) => m.messageId !== offer.messageId && executeActions(cardOf(m)).some((a) => a.verb === 'offer.decline'),
        );
        const decline = executeActions(cardOf(next)).find((a) => a.verb === 'offer.decline')!;
        expect(JSON.stringify(await playground.execute(next, decline))).toContain('Declined');
        const agent = await app.store.repos.agents.find(tenantId, currentUser.aadObjectId, AGENTS_SCOPE);
        expect(agent?.rona).toBeNull();
      } finally {
        await second.close();
      }
    } finally {
      await page.close();
      await host.close();
    }
  });
});
