import type { Request, Response, Server } from 'restify';
import { z } from 'zod/v4';
import { handle } from '../../http/server';
import type { TeamsPresenceService } from '../../services/presence';

const Validation = z.object({ validationToken: z.string().min(1).max(1000) });

/**
 * Microsoft Graph's change and lifecycle notifications on agents' Teams presence. A subscription is
 * validated by echoing `validationToken` as text/plain; notifications are answered 202 at once and
 * applied after (the service checks every item's clientState).
 */
export function registerPresenceRoutes(server: Server, deps: { presence: TeamsPresenceService }): void {
  const endpoint = (accept: (body: unknown) => void) =>
    handle((req: Request, res: Response) => {
      const validation = Validation.safeParse(req.query ?? {});
      if (validation.success) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(validation.data.validationToken);
        return;
      }
      accept(req.body);
      res.writeHead(202);
      res.end();
    });
  server.post(
    '/api/graph/presence',
    endpoint((body) => deps.presence.notified(body)),
  );
  server.post(
    '/api/graph/presence/lifecycle',
    endpoint((body) => deps.presence.lifecycle(body)),
  );
}
