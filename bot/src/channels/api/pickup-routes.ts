import type { Request, Server } from 'restify';
import { z } from 'zod/v4';
import type { ClaimResult, PickupQueue } from '../../contracts';
import { Id } from '../../core/model';
import { handle } from '../../http/server';
import type { SessionsService } from '../../services/sessions/sessions-service';
import type { Principal } from './auth';
import { sessionRefusalToHttp } from './tab-refusals';

const ClaimParams = z.object({ serviceId: Id, taskId: Id });

/**
 * The Pickup queues of the signed-in agent's services and the claim of one of their tasks. The agent
 * is always the signed-in user; a service they are not an active member of answers as not found.
 */
export function registerPickupApi(
  server: Server,
  deps: { me: string; authenticate: (req: Request) => Promise<Principal>; sessions: SessionsService },
): void {
  const { me, authenticate, sessions } = deps;

  server.get(
    `${me}/pickup`,
    handle(async (req): Promise<PickupQueue> => {
      const p = await authenticate(req);
      return { tasks: await sessions.pickupQueue(p.tenantId, p.userId) };
    }),
  );

  server.post(
    `${me}/pickup/:serviceId/:taskId/claim`,
    handle(async (req): Promise<ClaimResult> => {
      const p = await authenticate(req);
      const { serviceId, taskId } = ClaimParams.parse(req.params);
      const result = await sessions.claimPickup(p.tenantId, p.userId, serviceId, taskId);
      if (!result.ok) throw sessionRefusalToHttp(result.refusal);
      return result.value;
    }),
  );
}
