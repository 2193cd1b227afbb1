import type { App } from '../../../bot/src/app';
import { startTestApp } from '../../helpers/app';

/** Creating a chat is limited to a burst of 2 per client address here; the contact does not exist. */
const limits = { createPerIp: { burst: 2, perMinute: 1 } };
const create = (app: App, forwardedFor?: string) =>
  fetch(`${app.baseUrl}/interact/v1/contacts/ct-nobody/chats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ key: 'k', displayName: 'Eve', email: 'eve@example.com', consent: true }),
  });
const statuses = async (app: App, forwarded: (i: number) => string | undefined, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await create(app, forwarded(i))).status);
  return out;
};

describe('rate limits key on the real client', () => {
  let apps: App[] = [];
  afterEach(async () => {
    await Promise.all(apps.map((a) => a.close()));
    apps = [];
  });
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp({ DEMO_TENANT: 'false', ...env }, { interact: { limits: limits as never } });
    apps.push(app);
    return app;
  };

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: a new header per request does not reset the limit', async () => {
    const app = await start({});
    const seen = await statuses(app, (i) => `198.51.100.${i + 1}`, 4);
    expect(seen.slice(2)).toEqual([429, 429]);
  });

  it('honours X-Forwarded-For from a trusted proxy: each client has its own limit', async () => {
    const app = await start({ TRUSTED_PROXIES: 'loopback' });
    const perClient = await statuses(app, (i) => `198.51.100.${i + 1}`, 4);
    expect(perClient).not.toContain(429);
    const sameClient = await statuses(app, () => '198.51.100.77', 3);
    expect(sameClient[2]).toBe(429);
  });

  it('cannot be bypassed by a client prepending addresses behind a trusted proxy', async () => {
    const app = await start({ TRUSTED_PROXIES: 'loopback' });
    // The proxy appends the address it saw (203.0.113.5); what the client wrote before it changes nothing.
    const seen = await statuses(app, (i) => `10.9.9.${i + 1}, 203.0.113.5`, 3);
    expect(seen[2]).toBe(429);
  });
});
