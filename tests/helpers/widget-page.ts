/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { eventually } from './process';

/** A customer's web page with the widget's snippet in it. */
export const hostPage = (snippet: string) =>
  `<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Our shop</h1>${snippet}</body></html>`;

/** Opens the widget and starts a chat as Casey Customer, the way a person fills the form. */
export async function fillWidgetForm(page: Page, message: string): Promise<void> {
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByLabel('Your name').fill('Casey Customer');
  await page.getByLabel('Email').fill('casey@example.com');
  await page.getByLabel('How can we help? (optional)').fill(message);
  await page.getByLabel('I accept the').check();
  await page.getByRole('button', { name: 'Start chat' }).click();
}

/** The id of the chat the widget keeps for this contact, once it has one. */
export const widgetChatId = (page: Page, contactId: string): Promise<string> =>
  eventually(() =>
    page.evaluate(
      (key) => JSON.parse(sessionStorage.getItem(key) ?? 'null')?.chatId as string | undefined,
      `interact:${contactId}`,
    ),
  );
