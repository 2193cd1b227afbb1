import type { Logger } from 'pino';
import type { Request, Server } from 'restify';
import { z } from 'zod/v4';
import type { DevToken, InteractView, Me } from '../../contracts';
import { userInteractTab } from '../../core/licensing';
import { DisplayName, Id, InteractSettingsPatch } from '../../core/model';
import { HttpError } from '../../http/errors';
import { handle } from '../../http/server';
import type {
  InteractSettingsService,
  InteractTarget,
  SettingsResult,
} from '../../services/settings/interact-settings-service';
import type { AccountService } from '../../services/accounts/account-service';
import type { Onboarding } from '../../services/accounts/onboarding';
import type { AdminServices } from '../../services/admin/admin-services';
import type { ChatService } from '../../services/chat/chat-service';
import type { ChatStreams } from '../../services/chat/chat-streams';
import type { SessionsService } from '../../services/sessions/sessions-service';
import { registerAdminApi } from './admin-routes';
import { registerReportsApi } from './reports-routes';
import { registerSupervisionApi, type SupervisionRouteOptions } from './supervision-routes';
import type { SupervisionService } from '../../services/supervision/supervision-service';
import type { ReportingService } from '../../services/reporting/reporting-service';
import { type Principal, type TabAuth, configured } from './auth';
import { registerDevDirectory } from './dev-routes';
import { registerSessionsApi, type SessionsRouteOptions } from './sessions-routes';
import { registerSetupApi } from './setup-routes';

export const API_PREFIX = '/api/v1';

const IdParam = z.object({ id: Id });
const DevSignIn = z
  .object({
    tenantId: Id,
    userId: Id,
    /** For someone not in the store yet (a new organization's admin, a new agent): their name. */
    displayName: DisplayName.optional(),
    upn: z.email().max(254).optional(),
    /** Sign in with Entra's Global Administrator role, as the person who sets up an organization. */
    globalAdmin: z.boolean().default(false),
  })
  .strict();

function unwrap<T>(result: SettingsResult<T>): T {
  if (result.ok) return result.value;
  const { refusal } = result;
  if (refusal.code === 'not-found') throw new HttpError(404, 'not-found', 'Not found.');
  if (refusal.code === 'not-licensed') {
    const reasons = refusal.gate.allowed ? [] : refusal.gate.reasons;
    throw new HttpError(403, 'not-licensed', reasons[0]?.message ?? 'The license for this is missing.', {
      reasons: reasons.map((r) => r.code),
    });
  }
  throw new HttpError(400, 'invalid-settings', 'Some settings cannot be saved.', refusal.problems);
}

/**
 * The tab's API. Every call carries a bearer token; the tenant and the user come from it, so one
 * tenant's calls only ever read and write that tenant's partition.
 */
export type TabApiDeps = {
  auth: TabAuth | undefined;
  accounts: AccountService;
  interactSettings: InteractSettingsService;
  /** My Sessions and the admin pages; left out by tests that only need the settings. */
  sessions?: {
    service: SessionsService;
    chats: ChatService;
    streams: ChatStreams;
    log: Logger;
    options?: Partial<SessionsRouteOptions>;
  };
  admin?: AdminServices;
  /** Setting up an organization from the tab (the Admin tab's first visit). */
  onboarding?: Onboarding;
  /** Historic reporting for admins and supervisors. */
  reporting?: ReportingService;
  /** The server's public address, for the links the API gives out (relative links when absent). */
  baseUrl?: string;
  /** The live dashboard and chat supervision for admins and supervisors. */
  supervision?: {
    service: SupervisionService;
    chats: ChatService;
    streams: ChatStreams;
    log: Logger;
    options?: Partial<SupervisionRouteOptions>;
  };
};

