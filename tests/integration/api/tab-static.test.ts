import type { App } from '../../../bot/src/app';
import { DEMO_TENANT_ID } from '../../../bot/src/services/demo-tenant';
import { startTestApp } from '../../helpers/app';
import { openForAll } from '../../helpers/hooks';

let app: App;
openForAll(async () => (app = await startTestApp()));

describe('the tab, served by the bot server', () => {
  it('serves the page and its bundle at /tab/, framable by Teams only', async () => {
    const page = await fetch(`${app.baseUrl}/tab/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain('frame-ancestors');
    expect(page.headers.get('content-security-policy')).toContain('https://teams.microsoft.com');
    expect(await page.text()).toContain('<script src="app.js"></script>');
    const bundle = await fetch(`${app.baseUrl}/tab/app.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${app.baseUrl}/tab`, { redirect: 'manual' })).headers.get('location')).toBe('/tab/');
  });

  it('serves nothing but its own files', async () => {
    for (const path of [
      '/tab/missing.js',
      '/tab/..%2Fpackage.json',
      '/tab/%2E%2E%2F%2E%2E%2Fpackage.json',
      '/tab/.env',
    ]) {
      expect({ path, status: (await fetch(`${app.baseUrl}${path}`)).status }).toEqual({ path, status: 404 });
    }
  });

  it('prints the tab URL in the start banner in local mode', () => {
    expect(app.urls).toContainEqual({ name: 'Teams tab (local sign-in)', url: `${app.baseUrl}/tab/` });
  });

  it('lists the demo people for the local sign-in, with their roles', async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/dev/users`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      tenantId: string;
      users: { id: string; isAdmin: boolean; isAgent: boolean }[];
    };
    expect(body.tenantId).toBe(DEMO_TENANT_ID);
    expect(body.users).toEqual(
      expect.arrayContaining([
        { id: 'admin-adele', displayName: 'Adele Vance', isAdmin: true, isAgent: false },
        { id: 'agent-alex', displayName: 'Alex Wilber', isAdmin: false, isAgent: true },
      ]),
    );
    expect((await fetch(`${app.baseUrl}/api/v1/dev/users?tenantId=nobody`)).status).toBe(404);
  });
});
