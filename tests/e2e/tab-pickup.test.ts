/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { WorkflowDefinition } from '../../bot/src/core/workflow/model';
import { startTestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, watchErrors } from '../helpers/browser';
import { openForAll } from '../helpers/hooks';
import { signInToTab, websiteCustomer } from '../helpers/tab-page';
import { websiteContact } from '../helpers/interact';
import { eventually } from '../helpers/process';

jest.setTimeout(90_000);

let app: App;
let browser: Browser;
openForAll(async () => ([app, browser] = await Promise.all([startTestApp({ DEMO_TENANT: 'false' }), launchBrowser()])));

const ORIGIN = 'https://shop.example.com';

/** A website-reachable service Support whose workflow queues every chat for Pickup; Alex is its agent. */
async function setup() {
  const { tenantId, contactId, key } = await websiteContact(app, ORIGIN, { name: 'Fabrikam', privacyPolicyUrl: null });
  const { repos } = app.store;
  await repos.units.create({ id: 'unit-1', tenantId, type: 'unit', name: 'Fabrikam', parentId: null });
  await repos.workflow.workflows.create(
    WorkflowDefinition.parse({
      id: 'wf-pickup',
      tenantId,
      type: 'workflow',
      unitId: 'unit-1',
      name: 'Pickup',
      start: 'queue',
      nodes: [{ id: 'queue', kind: 'queue-task', settings: { distribution: 'pickup' }, exits: { next: null } }],
    }),
  );
  await repos.services.update(tenantId, 'svc', (s) => ({ ...s, im: { ...s.im, workflowId: 'wf-pickup' } }));
  return { tenantId, ...websiteCustomer(app, { contactId, key, origin: ORIGIN }) };
}

const signIn = (page: Page, tenantId: string, name: string) => signInToTab(app, page, tenantId, name);

describe('the Pickup queue in My Sessions (browser)', () => {
  it('a chat waiting for pickup shows up live with its customer, first message and wait, and one click claims it', async () => {
    const s = await setup();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      await signIn(page, s.tenantId, 'Alex Wilber');
      await page.getByText('No chats waiting for pickup in your services.').waitFor();

      // The customer writes while the tab is open: the chat appears without a reload, and no offer is made.
      const chat = await s.startChat('My parcel is late');
      const waiting = page.getByRole('group', { name: 'Waiting for pickup: Casey Customer' });
      await waiting.waitFor();
      await waiting.getByText('My parcel is late').waitFor();
      await waiting.getByText(/Support · Website \(Interact\) · waiting less than a minute/).waitFor();
      expect(await page.getByText('No offers waiting. New chats show up here.').count()).toBe(1);
      await page.screenshot({ path: screenshotPath('tab-pickup-waiting') });

      await page.getByRole('button', { name: 'Claim chat with Casey Customer' }).click();
      await page.getByRole('heading', { name: 'Casey Customer' }).waitFor();
      await page.getByRole('log').getByText('My parcel is late').waitFor();
      await page.getByText('No chats waiting for pickup in your services.').waitFor();
      await eventually(async () => {
        const task = (await app.chats.get(s.tenantId, chat.chatId))?.task;
        const live =
          task && (await app.routing.tasks.get({ tenantId: s.tenantId, queue: task.queue, taskId: task.id }));
        return live?.state === 'connected' && live.assignedUserId === 'alex' ? true : undefined;
      });
      await page.screenshot({ path: screenshotPath('tab-pickup-claimed') });
      expect(errors).toEqual([]);
    } catch (err) {
      await page.screenshot({ path: screenshotPath('tab-pickup-failure') });
      throw err;
    } finally {
      await context.close();
    }
  });
});
