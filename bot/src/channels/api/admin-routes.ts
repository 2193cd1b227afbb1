import type { Request, Server } from 'restify';
import { z } from 'zod/v4';
import type {
  Calendar,
  DomainTemplate,
  EditedJson,
  LicensesView,
  OrgUnit,
  ServiceSummary,
  Services,
  SystemMessages,
  Users,
  WebRequestCheck,
  WebRequestSaved,
  WebRequests,
  WorkflowCheck,
  WorkflowSaved,
  Workflows,
} from '../../contracts';
import { Id } from '../../core/model';
import { handle } from '../../http/server';
import type { AdminResult } from '../../services/admin/admin-result';
import type { AdminService } from '../../services/admin/admin-service';
import {
  CalendarInput,
  DomainTemplateInput,
  LicenseAssignment,
  NewServiceInput,
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
  deps: { prefix: string; authenticateAdmin: (req: Request) => Promise<Principal>; admin: AdminService },
): void {
  const { authenticateAdmin: auth, admin } = deps;
  const base = `${deps.prefix}/admin`;
  const id = (req: Request) => IdParam.parse(req.params).id;

  server.get(
    `${base}/users`,
    handle(async (req): Promise<Users> => ({ users: await admin.users((await auth(req)).tenant) })),
  );

  server.get(
    `${base}/licenses`,
    handle(async (req): Promise<LicensesView> => admin.licenses((await auth(req)).tenant)),
  );
  server.post(
    `${base}/licenses/assign`,
    handle(async (req): Promise<LicensesView> => {
      const p = await auth(req);
      const { kind, holderId } = LicenseAssignment.parse(req.body);
      return unwrap(await admin.changeLicense(p.tenantId, 'assign', kind, holderId));
    }),
  );
  server.post(
    `${base}/licenses/unassign`,
    handle(async (req): Promise<LicensesView> => {
      const p = await auth(req);
      const { kind, holderId } = LicenseAssignment.parse(req.body);
      return unwrap(await admin.changeLicense(p.tenantId, 'unassign', kind, holderId));
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

  crud<OrgUnit, UnitInput>('units', UnitInput, {
    list: (t) => admin.units(t),
    save: (t, i, b) => admin.saveUnit(t, i, b),
    remove: (t, i) => admin.deleteUnit(t, i),
  });
  crud<DomainTemplate, DomainTemplateInput>('domain-templates', DomainTemplateInput, {
    list: (t) => admin.domainTemplates(t),
    save: (t, i, b) => admin.saveDomainTemplate(t, i, b),
    remove: (t, i) => admin.deleteDomainTemplate(t, i),
  });
  crud<SystemMessages, SystemMessagesInput>('system-messages', SystemMessagesInput, {
    list: (t) => admin.systemMessages(t),
    save: (t, i, b) => admin.saveSystemMessages(t, i, b),
    remove: (t, i) => admin.deleteSystemMessages(t, i),
  });
  crud<Calendar, CalendarInput>('calendars', CalendarInput, {
    list: (t) => admin.calendars(t),
    save: (t, i, b) => admin.saveCalendar(t, i, b),
    remove: (t, i) => admin.deleteCalendar(t, i),
  });

  server.get(
    `${base}/services`,
    handle(async (req): Promise<Services> => ({ services: await admin.services((await auth(req)).tenant) })),
  );
  server.post(
    `${base}/services`,
    handle(async (req, res) => {
      const p = await auth(req);
      const created: ServiceSummary = unwrap(await admin.createService(p.tenant, NewServiceInput.parse(req.body)));
      res.send(201, created);
    }),
  );
  server.get(
    `${base}/services/:id`,
    handle(async (req): Promise<ServiceSummary> => {
      const p = await auth(req);
      return unwrap(await admin.service(p.tenant, id(req)));
    }),
  );
  server.patch(
    `${base}/services/:id`,
    handle(async (req): Promise<ServiceSummary> => {
      const p = await auth(req);
      return unwrap(await admin.updateService(p.tenant, id(req), ServicePatch.parse(req.body)));
    }),
  );
  server.del(
    `${base}/services/:id`,
    handle(async (req, res) => {
      const p = await auth(req);
      unwrap(await admin.deleteService(p.tenantId, id(req)));
      res.send(204);
    }),
  );

  server.get(
    `${base}/workflows`,
    handle(async (req): Promise<Workflows> => ({
      items: unwrap(await admin.workflowList((await auth(req)).tenantId)),
    })),
  );
  // The workflow editor: the definition as JSON, checked while the admin types, saved as a new version.
  const WorkflowJson = z.record(z.string(), z.unknown());
  server.get(
    `${base}/workflows/:id`,
    handle(async (req) => {
      const p = await auth(req);
      return unwrap(await admin.workflow(p.tenantId, id(req)));
    }),
  );
  server.post(
    `${base}/workflows/:id/check`,
    handle(async (req): Promise<WorkflowCheck> => {
      const p = await auth(req);
      return unwrap(await admin.checkWorkflow(p.tenantId, id(req), WorkflowJson.parse(req.body)));
    }),
  );
  server.put(
    `${base}/workflows/:id`,
    handle(async (req): Promise<WorkflowSaved> => {
      const p = await auth(req);
      return unwrap(await admin.saveWorkflow(p.tenantId, id(req), WorkflowJson.parse(req.body)));
    }),
  );

  // Web requests of the Web Request activity: edited as JSON like workflows; API keys and client secrets come back redacted.
  server.get(
    `${base}/web-requests`,
    handle(async (req): Promise<WebRequests> => ({
      items: unwrap(await admin.webRequestList((await auth(req)).tenantId)),
    })),
  );
  server.get(
    `${base}/web-requests/:id`,
    handle(async (req): Promise<EditedJson> => {
      const p = await auth(req);
      return unwrap(await admin.webRequest(p.tenantId, id(req)));
    }),
  );
  server.post(
    `${base}/web-requests/:id/check`,
    handle(async (req): Promise<WebRequestCheck> => {
      const p = await auth(req);
      return unwrap(await admin.checkWebRequest(p.tenantId, id(req), WorkflowJson.parse(req.body)));
    }),
  );
  server.put(
    `${base}/web-requests/:id`,
    handle(async (req): Promise<WebRequestSaved> => {
      const p = await auth(req);
      return unwrap(await admin.saveWebRequest(p.tenantId, id(req), WorkflowJson.parse(req.body)));
    }),
  );
}
