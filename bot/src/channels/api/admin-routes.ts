import type { Request, Server } from 'restify';
import { z } from 'zod/v4';
import type {
  Calendar,
  DomainTemplate,
  EditedJson,
  InstalledTeams,
  LicenseChange,
  LicensesView,
  OrgUnit,
  PrivacyPolicy,
  ServiceSummary,
  Services,
  SystemMessages,
  Users,
  WebRequestCheck,
  WebRequestSaved,
  WebRequestSummary,
  WorkflowCheck,
  WorkflowSaved,
  WorkflowSummary,
} from '../../contracts';
import { Id } from '../../core/model';
import { handle } from '../../http/server';
import type { AdminResult } from '../../services/admin/admin-result';
import type { AdminServices } from '../../services/admin/admin-services';
import {
  CalendarInput,
  DomainTemplateInput,
  LicenseAssignment,
  NewServiceInput,
  PrivacyPolicyInput,
  ServicePatch,
  SystemMessagesInput,
  UnitInput,
} from '../../services/admin/inputs';
import type { Principal } from './auth';
import { adminRefusalToHttp } from './tab-refusals';

const IdParam = z.object({ id: Id });

const unwrap = <T>(result: AdminResult<T>): T => {
  if (!result.ok) throw adminRefusalToHttp(result.refusal);
  return result.value;
};

/**
 * The admin pages' API. Every call needs a tenant admin; the tenant is the admin's own, from the
 * sign-in, so an id of another tenant's item is simply not found.
 */
