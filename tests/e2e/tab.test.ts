/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { DEMO_TENANT_ID, demoIds } from '../../bot/src/services/demo-tenant';
import { previewUrlFor } from '../../bot/src/services/interact/snippet';
import { startTestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, watchErrors } from '../helpers/browser';
import {
  interactSettings,
  service as serviceFixture,
  tenant as tenantFixture,
  user as userFixture,
} from '../helpers/fixtures';
import { eventually } from '../helpers/process';
import { openForAll } from '../helpers/hooks';
import { signInToTab } from '../helpers/tab-page';
import { newTenantId } from '../helpers/store';
import { fillWidgetForm } from '../helpers/widget-page';
import { installTeamsAppAt } from '../helpers/teams-install';

jest.setTimeout(90_000);

let app: App;
let browser: Browser;
// The demo tenant is seeded, as `npm start` does: the agent test runs on it as a newcomer would.
openForAll(async () => ([app, browser] = await Promise.all([startTestApp(), launchBrowser()])));

/** The local dev sign-in, as a person does it: pick the organization, then the person. */
async function signIn(page: Page, tenantId: string, name: string) {
  await signInToTab(app, page, tenantId, name);
  await page.getByText(name, { exact: false }).first().waitFor();
}

describe('the Teams tab in a browser (local sign-in)', () => {
  it('an admin edits a user\u2019s Interact settings; Restrict Access waits for a domain template of the unit; the snippet is copied', async () => {
    const tenantId = newTenantId();
    const { repos } = app.store;
    await repos.tenants.create(
      tenantFixture(tenantId, {
        name: 'Fabrikam',
        adminUserIds: ['adele'],
        licenses: { interactUser: { total: 2, assignees: ['yvonne'] } },
      }),
    );
    await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Fabrikam', parentId: null });
    await repos.users.create(
      userFixture(tenantId, 'adele', {
        displayName: 'Adele Admin',
        interact: interactSettings({ contactId: `ct-adele-${tenantId}` }),
      }),
    );
    await repos.users.create(
      userFixture(tenantId, 'yvonne', {
        displayName: 'Yvonne User',
        interact: interactSettings({ contactId: `ct-y-${tenantId}`, widgetKey: `key-${tenantId}-abcdefgh` }),
      }),
    );

    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      await signIn(page, tenantId, 'Adele Admin');
      await page.getByRole('tab', { name: 'Admin' }).click();
      await page.getByRole('heading', { name: 'Interact user' }).waitFor();
      await page.getByText('1 of 2 assigned').waitFor();
      await page.screenshot({ path: screenshotPath('tab-admin-licenses'), fullPage: true });
      await page.getByRole('tab', { name: 'Users' }).click();
      await page.getByRole('link', { name: 'Interact settings of Yvonne User' }).click();
      await page.getByRole('heading', { name: 'Interact: Yvonne User' }).waitFor();

      // No domain template in the unit yet: Restrict Access is disabled and says why.
      const restrict = page.getByRole('switch', { name: 'Restrict Access' });
      expect(await restrict.isDisabled()).toBe(true);
      await page
        .getByText(
          'Configure at least one Interact domain template (CORS) in this organization unit to restrict access.',
        )
        .waitFor();
      await page.screenshot({ path: screenshotPath('tab-interact-no-templates'), fullPage: true });

      // Active off: saved, and the license stays assigned.
      await page.getByRole('switch', { name: 'Active' }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Interact settings saved').first().waitFor();
      expect((await repos.users.get(tenantId, 'yvonne')).interact.active).toBe(false);
      expect((await repos.tenants.get(tenantId, tenantId)).licenses.interactUser.assignees).toContain('yvonne');

      // A domain template in the unit, from the admin page.
      await page.getByRole('tab', { name: 'Domain templates' }).click();
      await page.getByRole('button', { name: 'New domain template' }).click();
      await page.getByLabel('Name').fill('Fabrikam shop');
      await page.getByLabel('Websites').fill('https://shop.fabrikam.example\nhttps://*.fabrikam.example');
      await page.screenshot({ path: screenshotPath('tab-domain-template-form'), fullPage: true });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Domain template Fabrikam shop saved').first().waitFor();
      await page.getByRole('cell', { name: 'https://shop.fabrikam.example, https://*.fabrikam.example' }).waitFor();

      // Now Restrict Access can be switched on, and needs a selected template to be saved.
      await page.goto(`${app.baseUrl}/tab/#/admin/users/yvonne/interact`);
      await page.getByRole('heading', { name: 'Interact: Yvonne User' }).waitFor();
      expect(await restrict.isDisabled()).toBe(false);
      await restrict.click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Select at least one domain template to restrict access to.').waitFor();
      await page.screenshot({ path: screenshotPath('tab-interact-select-a-template'), fullPage: true });
      await page.getByRole('checkbox', { name: /Fabrikam shop/ }).check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Interact settings saved').first().waitFor();
      await eventually(async () => (await repos.users.get(tenantId, 'yvonne')).interact.restrictAccess || undefined);
      expect((await repos.users.get(tenantId, 'yvonne')).interact.domainTemplateIds).toHaveLength(1);

      // The snippet: shown in its code box, copied with the button.
      const snippet = await page.getByRole('textbox', { name: 'Snippet code' }).inputValue();
      expect(snippet).toContain(`data-contact-id="ct-y-${tenantId}"`);
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page.getByText('Snippet copied').first().waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
      expect(await page.getByRole('link', { name: 'Open the preview page' }).getAttribute('href')).toBe(
        previewUrlFor(app.baseUrl, (await repos.users.get(tenantId, 'yvonne')).interact),
      );
      await page.screenshot({ path: screenshotPath('tab-interact-saved-and-copied'), fullPage: true });

      // The workflow editor checks while the admin types: this tenant has no calendar yet.
      await page.goto(`${app.baseUrl}/tab/#/admin/workflows/wf-new`);
      await page.getByText(/^\d+ errors?$/).waitFor();
      await page
        .getByText(/calendar/i)
        .first()
        .waitFor();
      await page.screenshot({ path: screenshotPath('tab-workflow-editor'), fullPage: true });

      // A web request: created from its admin page, checked while shown, saved.
      await page.getByRole('tab', { name: 'Web requests' }).click();
      await page.getByText('No web requests yet').waitFor();
      await page.getByRole('textbox', { name: 'Id' }).fill('order-status');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'Web request order-status (new)' }).waitFor();
      await page.getByText('No errors.').waitFor();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Web request order-status saved').first().waitFor();
      expect(await app.workflows.repos.webRequests.get(tenantId, 'order-status')).toMatchObject({
        method: 'GET',
        unitId: 'unit-1',
        auth: { kind: 'none' },
      });
      await page.screenshot({ path: screenshotPath('tab-web-request-editor'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the workflow editor warns about activities IM does not run before saving; the service lists that workflow disabled, with the reason', async () => {
    const tenantId = newTenantId();
    const { repos } = app.store;
    await repos.tenants.create(
      tenantFixture(tenantId, {
        adminUserIds: ['adele'],
        licenses: { contactCenter: { total: 1, assignees: ['svc'] } },
      }),
    );
    await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Fabrikam', parentId: null });
    await repos.users.create(
      userFixture(tenantId, 'adele', {
        displayName: 'Adele Admin',
        interact: interactSettings({ contactId: `ct-adele-${tenantId}` }),
      }),
    );
    await repos.services.create(
      serviceFixture(tenantId, 'svc', {
        name: 'Support',
        im: { enabled: true, channels: { interact: true, whatsapp: false }, workflowId: null },
        interact: interactSettings({ contactId: `ct-svc-${tenantId}` }),
      }),
    );
    const page = await browser.newPage();
    const errors = watchErrors(page);
    try {
      await signIn(page, tenantId, 'Adele Admin');
      await page.goto(`${app.baseUrl}/tab/#/admin/workflows/wf-music`);
      await page.getByRole('heading', { name: 'Workflow wf-music (new)' }).waitFor();
      const music = {
        name: 'Plays music',
        unitId: 'unit-1',
        start: 'hold',
        nodes: [
          { id: 'hold', name: 'Hold', kind: 'play-music', settings: {}, exits: { next: 'queue' } },
          { id: 'queue', kind: 'queue-task', settings: {}, exits: { next: null } },
        ],
      };
      await page.getByRole('textbox', { name: 'Workflow (JSON)' }).fill(JSON.stringify(music, null, 2));
      await page.getByText('Not supported for Instant Messaging').waitFor();
      await page
        .getByText('A service with the Interact channel cannot select this workflow: Play Music "Hold"', {
          exact: false,
        })
        .waitFor();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Workflow saved (version 1)').first().waitFor();
      await page.getByRole('heading', { name: 'Workflow wf-music', exact: true }).waitFor();
      expect(await page.getByRole('heading', { name: 'Workflow wf-music (new)' }).count()).toBe(0);

      await page.goto(`${app.baseUrl}/tab/#/admin/services/svc`);
      const option = page.getByRole('option', { name: /^Plays music/ });
      await option.waitFor({ state: 'attached' });
      expect(await option.isDisabled()).toBe(true);
      expect(await option.textContent()).toBe(
        'Plays music (not available: Play Music "Hold" is not supported on Interact)',
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('an agent accepts a chat started from the widget and they exchange messages in My Sessions', async () => {
    const service = await app.store.repos.services.get(DEMO_TENANT_ID, demoIds.service);
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const customerContext = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const agent = await agentContext.newPage();
    const customer = await customerContext.newPage();
    try {
      const errors = watchErrors(agent);
      // Alex has the app in Teams, as an agent must for offers to reach them.
      await installTeamsAppAt(app.baseUrl, DEMO_TENANT_ID, demoIds.agents[0]);
      await signIn(agent, DEMO_TENANT_ID, 'Alex Wilber');
      await agent.getByText('No offers waiting. New chats show up here.').waitFor();
      await agent.getByLabel('My availability').selectOption('available');
      await agent.getByText('You receive offers.').waitFor();
      await agent.screenshot({ path: screenshotPath('tab-my-sessions-empty') });

      await customer.goto(previewUrlFor(app.baseUrl, service.interact));
      await fillWidgetForm(customer, 'My parcel is late');

      // The offer arrives live in My Sessions.
      const accept = agent.getByRole('button', { name: 'Accept chat with Casey Customer' });
      await accept.waitFor();
      await agent.screenshot({ path: screenshotPath('tab-my-sessions-offer') });
      await accept.click();
      await agent.getByRole('heading', { name: 'Casey Customer' }).waitFor();
      await agent.getByRole('log').getByText('My parcel is late').waitFor();
      await customer.getByText('Connected with Alex.').waitFor();

      // Customer → agent, with the typing indicator first.
      await customer.getByLabel('Your message').fill('It was due on Monday');
      await agent.getByText('Casey Customer is typing…').waitFor();
      await customer.keyboard.press('Enter');
      await agent.getByRole('log').getByText('It was due on Monday').waitFor();

      // Agent → customer; what the customer wrote stays text.
      await agent.getByLabel('Message to Casey Customer').fill('Let me check that parcel for you.');
      await agent.keyboard.press('Enter');
      await customer.getByText('Let me check that parcel for you.').waitFor();
      await agent.getByRole('log').getByText('Let me check that parcel for you.').waitFor();
      await agent.screenshot({ path: screenshotPath('tab-my-sessions-chat') });
      await customer.screenshot({ path: screenshotPath('tab-widget-side-of-chat') });

      // The agent ends the session; the customer is told.
      await agent.getByRole('button', { name: 'End session' }).click();
      await agent.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
      await customer.getByText('The chat has ended. Thank you for contacting us.').waitFor();
      await agent.getByText('This session has ended. Add codes and tags to it in your history.').waitFor();

      // History: the session with its outcome; a code and tags added afterwards.
      await agent.getByRole('link', { name: 'Past sessions, accepted and missed' }).click();
      await agent
        .getByRole('table', { name: 'Past sessions' })
        .getByText('Handled')
        .waitFor({ timeout: 15_000 })
        .catch(async () => {
          await agent.reload();
          await agent.getByRole('table', { name: 'Past sessions' }).getByText('Handled').waitFor();
        });
      await agent.getByRole('link', { name: 'Casey Customer' }).first().click();
      await agent.getByLabel('Code', { exact: true }).fill('late-delivery');
      await agent.getByLabel('Tags', { exact: true }).fill('parcel, follow-up');
      await agent.getByRole('button', { name: 'Save code and tags' }).click();
      await agent.getByText('Code and tags saved').first().waitFor();
      await agent.screenshot({ path: screenshotPath('tab-history-wrap-up') });
      expect(errors).toEqual([]);
    } catch (err) {
      await agent.screenshot({ path: screenshotPath('tab-my-sessions-failure') });
      throw err;
    } finally {
      await agentContext.close();
      await customerContext.close();
    }
  });
});
