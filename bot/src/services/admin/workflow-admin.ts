import { type AdminResult, notFound } from './admin-result';
import { ok, refuse } from '../../core/result';
import type { WorkflowAdminPort, WorkflowChoice } from './workflow-port';

/** The workflow editor: the definition as JSON, checked while the admin types, saved as a new version. */
export class WorkflowAdmin {
  constructor(private readonly workflows: WorkflowAdminPort) {}

  async list(tenantId: string): Promise<AdminResult<WorkflowChoice[]>> {
    return ok(await this.workflows.list(tenantId));
  }

  async get(tenantId: string, id: string): Promise<AdminResult<object>> {
    const found = await this.workflows.get(tenantId, id);
    return found ? ok(found) : notFound('workflow');
  }

  /** The tenant, the type and the id come from the sign-in and the URL, never from the edited JSON. */
  private input(tenantId: string, id: string, input: Record<string, unknown>): Record<string, unknown> {
    return { ...input, id, tenantId, type: 'workflow' };
  }

  async check(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<AdminResult<{ ok: boolean; errors: { nodeId: string | null; message: string }[]; warnings: string[] }>> {
    const result = await this.workflows.check(tenantId, this.input(tenantId, id, input));
    return ok(
      result.ok
        ? { ok: true, errors: [], warnings: result.value }
        : { ok: false, errors: result.refusal, warnings: [] },
    );
  }

  async save(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<AdminResult<{ id: string; version: number; warnings: string[] }>> {
    const result = await this.workflows.save(this.input(tenantId, id, input));
    if (!result.ok)
      return refuse({
        code: 'invalid',
        message: 'The workflow has errors.',
        problems: result.refusal.map((e) => ({ field: e.nodeId ?? '', message: e.message })),
      });
    return ok(result.value);
  }
}
