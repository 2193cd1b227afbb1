import type { Service } from '../../core/model';
import type { OutboundAllowList } from '../../core/net/address';
import {
  type Incompatibility,
  type UnsupportedActivities,
  type ValidationError,
  WebRequestConfig,
  type WorkflowDefinition,
  type WorkflowTraceEntry,
  validateWorkflow,
  webRequestAddressProblems,
  webRequestProblems,
  workflowSelection,
} from '../../core/workflow';
import type { Store, Stored, WorkflowRepositories } from '../../store';
import type { Clock } from '../routing/clock';
import { type Result, ok, refuse } from '../../core/result';

/** A field of an admin's input and what is wrong with it. */
export type FieldProblem = { field: string; message: string };

/** A saved edit that breaks a service already using the workflow: its tasks will end as "failed" there. */
export type WorkflowWarning = {
  code: 'unsupported-in-use';
  serviceId: string;
  serviceName: string;
  message: string;
  activities: Incompatibility[];
};

export type SaveWorkflowResult = Result<
  { workflow: Stored<WorkflowDefinition>; warnings: WorkflowWarning[] },
  ValidationError[]
>;

export type SelectWorkflowResult = Result<
  Stored<Service>,
  { code: 'service-not-found' | 'workflow-not-found'; message: string } | UnsupportedActivities
>;

export type SaveWebRequestResult = Result<Stored<WebRequestConfig>, FieldProblem[]>;

/** Administration of workflows: saving (validated), selecting one for a service (compatibility), traces. */
export class WorkflowService {
  constructor(
    private readonly store: Store,
    private readonly repos: WorkflowRepositories,
    private readonly clock: Clock,
    /** OUTBOUND_ALLOW: hosts a web request may name although they are not public. */
    private readonly outboundAllow: OutboundAllowList = [],
  ) {}

  /**
   * Validates and saves a workflow (a new one, or a new version). Services already using it are
   * checked against the new version: an edit that adds an activity their channels do not support is
   * saved, as edits of a live workflow are, but comes back with a warning naming the services.
   */
  async save(input: unknown): Promise<SaveWorkflowResult> {
    const tenantId =
      typeof input === 'object' && input !== null && typeof (input as { tenantId?: unknown }).tenantId === 'string'
        ? (input as { tenantId: string }).tenantId
        : undefined;
    if (tenantId === undefined) {
      const invalid = validateWorkflow(input);
      return invalid.ok ? refuse([{ code: 'invalid', nodeId: null, message: 'tenantId is missing' }]) : invalid;
    }
    const [services, calendars, webRequests] = await Promise.all([
      this.store.repos.services.all(tenantId),
      this.store.repos.calendars.all(tenantId),
      this.repos.webRequests.all(tenantId),
    ]);
    const validation = validateWorkflow(input, {
      services: new Set(services.map((s) => s.id)),
      calendars: new Set(calendars.map((c) => c.id)),
      webRequests: new Map(webRequests.map((w) => [w.id, w])),
    });
    if (!validation.ok) return validation;
    const previous = await this.repos.workflows.find(tenantId, validation.value.id);
    const workflow = await this.repos.workflows.upsert({
      ...validation.value,
      version: (previous?.version ?? 0) + 1,
      updatedAt: this.clock.now(),
    });
    const warnings: WorkflowWarning[] = [];
    for (const service of services.filter((s) => s.im.workflowId === workflow.id)) {
      const selection = workflowSelection(workflow, service);
      if (!selection.ok)
        warnings.push({
          code: 'unsupported-in-use',
          serviceId: service.id,
          serviceName: service.name,
          message: `${selection.refusal.message} Its tasks that reach these activities will end with the outcome "failed".`,
          activities: selection.refusal.activities,
        });
    }
    return ok({ workflow, warnings });
  }

  /** Selects the IM workflow of a service (null: none). Refused when an activity does not run on one of its IM channels. */
  async select(tenantId: string, serviceId: string, workflowId: string | null): Promise<SelectWorkflowResult> {
    const service = await this.store.repos.services.find(tenantId, serviceId);
    if (!service) return refuse({ code: 'service-not-found', message: `Service ${serviceId} was not found.` });
    if (workflowId !== null) {
      const workflow = await this.repos.workflows.find(tenantId, workflowId);
      if (!workflow) return refuse({ code: 'workflow-not-found', message: `Workflow ${workflowId} was not found.` });
      const selection = workflowSelection(workflow, service);
      if (!selection.ok) return refuse(selection.refusal);
    }
    const updated = await this.store.repos.services.update(tenantId, serviceId, (s) =>
      s.im.workflowId === workflowId ? undefined : { ...s, im: { ...s.im, workflowId } },
    );
    return ok(updated);
  }

  /** The checks of saving a web request, nothing written: schema, templates, and hosts the server may not call. */
  checkWebRequest(input: unknown): Result<WebRequestConfig, FieldProblem[]> {
    const parsed = WebRequestConfig.safeParse(input);
    if (!parsed.success)
      return refuse(parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })));
    const problems = webRequestProblems(parsed.data);
    // A URL that already has an error (not http(s) with a fixed host) is not judged by its host as well.
    const urlFailed = problems.some((p) => p.field === 'url');
    problems.push(
      ...webRequestAddressProblems(parsed.data, this.outboundAllow).filter((p) => !(urlFailed && p.field === 'url')),
    );
    return problems.length > 0 ? refuse(problems) : ok(parsed.data);
  }

  async saveWebRequest(input: unknown): Promise<SaveWebRequestResult> {
    const checked = this.checkWebRequest(input);
    if (!checked.ok) return checked;
    return ok(await this.repos.webRequests.upsert(checked.value));
  }

  /** What the workflow of one session did, step by step. */
  async trace(tenantId: string, taskId: string): Promise<WorkflowTraceEntry[]> {
    return this.repos.traces.ofTask(tenantId, taskId);
  }
}
