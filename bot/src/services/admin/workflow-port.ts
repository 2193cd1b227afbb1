import { type ValidationError, validateWorkflow } from '../../core/workflow';
import type { Store } from '../../store';
import type { Workflows } from '../workflow';
import type { WorkflowAdminPort } from './admin-service';

/** The admin pages' view of the workflow engine: its workflows, checked edits, and checked selection for a service. */
export function workflowAdminPort(
  workflows: Pick<Workflows, 'admin' | 'repos'>,
  store: Pick<Store, 'repos'>,
): WorkflowAdminPort {
  const errorsOf = (errors: ValidationError[]) => errors.map((e) => ({ nodeId: e.nodeId, message: e.message }));
  return {
    list: async (tenantId) =>
      (await workflows.repos.workflows.byName(tenantId)).map((w) => ({ id: w.id, name: w.name, unitId: w.unitId })),
    get: async (tenantId, id) => {
      const found = await workflows.repos.workflows.find(tenantId, id);
      if (!found) return undefined;
      const { _etag: _e, _ts: _t, ...definition } = found;
      return definition;
    },
    // The same checks as saving, against this tenant's services, calendars and web requests; nothing is written.
    check: async (tenantId, input) => {
      const [services, calendars, webRequests] = await Promise.all([
        store.repos.services.all(tenantId),
        store.repos.calendars.all(tenantId),
        workflows.repos.webRequests.all(tenantId),
      ]);
      const result = validateWorkflow(input, {
        services: new Set(services.map((s) => s.id)),
        calendars: new Set(calendars.map((c) => c.id)),
        webRequests: new Map(webRequests.map((w) => [w.id, w])),
      });
      return result.ok ? { ok: true, warnings: [] } : { ok: false, errors: errorsOf(result.errors) };
    },
    save: async (input) => {
      const result = await workflows.admin.save(input);
      return result.ok
        ? {
            ok: true,
            id: result.workflow.id,
            version: result.workflow.version,
            warnings: result.warnings.map((w) => w.message),
          }
        : { ok: false, errors: errorsOf(result.errors) };
    },
    select: async (tenantId, serviceId, workflowId) => {
      const result = await workflows.admin.select(tenantId, serviceId, workflowId);
      if (result.ok) return { ok: true };
      return {
        ok: false,
        code: result.code,
        message: result.message,
        activities: 'activities' in result ? result.activities : undefined,
      };
    },
    webRequests: {
      list: async (tenantId) =>
        (await workflows.repos.webRequests.byName(tenantId)).map((w) => ({
          id: w.id,
          name: w.name,
          unitId: w.unitId,
          method: w.method,
          url: w.url,
        })),
      get: (tenantId, id) => workflows.repos.webRequests.find(tenantId, id),
      // The same checks as saving; nothing is written.
      check: async (input) => {
        const checked = workflows.admin.checkWebRequest(input);
        return checked.ok ? { ok: true } : checked;
      },
      save: async (input) => {
        const result = await workflows.admin.saveWebRequest(input);
        return result.ok ? { ok: true, config: result.config } : { ok: false, errors: result.errors };
      },
    },
  };
}
