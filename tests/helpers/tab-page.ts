import type { Page } from 'playwright-core';
import type { App } from '../../bot/src/app';
import { customerForm } from './interact';

/** The local dev sign-in, as a person does it: pick the organization, then the person. */
export async function signInToTab(app: App, page: Page, tenantId: string, name: string): Promise<void> {
  await page.goto(`${app.baseUrl}/tab/?tenant=${encodeURIComponent(tenantId)}`);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.getByRole('tab', { name: 'My Sessions' }).waitFor();
}

/** A website customer of one contact, on a page at `origin`: starts chats and writes in them. */
export function websiteCustomer(app: App, contact: { contactId: string; key: string; origin: string }) {
  const interact = (path: string, body: unknown, token?: string) =>
    fetch(`${app.baseUrl}/interact/v1/contacts/${contact.contactId}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: contact.origin,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  return {
    /** A customer starts a chat from the widget's form. */
    async startChat(message: string, displayName = 'Casey Customer') {
      const res = await interact('/chats', { ...customerForm(contact.key, message), displayName });
      expect(res.status).toBe(201);
      const chat = (await res.json()) as { chatId: string; token: string };
      return {
        ...chat,
        say: async (text: string) =>
          expect((await interact(`/chats/${chat.chatId}/messages`, { text }, chat.token)).status).toBe(201),
        /** The customer ends the chat from the widget. */
        leave: async () => expect((await interact(`/chats/${chat.chatId}/end`, {}, chat.token)).status).toBe(200),
      };
    },
  };
}
