import type { Server } from 'restify';
import { z } from 'zod/v4';
import type { DevUsers } from '../../contracts';
import { Id } from '../../core/model';
import { holdsLicense } from '../../core/licensing';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import type { AccountService } from '../../services/accounts/account-service';
import { DEMO_TENANT_ID } from '../../services/demo-tenant';

const TenantQuery = z.object({ tenantId: Id.default(DEMO_TENANT_ID) });

/**
 * Local mode only: the people the dev sign-in can act as, so the tab can offer a picker instead of
 * asking for ids. Only registered when the server runs without Entra sign-on.
 */
export function registerDevDirectory(server: Server, deps: { prefix: string; accounts: AccountService }): void {
  server.get(
    `${deps.prefix}/dev/users`,
    handle(async (req): Promise<DevUsers> => {
      const { tenantId } = TenantQuery.parse(req.query);
      const tenant = await deps.accounts.tenant(tenantId);
      if (!tenant)
        throw new HttpError(404, 'tenant-not-found', `There is no organization "${tenantId}" on this server.`);
      const users = await deps.accounts.usersByName(tenantId);
      return {
        tenantId,
        tenantName: tenant.name,
        users: users.map((u) => ({
          id: u.id,
          displayName: u.displayName,
          isAdmin: tenant.adminUserIds.includes(u.id),
          isAgent: u.im.enabled && holdsLicense(tenant, 'imModality', u.id),
        })),
      };
    }),
  );
}
