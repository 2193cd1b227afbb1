import type { App } from '../../../bot/src/app';
import { startTestApp } from '../../helpers/app';

let app: App;
let token: string;
beforeAll(async () => {
  app = await startTestApp();
  const res = await fetch(`${app.baseUrl}/api/v1/dev/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 'contoso-demo', userId: 'admin-adele' }),
  });
  token = ((await res.json()) as { token: string }).token;
});
afterAll(async () => {
  await app.close();
});

/** Ids the store cannot take (a path separator, a query, a partition separator, control characters, length). */
const BAD_IDS = [
  'a%2Fb',
  '..%2F..%2Fdbs',
  'x%3Fy',
  'x%23y',
  'x%5Cy',
  '%00',
  'x%20y',
  encodeURIComponent('ü'),
  'x'.repeat(129),
  '%E2%80%AE',
];

describe('ids in URLs and webhooks', () => {
  it.each([
    ['GET', (id: string) => `/interact/v1/contacts/${id}?key=k`],
    ['POST', (id: string) => `/interact/v1/contacts/ct-x/chats/${id}/messages`],
    ['GET', (id: string) => `/interact/v1/contacts/${id}/chats/c-1/events?token=t`],
    ['GET', (id: string) => `/api/v1/me/sessions/${id}`],
    ['POST', (id: string) => `/api/v1/me/offers/${id}/accept`],
    ['GET', (id: string) => `/api/v1/services/${id}/interact`],
    ['PUT', (id: string) => `/api/v1/admin/web-requests/${id}`],
    ['POST', (id: string) => `/whatsapp/v1/status/${id}?chat=c-1&seq=1`],
  ])('%s %s answers 400 for an id that is not one of ours', async (method, route) => {
    for (const id of BAD_IDS) {
      const body =
        method === 'GET'
          ? undefined
          : method === 'POST' && route(id).startsWith('/whatsapp')
            ? 'MessageSid=x'
            : '{"text":"hi"}';
      const contentType = route(id).startsWith('/whatsapp') ? 'application/x-www-form-urlencoded' : 'application/json';
      const res = await fetch(`${app.baseUrl}${route(id)}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': contentType } : {}) },
        body,
      });
      expect({ id, status: res.status }).toEqual({ id, status: 400 });
    }
  });
});
