import type { App } from '../../../bot/src/app';
import { DEMO_TENANT_ID, demoIds } from '../../../bot/src/services/demo-tenant';
import { startTestApp } from '../../helpers/app';

let app: App;
let n = 0;
beforeAll(async () => {
  // Ids come from the composition root: a test can pin them.
  app = await startTestApp({}, { ids: { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` } });
});
afterAll(async () => {
  await app.close();
});

describe('ids of new documents', () => {
  it('come from the id source the app was started with', async () => {
    const service = await app.store.repos.services.get(DEMO_TENANT_ID, demoIds.service);
    const { contactId, widgetKey } = service.interact;
    const res = await fetch(`${app.baseUrl}/interact/v1/contacts/${contactId}/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.baseUrl },
      body: JSON.stringify({ key: widgetKey, displayName: 'Ida', email: 'ida@example.com', consent: true }),
    });
    expect(res.status).toBe(201);
    const { chatId } = (await res.json()) as { chatId: string };
    expect(chatId).toMatch(/^00000000-0000-4000-8000-\d{12}$/);
    const chat = await app.chats.get(DEMO_TENANT_ID, chatId);
    expect(chat?.task?.id).toMatch(/^00000000-0000-4000-8000-\d{12}$/);
  });
});
