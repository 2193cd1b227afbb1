import type { WebRequestConfig } from '../../core/workflow';
import type { Store } from '../../store';
import { type AdminRefusal, type AdminResult, notFound } from './admin-result';
import { ok, refuse } from '../../core/result';
import { chooseExistingUnit, unitExists } from './admin-lookups';
import { type FieldProblem, keepStoredSecret, redactWebRequest } from './web-request-secrets';
import type { WebRequestSummary, WorkflowAdminPort } from './workflow-port';

/** The web requests of the Web Request activity: edited as JSON, like workflows; secrets are never returned. */
export class WebRequestAdmin {
  constructor(
    private readonly store: Store,
    private readonly webRequests: WorkflowAdminPort['webRequests'],
  ) {}

  async list(tenantId: string): Promise<AdminResult<WebRequestSummary[]>> {
    return ok(await this.webRequests.list(tenantId));
  }

  async get(tenantId: string, id: string): Promise<AdminResult<WebRequestConfig>> {
    const found = await this.webRequests.get(tenantId, id);
    return found ? ok(redactWebRequest(found)) : notFound('web request');
  }

  /**
   * The edited JSON as it would be saved: tenant, type and id from the sign-in and the URL, a redacted
   * secret replaced by the stored one, and the unit checked against this organization.
   */
  private async input(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<{ input: Record<string, unknown>; problems: FieldProblem[] }> {
    const stored = await this.webRequests.get(tenantId, id);
    const secret = keepStoredSecret({ ...input, id, tenantId, type: 'webRequest' }, stored);
    const problems = [...secret.problems];
    if (typeof input.unitId === 'string' && !(await unitExists(this.store, tenantId, input.unitId)))
      problems.push({ field: 'unitId', message: chooseExistingUnit });
    return { input: secret.input, problems };
  }

  async check(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<AdminResult<{ ok: boolean; errors: FieldProblem[] }>> {
    const prepared = await this.input(tenantId, id, input);
    const result = await this.webRequests.check(prepared.input);
    const errors = [...prepared.problems, ...(result.ok ? [] : result.refusal)];
    return ok({ ok: errors.length === 0, errors });
  }

  async save(tenantId: string, id: string, input: Record<string, unknown>): Promise<AdminResult<WebRequestConfig>> {
    const prepared = await this.input(tenantId, id, input);
    const invalid = (problems: FieldProblem[]) =>
      refuse<AdminRefusal>({
        code: 'invalid',
        message:
          problems.length === 1 ? 'The web request has 1 error.' : `The web request has ${problems.length} errors.`,
        problems,
      });
    if (prepared.problems.length > 0) {
      const others = await this.webRequests.check(prepared.input);
      return invalid([...prepared.problems, ...(others.ok ? [] : others.refusal)]);
    }
    const result = await this.webRequests.save(prepared.input);
    if (!result.ok) return invalid(result.refusal);
    return ok(redactWebRequest(result.value));
  }
}
