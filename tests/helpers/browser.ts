import { existsSync, mkdirSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import http from 'node:http';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');

/** Headless Chromium from the system (Debian's package); test tools never download a browser here. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export const screenshotPath = (name: string) => path.join(SCREENSHOTS, `${name}.png`);

/** Script errors of the page: a crashed React tree shows as an empty page, so every test checks for none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** A customer's website on its own loopback origin; its page can be set once its origin is known. */
/**
 * Runs `steps` in a fresh browser context and page: the page must log no error, and a failure leaves
 * a full-page screenshot named after the step (`<name>-failure.png`) among the test artifacts.
 */
export async function withPage(
  browser: Browser,
  name: string,
  steps: (page: Page, context: BrowserContext) => Promise<void>,
  options: BrowserContextOptions = { viewport: { width: 1280, height: 900 } },
): Promise<void> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = watchErrors(page);
  try {
    await steps(page, context);
    expect(errors).toEqual([]);
  } catch (err) {
    await page.screenshot({ path: screenshotPath(`${name}-failure`), fullPage: true });
    throw err;
  } finally {
    await context.close();
  }
}

export async function startHostSite(
  html = '',
): Promise<{ url: string; origin: string; setPage(html: string): void; close(): Promise<void> }> {
  let page = html;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    setPage: (next) => {
      page = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
