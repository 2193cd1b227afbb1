import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Next, Request, Response, Server } from 'restify';

/** The built tab, found upwards from here: the same code runs from bot/src, dist/ and a staged web app. */
export function findTabDist(from = __dirname): string {
  const relative = path.join('tab', 'dist');
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, relative, 'index.html'))) return path.join(dir, relative);
    if (path.dirname(dir) === dir) return path.resolve(from, '../../../..', relative);
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

/**
 * Teams shows the tab in a frame of its own pages; everything else may not frame it. The tab loads
 * only its own files and talks only to this server's API.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https://res.cdn.office.net; frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://*.microsoft365.com https://*.skype.com",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Serves the tab's static files at /tab/ (its routes live after the #, so one page serves them all). */
export function registerTabStatic(server: Server, deps: { log: Logger; dir?: string }): void {
  const dir = deps.dir ?? findTabDist();
  if (!existsSync(path.join(dir, 'index.html'))) deps.log.warn({ dir }, 'tab not built: run "npm run build:tab"');

  const send = async (res: Response, name: string): Promise<boolean> => {
    const ext = path.extname(name);
    const type = TYPES[ext];
    if (!type || !FILE_NAME.test(name)) return false;
    let body: Buffer;
    try {
      body = await readFile(path.join(dir, name));
    } catch {
      return false;
    }
    // index.html names the bundle, so it must never be stale; the bundle itself may be cached briefly.
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'cache-control': ext === '.html' ? 'no-store' : 'public, max-age=300',
      ...SECURITY_HEADERS,
    });
    res.end(body);
    return true;
  };
  const notBuilt = (res: Response) =>
    res.send(503, {
      error: { code: 'tab-not-built', message: 'The tab has not been built. Run "npm run build:tab".' },
    });

  server.get('/tab', (_req: Request, res: Response, next: Next) => {
    res.redirect(301, '/tab/', next);
  });
  server.get('/tab/', (_req: Request, res: Response, next: Next) => {
    void send(res, 'index.html').then((sent) => {
      if (!sent) notBuilt(res);
      next();
    });
  });
  server.get('/tab/:file', (req: Request, res: Response, next: Next) => {
    const file = String((req.params as { file?: unknown }).file ?? '');
    void send(res, file).then((sent) => {
      if (!sent) res.send(404, { error: { code: 'not-found', message: 'No such file.' } });
      next();
    });
  });
}
