/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { startTestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, withPage as withBrowserPage } from '../helpers/browser';
import { service, tenant, user } from '../helpers/fixtures';
import { openForAll } from '../helpers/hooks';
import { taskReport } from '../helpers/reports';
import { newTenantId } from '../helpers/store';
import { signInToTab } from '../helpers/tab-page';

jest.setTimeout(90_000);

let app: App;
let browser: Browser;
openForAll(async () => ([app, browser] = await Promise.all([startTestApp({ DEMO_TENANT: 'false' }), launchBrowser()])));

const UNIT = 'unit-1';
const DAY = 86_400_000;
const at = (daysAgo: number, hour: number) => {
  const d = new Date(Date.now() - daysAgo * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

/**
 * Adele administers the organization, Sue supervises Alpha, Gary is an agent. Alpha had two chats
 * yesterday (one accepted on the website, one abandoned on WhatsApp), Beta one accepted chat today.
 */
async function setup() {
  const tenantId = newTenantId();
  const { repos } = app.store;
  await repos.tenants.create(tenant(tenantId, { name: 'Fabrikam', adminUserIds: ['adele'] }));
  for (const [id, displayName] of [
    ['adele', 'Adele Admin'],
    ['sue', 'Sue Supervisor'],
    ['gary', 'Gary Agent'],
  ] as const)
    await repos.users.create(user(tenantId, id, { unitId: UNIT, displayName }));
  await repos.services.create(service(tenantId, 'svc-a', { unitId: UNIT, name: 'Alpha', supervisorUserIds: ['sue'] }));
  await repos.services.create(service(tenantId, 'svc-b', { unitId: UNIT, name: 'Beta' }));
  const alpha = { kind: 'service', serviceId: 'svc-a' } as const;
  const beta = { kind: 'service', serviceId: 'svc-b' } as const;
  for (const r of [
    taskReport('t1', {
      at: at(1, 9),
      outcome: 'accepted',
      queuedMs: 12_000,
      talkMs: 245_000,
      by: 'gary',
      target: alpha,
    }),
    taskReport('t2', {
      at: at(1, 10),
      outcome: 'customer-left-in-queue',
      queuedMs: 50_000,
      channel: 'whatsapp',
      target: alpha,
    }),
    taskReport('t3', { at: at(0, 0), outcome: 'accepted', queuedMs: 4_000, talkMs: 60_000, by: 'gary', target: beta }),
  ])
    await repos.taskReports.create({ ...r, tenantId, customer: { ...r.customer, displayName: `=cmd|${r.id}` } });
  await app.routing.reporting.rebuild(tenantId);
  return tenantId;
}

const withPage = (name: string, steps: (page: Page) => Promise<void>) =>
  withBrowserPage(browser, name, steps, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });

const figure = (page: Page, label: string) => page.getByRole('listitem', { name: new RegExp(`^${label}: `) });

describe('the Reports page', () => {
  it('shows an admin the figures, the chart with its table, each channel, and exports the rows', () =>
    withPage('reports-admin', async (page) => {
      const tenantId = await setup();
      await signInToTab(app, page, tenantId, 'Adele Admin');
      await page.getByRole('tab', { name: 'Reports' }).click();
      await page.getByRole('heading', { name: 'Reports' }).waitFor();

      await figure(page, 'Tasks').filter({ hasText: '3' }).waitFor();
      await expect(figure(page, 'Reachability').getAttribute('aria-label')).resolves.toBe('Reachability: 66.7 %');
      await expect(figure(page, 'Connected time \\(avg\\)').getAttribute('aria-label')).resolves.toBe(
        'Connected time (avg): 2:33',
      );
      // The chart is drawn (an SVG with its bars), and the same numbers stand in the table beside it.
      const perDay = page.getByRole('region', { name: 'Tasks per day' });
      await perDay.locator('svg rect').first().waitFor();
      const rows = page.getByRole('table', { name: 'Tasks per day' }).getByRole('row');
      await expect(rows.count()).resolves.toBe(3);
      await expect(rows.nth(1).textContent()).resolves.toMatch(/^\d{4}-\d{2}-\d{2}2150 %$/);
      // By hour of arrival (UTC here): 00:00, 09:00 and 10:00 had one task each.
      await page.getByRole('region', { name: 'Tasks by hour of day' }).locator('svg rect').first().waitFor();
      const hours = page.getByRole('table', { name: 'Tasks by hour of day' }).getByRole('row');
      await expect(hours.allTextContents()).resolves.toEqual([
        expect.stringMatching(/^Hour/),
        expect.stringMatching(/^00:001/),
        expect.stringMatching(/^09:001/),
        expect.stringMatching(/^10:001/),
      ]);
      const services = page.getByRole('table', { name: 'Outcomes by service' });
      await expect(services.getByRole('row').nth(1).textContent()).resolves.toMatch(/^Alpha2/);
      await page.screenshot({ path: screenshotPath('reports-admin'), fullPage: true });

      await page.getByRole('tab', { name: 'WhatsApp' }).click();
      await figure(page, 'Tasks').filter({ hasText: '1' }).waitFor();
      await expect(figure(page, 'Hangup SLA').getAttribute('aria-label')).resolves.toBe('Hangup SLA: 0 %');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
      const exported = parse(text, { columns: true }) as Record<string, string>[];
      expect(exported.map((r) => r.taskId)).toEqual(['t1', 't2', 't3']);
      expect(exported[0]!.customer).toBe("'=cmd|t1");
    }));

  it('shows a supervisor their service only, and no Reports tab to an agent', async () => {
    const tenantId = await setup();
    await withPage('reports-supervisor', async (page) => {
      await signInToTab(app, page, tenantId, 'Sue Supervisor');
      await page.getByRole('tab', { name: 'Reports' }).click();
      await figure(page, 'Tasks').filter({ hasText: '2' }).waitFor();
      const services = page.getByRole('table', { name: 'Outcomes by service' }).getByRole('row');
      await expect(services.count()).resolves.toBe(2);
      await expect(services.nth(1).textContent()).resolves.toMatch(/^Alpha/);
      await expect(page.getByRole('tab', { name: 'Admin' }).count()).resolves.toBe(0);
    });
    await withPage('reports-agent', async (page) => {
      await signInToTab(app, page, tenantId, 'Gary Agent');
      await expect(page.getByRole('tab', { name: 'Reports' }).count()).resolves.toBe(0);
      // A link to the reports takes an agent to My Sessions (the API answers them 403 anyway).
      await page.goto(`${app.baseUrl}/tab/?tenant=${encodeURIComponent(tenantId)}#/reports`);
      await page.getByRole('tab', { name: 'My Sessions', selected: true }).waitFor();
    });
  });
});