export function registerTabApi(server: Server, deps: TabApiDeps): void {
  const { accounts, interactSettings } = deps;
  const configuredAuth = (): TabAuth => configured(deps.auth);
  const authenticate = (req: Request): Promise<Principal> => configuredAuth().authenticate(req);
  const requireAdmin = (principal: Principal) => {
    if (!principal.isAdmin) throw new HttpError(403, 'admin-only', 'Only tenant admins can do this.');
  };
  /** A user's own Interact settings, or anyone's for an admin. */
  const userTarget = (principal: Principal, req: Request): InteractTarget => {
    const { id } = IdParam.parse(req.params);
    if (id !== principal.userId) requireAdmin(principal);
    return { kind: 'user', id };
  };
  const serviceTarget = (principal: Principal, req: Request): InteractTarget => {
    requireAdmin(principal);
    return { kind: 'service', id: IdParam.parse(req.params).id };
  };

  server.get(
    `${API_PREFIX}/me`,
    handle(async (req): Promise<Me> => {
      const p = await authenticate(req);
      // One look at the services (and units) the user supervises answers both sections.
      const supervises =
        p.isAdmin ||
        (deps.reporting !== undefined &&
          (await deps.reporting.visibleServices({ tenantId: p.tenantId, userId: p.userId, isAdmin: false })).length >
            0);
      return {
        tenantId: p.tenantId,
        tenantName: p.tenant.name,
        userId: p.userId,
        displayName: p.user.displayName,
        isAdmin: p.isAdmin,
        interactTab: userInteractTab(p.tenant, p.user).allowed,
        reports: supervises,
        supervision: supervises && deps.supervision !== undefined,
      };
    }),
  );

  for (const [path, target] of [
    [`${API_PREFIX}/users/:id/interact`, userTarget],
    [`${API_PREFIX}/services/:id/interact`, serviceTarget],
  ] as const) {
    server.get(
      path,
      handle(async (req): Promise<InteractView> => {
        const p = await authenticate(req);
        return unwrap(await interactSettings.view(p.tenant, target(p, req)));
      }),
    );
    server.patch(
      path,
      handle(async (req): Promise<InteractView> => {
        const p = await authenticate(req);
        const t = target(p, req);
        return unwrap(await interactSettings.update(p.tenant, t, InteractSettingsPatch.parse(req.body)));
      }),
    );
    server.post(
      `${path}/regenerate-key`,
      handle(async (req): Promise<InteractView> => {
        const p = await authenticate(req);
        return unwrap(await interactSettings.regenerateKey(p.tenant, target(p, req)));
      }),
    );
  }

  // Local development only: act as any user of the store's tenants without Entra.
  if (deps.auth?.mode === 'local') {
    const auth = deps.auth;
    server.post(
      `${API_PREFIX}/dev/sign-in`,
      handle(async (req): Promise<DevToken> => {
        const { tenantId, userId, displayName, upn, globalAdmin } = DevSignIn.parse(req.body);
        const user = await accounts.user(tenantId, userId);
        if (!user && !displayName)
          throw new HttpError(404, 'not-found', 'No such user. Give a display name to sign in as someone new.');
        const as = user ?? { id: userId, displayName: displayName ?? userId };
        return { token: auth.issueDevToken(tenantId, as, { globalAdmin, upn }) };
      }),
    );
  }
  if (deps.auth?.mode === 'local') registerDevDirectory(server, { prefix: API_PREFIX, accounts });
  if (deps.onboarding)
    registerSetupApi(server, {
      prefix: API_PREFIX,
      signer: (req) => configuredAuth().signer(req),
      onboarding: deps.onboarding,
    });
  if (deps.sessions)
    registerSessionsApi(server, {
      prefix: API_PREFIX,
      authenticate,
      sessions: deps.sessions.service,
      chats: deps.sessions.chats,
      streams: deps.sessions.streams,
      log: deps.sessions.log,
      options: deps.sessions.options,
    });
  if (deps.admin) {
    const authenticateAdmin = async (req: Request): Promise<Principal> => {
      const principal = await authenticate(req);
      requireAdmin(principal);
      return principal;
    };
    registerAdminApi(server, { prefix: API_PREFIX, authenticateAdmin, admin: deps.admin });
  }
  if (deps.reporting)
    registerReportsApi(server, {
      prefix: API_PREFIX,
      authenticate,
      reporting: deps.reporting,
      baseUrl: deps.baseUrl ?? '',
    });
  if (deps.supervision)
    registerSupervisionApi(server, {
      prefix: API_PREFIX,
      authenticate,
      supervision: deps.supervision.service,
      chats: deps.supervision.chats,
      streams: deps.supervision.streams,
      log: deps.supervision.log,
      options: deps.supervision.options,
    });
}
