/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { ROOT_UNIT_ID } from '../../bot/src/services/accounts/onboarding';
import { startTestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, watchErrors } from '../helpers/browser';
import { openForAll } from '../helpers/hooks';

jest.setTimeout(90_000);

let app: App;
let browser: Browser;
openForAll(async () => ([app, browser] = await Promise.all([startTestApp({ DEMO_TENANT: 'false' }), launchBrowser()])));

describe('setting up an organization in the tab (browser)', () => {
  it('the first admin fills in the setup page and lands in the app; a colleague signed in before sees who can', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = watchErrors(page);
    try {
      await page.goto(`${app.baseUrl}/tab/`);
      const tenantId = await page.getByLabel("New organization's tenant id").inputValue();
      await page.getByLabel('Your name').fill('Ada Admin');
      await page.getByRole('button', { name: 'Sign in as its admin' }).click();

      await page.getByRole('heading', { name: 'Set up your organization' }).waitFor();
      const form = page.getByRole('form', { name: 'Organization setup' });
      await form.getByLabel('Organization name').fill('Northwind');
      await form.getByLabel('Root organization unit').fill('Northwind HQ');
      await form.getByLabel('Instant Messaging (per agent)').fill('12');
      await form.getByLabel('Privacy policy URL').fill('not a url');
      await page.screenshot({ path: screenshotPath('tab-setup-form') });
      await form.getByRole('button', { name: 'Set up organization' }).click();
      // The server names the field it refuses.
      await form.getByText('must be an http(s) URL').waitFor();
      expect(await app.store.repos.tenants.find(tenantId, tenantId)).toBeUndefined();

      await form.getByLabel('Privacy policy URL').fill('https://northwind.example/privacy');
      await form.getByRole('button', { name: 'Set up organization' }).click();
      await page.getByRole('tab', { name: 'Admin' }).waitFor();
      await page.getByText('Ada Admin · Northwind').waitFor();
      expect(await app.store.repos.tenants.get(tenantId, tenantId)).toMatchObject({
        name: 'Northwind',
        privacyPolicyUrl: 'https://northwind.example/privacy',
        licenses: { imModality: { total: 12 } },
      });
      expect((await app.store.repos.units.roots(tenantId)).map((u) => [u.id, u.name])).toEqual([
        [ROOT_UNIT_ID, 'Northwind HQ'],
      ]);

      // Someone of another organization that is not set up, who is not its admin.
      const res = await fetch(`${app.baseUrl}/api/v1/dev/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: 'not-yet-set-up', userId: 'pat', displayName: 'Pat' }),
      });
      const { token } = (await res.json()) as { token: string };
      const other = await browser.newPage();
      try {
        await other.goto(`${app.baseUrl}/tab/`);
        await other.evaluate(
          (session) => sessionStorage.setItem('contact-center:dev-sign-in', session),
          JSON.stringify({ token, tenantId: 'not-yet-set-up', userId: 'pat' }),
        );
        await other.reload();
        await other.getByRole('heading', { name: 'Your organization is not set up yet' }).waitFor();
        await other.getByText('A Global Administrator of your organization').waitFor();
      } finally {
        await other.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
