import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import type { InteractService } from '../../services/interact/interact-service';
import { snippetFor } from '../../services/interact/snippet';
import { INTERACT_PREFIX } from './routes';
import { ContactParams, KeyQuery } from './schemas';

/** The built bundle, found upwards from here: the same code runs from bot/src, dist/ and a staged web app. */
function findWidgetBundle(from = __dirname): string {
  const relative = path.join('widget', 'dist', 'interact.js');
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, relative))) return path.join(dir, relative);
    if (path.dirname(dir) === dir) return path.resolve(from, '../../../..', relative);
  }
}

const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The widget bundle at its stable URL, and the preview page that loads it for one contact. */
export function registerInteractStatic(
  server: Server,
  deps: { interact: InteractService; baseUrl: string; log: Logger; widgetFile?: string },
): void {
  const file = deps.widgetFile ?? findWidgetBundle();
  let bundle: Buffer | undefined;
  try {
    bundle = readFileSync(file);
  } catch {
    deps.log.warn({ file }, 'widget bundle not built: run "npm run build:widget"');
  }

  server.get(`${INTERACT_PREFIX}/widget.js`, (_req: Request, res: Response, next: () => void) => {
    if (!bundle) {
      res.send(503, {
        error: {
          code: 'widget-not-built',
          message: 'The widget bundle has not been built. Run "npm run build:widget".',
        },
      });
      return next();
    }
    res.writeHead(200, {
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
      'content-length': bundle.length,
    });
    res.end(bundle);
    return next();
  });

  server.get(
    '/interact/preview/:contactId',
    handle(async (req, res) => {
      const { contactId } = ContactParams.parse(req.params);
      const { key } = KeyQuery.parse(req.query);
      const contact = await deps.interact.resolve(contactId);
      if (!contact || contact.interact.widgetKey !== key)
        throw new HttpError(
          404,
          'contact-not-found',
          'No contact with this id and key. The preview link may be outdated.',
        );
      const snippet = snippetFor(deps.baseUrl, contact.interact);
      const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Interact preview — ${html(contact.displayName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 16px;color:#242424}code,pre{background:#f5f5f5;border-radius:6px}pre{padding:12px;white-space:pre-wrap;overflow-wrap:anywhere}</style>
</head>
<body>
<h1>Interact preview: ${html(contact.displayName)}</h1>
<p>This page loads the chat widget exactly as a website would. Open it with the button in the corner.</p>
<p>The snippet for this ${contact.target.kind === 'service' ? 'service' : 'user'}:</p>
<pre><code>${html(snippet)}</code></pre>
${snippet}
</body>
</html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
    }),
  );
}
