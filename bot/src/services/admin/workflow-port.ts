import type { ImChannel, Service } from '../../core/model';
import {
  type ValidationError,
  type WebRequestConfig,
  imChannelWarnings,
  unsupportedByChannel,
  validateWorkflow,
  workflowSelection,
} from '../../core/workflow';
import type { Store } from '../../store';
import type { Workflows } from '../workflow';
import type { FieldProblem } from './web-request-secrets';
import { type Result, ok, refuse } from '../../core/result';

/**
 * What the admin pages need of the workflow engine: its workflows to pick from, and the selection of a
 * service's IM workflow, which refuses workflows with activities the service's channels do not support.
 */
type NodeProblem = { nodeId: string | null; message: string };
/** A workflow to pick from; `unsupported` says, per IM channel, why a service with it cannot select this one. */
export type WorkflowChoice = { id: string; name: string; unitId: string; unsupported: Record<ImChannel, string[]> };
export type WorkflowSelectionRefusal = { code: string; message: string; activities?: unknown };
export type WorkflowAdminPort = {
  list(tenantId: string): Promise<WorkflowChoice[]>;
  get(tenantId: string, id: string): Promise<object | undefined>;
  /** The warnings of a valid definition (activities some IM channel cannot run), or its problems. */
  check(tenantId: string, input: unknown): Promise<Result<string[], NodeProblem[]>>;
  save(input: unknown): Promise<Result<{ id: string; version: number; warnings: string[] }, NodeProblem[]>>;
  select(
    tenantId: string,
    serviceId: string,
    workflowId: string | null,
  ): Promise<Result<null, WorkflowSelectionRefusal>>;
  /** Whether the service, with these IM settings, could select the workflow; nothing is written. */
  selectable(
    tenantId: string,
    workflowId: string,
    service: Pick<Service, 'name' | 'im'>,
  ): Promise<Result<null, WorkflowSelectionRefusal>>;
  /** The reusable web requests of the Web Request activity; `get` holds the secrets, which the admin service redacts. */
  webRequests: {
    list(tenantId: string): Promise<WebRequestSummary[]>;
    get(tenantId: string, id: string): Promise<WebRequestConfig | undefined>;
    check(input: unknown): Promise<Result<null, FieldProblem[]>>;
    save(input: unknown): Promise<Result<WebRequestConfig, FieldProblem[]>>;
  };
};
export type WebRequestSummary = { id: string; name: string; unitId: string; method: string; url: string };

/** The admin pages' view of the workflow engine: its workflows, checked edits, and checked selection for a service. */
export function workflowAdminPort(
  workflows: Pick<Workflows, 'admin' | 'repos'>,
  store: Pick<Store, 'repos'>,
): WorkflowAdminPort {
  const errorsOf = (errors: ValidationError[]) => errors.map((e) => ({ nodeId: e.nodeId, message: e.message }));
  return {
    list: async (tenantId) =>
      (await workflows.repos.workflows.byName(tenantId)).map((w) => ({
        id: w.id,
        name: w.name,
        unitId: w.unitId,
        unsupported: unsupportedByChannel(w),
      })),
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
      if (!result.ok) return refuse(errorsOf(result.refusal));
      const inUse = services
        .filter((s) => s.im.workflowId === result.value.id)
        .flatMap((s) => {
          const selection = workflowSelection(result.value, s);
          return selection.ok ? [] : [selection.refusal.message];
        });
      return ok([...imChannelWarnings(result.value), ...inUse]);
    },
    save: async (input) => {
      const result = await workflows.admin.save(input);
      if (!result.ok) return refuse(errorsOf(result.refusal));
      const { workflow, warnings } = result.value;
      return ok({ id: workflow.id, version: workflow.version, warnings: warnings.map((w) => w.message) });
    },
    select: async (tenantId, serviceId, workflowId) => {
      const result = await workflows.admin.select(tenantId, serviceId, workflowId);
      return result.ok ? ok(null) : refuse(result.refusal);
    },
    selectable: async (tenantId, workflowId, service) => {
      const workflow = await workflows.repos.workflows.find(tenantId, workflowId);
      if (!workflow) return refuse({ code: 'workflow-not-found', message: `Workflow ${workflowId} was not found.` });
      const selection = workflowSelection(workflow, service);
      return selection.ok ? ok(null) : refuse(selection.refusal);
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
        return checked.ok ? ok(null) : refuse(checked.refusal);
      },
      save: async (input) => {
        const result = await workflows.admin.saveWebRequest(input);
        return result;
      },
    },
  };
}