export function registerAdminApi(
  server: Server,
  deps: { prefix: string; authenticateAdmin: (req: Request) => Promise<Principal>; admin: AdminServices },
): void {
  const { authenticateAdmin: auth, admin } = deps;
  const base = `${deps.prefix}/admin`;
  const id = (req: Request) => IdParam.parse(req.params).id;

  server.get(
    `${base}/users`,
    handle(async (req): Promise<Users> => ({ users: await admin.licenses.users((await auth(req)).tenant) })),
  );

  server.get(
    `${base}/licenses`,
    handle(async (req): Promise<LicensesView> => admin.licenses.view((await auth(req)).tenant)),
  );
  for (const change of ['assign', 'unassign'] as const)
    server.post(
      `${base}/licenses/${change}`,
      handle(async (req): Promise<LicenseChange> => {
        const p = await auth(req);
        const { kind, holderId } = LicenseAssignment.parse(req.body);
        return unwrap(await admin.licenses.change(p.tenantId, change, kind, holderId));
      }),
    );

  // The organization's privacy policy, linked from the widget's consent of every contact without its own.
  server.get(
    `${base}/privacy-policy`,
    handle(async (req): Promise<PrivacyPolicy> => admin.tenantSettings.privacyPolicy((await auth(req)).tenant)),
  );
  server.put(
    `${base}/privacy-policy`,
    handle(async (req): Promise<PrivacyPolicy> => {
      const p = await auth(req);
      return unwrap(await admin.tenantSettings.setPrivacyPolicy(p.tenantId, PrivacyPolicyInput.parse(req.body)));
    }),
  );

  /** List, create, replace and delete of one kind of configuration item, answered as the contract's item `T`. */
  const crud = <T, I>(
    path: string,
    input: z.ZodType<I>,
    ops: {
      list(tenantId: string): Promise<T[]>;
      save(tenantId: string, id: string | undefined, input: I): Promise<AdminResult<T>>;
      remove(tenantId: string, id: string): Promise<AdminResult<null>>;
    },
  ) => {
    server.get(
      `${base}/${path}`,
      handle(async (req): Promise<{ items: T[] }> => ({ items: await ops.list((await auth(req)).tenantId) })),
    );
    server.post(
      `${base}/${path}`,
      handle(async (req, res) => {
        const p = await auth(req);
        const created: T = unwrap(await ops.save(p.tenantId, undefined, input.parse(req.body)));
        res.send(201, created);
      }),
    );
    server.put(
      `${base}/${path}/:id`,
      handle(async (req): Promise<T> => {
        const p = await auth(req);
        return unwrap(await ops.save(p.tenantId, id(req), input.parse(req.body)));
      }),
    );
    server.del(
      `${base}/${path}/:id`,
      handle(async (req, res) => {
        const p = await auth(req);
        unwrap(await ops.remove(p.tenantId, id(req)));
        res.send(204);
      }),
    );
  };

  crud<OrgUnit, UnitInput>('units', UnitInput, admin.units);
  crud<DomainTemplate, DomainTemplateInput>('domain-templates', DomainTemplateInput, admin.domainTemplates);
  crud<SystemMessages, SystemMessagesInput>('system-messages', SystemMessagesInput, admin.systemMessages);
  crud<Calendar, CalendarInput>('calendars', CalendarInput, admin.calendars);

  server.get(
    `${base}/services`,
    handle(async (req): Promise<Services> => ({ services: await admin.services.list((await auth(req)).tenant) })),
  );
  // The teams a service can be linked to: those the app is installed in now.
  server.get(
    `${base}/teams`,
    handle(async (req): Promise<InstalledTeams> => ({
      teams: await admin.teams.installed((await auth(req)).tenantId),
    })),
  );
  server.post(
    `${base}/services`,
    handle(async (req, res) => {
      const p = await auth(req);
      const created: ServiceSummary = unwrap(await admin.services.create(p.tenant, NewServiceInput.parse(req.body)));
      res.send(201, created);
    }),
  );
  server.get(
    `${base}/services/:id`,
    handle(async (req): Promise<ServiceSummary> => {
      const p = await auth(req);
      return unwrap(await admin.services.get(p.tenant, id(req)));
    }),
  );
  server.patch(
    `${base}/services/:id`,
    handle(async (req): Promise<ServiceSummary> => {
      const p = await auth(req);
      return unwrap(await admin.services.update(p.tenant, id(req), ServicePatch.parse(req.body)));
    }),
  );
  server.del(
    `${base}/services/:id`,
    handle(async (req, res) => {
      const p = await auth(req);
      unwrap(await admin.services.remove(p.tenantId, id(req)));
      res.send(204);
    }),
  );

  /** A JSON editor: the list `L`, one item as JSON `G`, checked `C` while the admin types, and saved `S`. */
  const EditedJsonBody = z.record(z.string(), z.unknown());
  const jsonEditor = <L, G, C, S>(
    path: string,
    ops: {
      list(tenantId: string): Promise<AdminResult<L[]>>;
      get(tenantId: string, id: string): Promise<AdminResult<G>>;
      check(tenantId: string, id: string, input: Record<string, unknown>): Promise<AdminResult<C>>;
      save(tenantId: string, id: string, input: Record<string, unknown>): Promise<AdminResult<S>>;
    },
  ) => {
    server.get(
      `${base}/${path}`,
      handle(async (req): Promise<{ items: L[] }> => ({ items: unwrap(await ops.list((await auth(req)).tenantId)) })),
    );
    server.get(
      `${base}/${path}/:id`,
      handle(async (req): Promise<G> => {
        const p = await auth(req);
        return unwrap(await ops.get(p.tenantId, id(req)));
      }),
    );
    server.post(
      `${base}/${path}/:id/check`,
      handle(async (req): Promise<C> => {
        const p = await auth(req);
        return unwrap(await ops.check(p.tenantId, id(req), EditedJsonBody.parse(req.body)));
      }),
    );
    server.put(
      `${base}/${path}/:id`,
      handle(async (req): Promise<S> => {
        const p = await auth(req);
        return unwrap(await ops.save(p.tenantId, id(req), EditedJsonBody.parse(req.body)));
      }),
    );
  };

  // The workflow editor: the definition as JSON, checked while the admin types, saved as a new version.
  jsonEditor<WorkflowSummary, object, WorkflowCheck, WorkflowSaved>('workflows', admin.workflows);
  // Web requests of the Web Request activity: edited as JSON like workflows; API keys and client secrets come back redacted.
  jsonEditor<WebRequestSummary, EditedJson, WebRequestCheck, WebRequestSaved>('web-requests', admin.webRequests);
}
