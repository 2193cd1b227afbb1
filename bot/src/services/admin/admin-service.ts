import {
  type Gate,
  assignLicense,
  holdsLicense,
  serviceImChannel,
  serviceInteractTab,
  serviceReachableByWebsite,
  serviceReachableByWhatsApp,
  unassignLicense,
  userInteractTab,
} from '../../core/licensing';
import { type IdSource, systemIds } from '../ids';
import {
  type Calendar,
  type DomainTemplate,
  type ImChannel,
  type LicenseKind,
  LicenseKind as LicenseKindSchema,
  type OrgUnit,
  type Service,
  type SystemMessages,
  type Tenant,
  licenseHolder,
  licenseLabel,
  validateUnitTree,
} from '../../core/model';
import type { WebRequestConfig } from '../../core/workflow';
import type { Store, Stored } from '../../store';
import { newContactId, newWidgetKey } from '../ids';
import { type AdminResult, done, notFound, refused } from './admin-result';
import type {
  CalendarInput,
  DomainTemplateInput,
  NewServiceInput,
  ServicePatch,
  SystemMessagesInput,
  UnitInput,
} from './inputs';
import { type FieldProblem, keepStoredSecret, redactWebRequest } from './web-request-secrets';

/**
 * What the admin pages need of the workflow engine: its workflows to pick from, and the selection of a
 * service's IM workflow, which refuses workflows with activities the service's channels do not support.
 */
type WorkflowErrors = { ok: false; errors: { nodeId: string | null; message: string }[] };
export type WorkflowAdminPort = {
  list(tenantId: string): Promise<{ id: string; name: string; unitId: string }[]>;
  get(tenantId: string, id: string): Promise<object | undefined>;
  check(tenantId: string, input: unknown): Promise<{ ok: true; warnings: string[] } | WorkflowErrors>;
  save(input: unknown): Promise<{ ok: true; id: string; version: number; warnings: string[] } | WorkflowErrors>;
  select(
    tenantId: string,
    serviceId: string,
    workflowId: string | null,
  ): Promise<{ ok: true } | { ok: false; code: string; message: string; activities?: unknown }>;
  /** The reusable web requests of the Web Request activity; `get` holds the secrets, which the admin service redacts. */
  webRequests: {
    list(tenantId: string): Promise<WebRequestSummary[]>;
    get(tenantId: string, id: string): Promise<WebRequestConfig | undefined>;
    check(input: unknown): Promise<{ ok: true } | { ok: false; errors: FieldProblem[] }>;
    save(input: unknown): Promise<{ ok: true; config: WebRequestConfig } | { ok: false; errors: FieldProblem[] }>;
  };
};
export type WebRequestSummary = { id: string; name: string; unitId: string; method: string; url: string };

export type UserSummary = {
  id: string;
  displayName: string;
  email: string;
  unitId: string;
  licenses: LicenseKind[];
  isAdmin: boolean;
  interactTab: Gate;
};
export type ServiceSummary = {
  id: string;
  name: string;
  unitId: string;
  licenses: LicenseKind[];
  members: { userId: string; displayName: string; active: boolean; imLicensed: boolean }[];
  im: Service['im'];
  distribution: Service['distribution'];
  interactTab: Gate;
  reachable: { website: Gate; whatsapp: Gate };
  channelGates: Record<ImChannel, Gate>;
};
export type LicensesView = {
  pools: {
    kind: LicenseKind;
    label: string;
    holder: 'user' | 'service';
    total: number;
    assigned: number;
    assignees: { id: string; name: string }[];
  }[];
};

const named = (name: string, id: string) => `${name} (${id})`;

/** The admin pages over one tenant's configuration. Every call is given the tenant from the sign-in. */
export class AdminService {
  constructor(
    private readonly store: Store,
    private readonly workflows: WorkflowAdminPort,
    private readonly ids: IdSource = systemIds,
  ) {}
  private readonly shortId = () => this.ids.uuid().slice(0, 8);

  // ---- users and licenses

  private licensesOf(tenant: Tenant, holderId: string): LicenseKind[] {
    return LicenseKindSchema.options.filter((kind) => holdsLicense(tenant, kind, holderId));
  }

  async users(tenant: Tenant): Promise<UserSummary[]> {
    const users = await this.store.repos.users.byDisplayName(tenant.id);
    return users.map((u) => ({
      id: u.id,
      displayName: u.displayName,
      email: u.email,
      unitId: u.unitId,
      licenses: this.licensesOf(tenant, u.id),
      isAdmin: tenant.adminUserIds.includes(u.id),
      interactTab: userInteractTab(tenant, u),
    }));
  }

  async licenses(tenant: Tenant): Promise<LicensesView> {
    const [users, services] = await Promise.all([
      this.store.repos.users.all(tenant.id),
      this.store.repos.services.all(tenant.id),
    ]);
    const names = new Map<string, string>([
      ...users.map((u) => [u.id, u.displayName] as const),
      ...services.map((s) => [s.id, s.name] as const),
    ]);
    return {
      pools: LicenseKindSchema.options.map((kind) => {
        const pool = tenant.licenses[kind];
        return {
          kind,
          label: licenseLabel[kind],
          holder: licenseHolder(kind),
          total: pool.total,
          assigned: pool.assignees.length,
          assignees: pool.assignees.map((id) => ({ id, name: names.get(id) ?? id })),
        };
      }),
    };
  }

  /** Assigns or returns one license, in one conditional write of the tenant document. */
  async changeLicense(
    tenantId: string,
    change: 'assign' | 'unassign',
    kind: LicenseKind,
    holderId: string,
  ): Promise<AdminResult<LicensesView>> {
    if (change === 'assign') {
      const holder =
        licenseHolder(kind) === 'user'
          ? await this.store.repos.users.find(tenantId, holderId)
          : await this.store.repos.services.find(tenantId, holderId);
      if (!holder)
        return refused({
          code: 'holder-not-found',
          message: `No ${licenseHolder(kind)} ${holderId} in this organization.`,
        });
    }
    let refusal: AdminResult<never> | undefined;
    const tenant = await this.store.repos.tenants.update(tenantId, tenantId, (t) => {
      const result =
        change === 'assign'
          ? assignLicense(t, kind, { kind: licenseHolder(kind), id: holderId })
          : unassignLicense(t, kind, holderId);
      refusal = result.ok ? undefined : refused(result.refusal);
      return result.ok ? { ...t, licenses: result.licenses } : undefined;
    });
    return refusal ?? done(await this.licenses(tenant));
  }

  // ---- organization units

  async units(tenantId: string): Promise<Stored<OrgUnit>[]> {
    return this.store.repos.units.byName(tenantId);
  }

  private async unitExists(tenantId: string, unitId: string): Promise<boolean> {
    return (await this.store.repos.units.find(tenantId, unitId)) !== undefined;
  }

  async saveUnit(tenantId: string, id: string | undefined, input: UnitInput): Promise<AdminResult<Stored<OrgUnit>>> {
    const units = await this.units(tenantId);
    if (id !== undefined && !units.some((u) => u.id === id)) return notFound('organization unit');
    const unit: OrgUnit = {
      id: id ?? `unit-${this.shortId()}`,
      tenantId,
      type: 'unit',
      name: input.name,
      parentId: input.parentId,
    };
    const problems = validateUnitTree([...units.filter((u) => u.id !== unit.id), unit]);
    if (problems.length > 0) {
      const message = problems.some((p) => p.code === 'cycle')
        ? 'A unit cannot be placed under itself or one of its own units.'
        : problems.some((p) => p.code === 'unknown-parent')
          ? 'The parent unit does not exist.'
          : 'The organization needs one top unit.';
      return refused({ code: 'invalid', message, problems: [{ field: 'parentId', message }] });
    }
    return done(await this.store.repos.units.upsert(unit));
  }

  async deleteUnit(tenantId: string, id: string): Promise<AdminResult<null>> {
    const unit = await this.store.repos.units.find(tenantId, id);
    if (!unit) return notFound('organization unit');
    const { repos } = this.store;
    const [children, users, services, templates, messages, calendars] = await Promise.all([
      repos.units.children(tenantId, id),
      repos.users.inUnit(tenantId, id),
      repos.services.inUnit(tenantId, id),
      repos.domainTemplates.inUnit(tenantId, id),
      repos.systemMessages.inUnit(tenantId, id),
      repos.calendars.inUnit(tenantId, id),
    ]);
    const usedBy = [
      ...children.map((c) => `unit ${c.name}`),
      ...users.map((u) => `user ${u.displayName}`),
      ...services.map((s) => `service ${s.name}`),
      ...[...templates, ...messages, ...calendars].map((c) => c.name),
    ];
    if (usedBy.length > 0)
      return refused({ code: 'in-use', message: `Move or remove what belongs to ${unit.name} first.`, usedBy });
    await this.store.repos.units.delete(tenantId, id);
    return done(null);
  }

  // ---- unit-owned configuration items: domain templates, direct system messages, calendars

  async domainTemplates(tenantId: string): Promise<Stored<DomainTemplate>[]> {
    return this.store.repos.domainTemplates.byName(tenantId);
  }

  async saveDomainTemplate(
    tenantId: string,
    id: string | undefined,
    input: DomainTemplateInput,
  ): Promise<AdminResult<Stored<DomainTemplate>>> {
    const existing = id === undefined ? undefined : await this.store.repos.domainTemplates.find(tenantId, id);
    if (id !== undefined && !existing) return notFound('domain template');
    if (!(await this.unitExists(tenantId, input.unitId)))
      return refused({ code: 'unit-not-found', message: 'Choose an existing organization unit.' });
    if (
      existing &&
      existing.unitId !== input.unitId &&
      (await this.usersOfTemplate(tenantId, existing.id)).length > 0
    ) {
      return refused({
        code: 'in-use',
        message: 'Users or services of its unit use this template: it cannot move to another unit.',
        usedBy: await this.usersOfTemplate(tenantId, existing.id),
      });
    }
    return done(
      await this.store.repos.domainTemplates.upsert({
        id: id ?? `dt-${this.shortId()}`,
        tenantId,
        type: 'domainTemplate',
        ...input,
      }),
    );
  }

  /** Who selected the template: removing it would change which websites reach them. */
  private async usersOfTemplate(tenantId: string, id: string): Promise<string[]> {
    const [users, services] = await Promise.all([
      this.store.repos.users.all(tenantId),
      this.store.repos.services.all(tenantId),
    ]);
    return [
      ...users
        .filter((u) => u.interact.domainTemplateIds.includes(id))
        .map((u) => `user ${named(u.displayName, u.id)}`),
      ...services.filter((s) => s.interact.domainTemplateIds.includes(id)).map((s) => `service ${s.name}`),
    ];
  }

  async deleteDomainTemplate(tenantId: string, id: string): Promise<AdminResult<null>> {
    if (!(await this.store.repos.domainTemplates.find(tenantId, id))) return notFound('domain template');
    const usedBy = await this.usersOfTemplate(tenantId, id);
    if (usedBy.length > 0)
      return refused({
        code: 'in-use',
        message: 'Remove this template from the Interact settings that use it first.',
        usedBy,
      });
    await this.store.repos.domainTemplates.delete(tenantId, id);
    return done(null);
  }

  async systemMessages(tenantId: string): Promise<Stored<SystemMessages>[]> {
    return this.store.repos.systemMessages.byName(tenantId);
  }

  private async usersOfMessages(tenantId: string, id: string): Promise<string[]> {
    const [users, services] = await Promise.all([
      this.store.repos.users.all(tenantId),
      this.store.repos.services.all(tenantId),
    ]);
    return [
      ...users.filter((u) => u.interact.directSystemMessagesId === id).map((u) => `user ${named(u.displayName, u.id)}`),
      ...services.filter((s) => s.interact.directSystemMessagesId === id).map((s) => `service ${s.name}`),
    ];
  }

  async saveSystemMessages(
    tenantId: string,
    id: string | undefined,
    input: SystemMessagesInput,
  ): Promise<AdminResult<Stored<SystemMessages>>> {
    const existing = id === undefined ? undefined : await this.store.repos.systemMessages.find(tenantId, id);
    if (id !== undefined && !existing) return notFound('system messages');
    if (!(await this.unitExists(tenantId, input.unitId)))
      return refused({ code: 'unit-not-found', message: 'Choose an existing organization unit.' });
    if (existing && existing.unitId !== input.unitId) {
      const usedBy = await this.usersOfMessages(tenantId, existing.id);
      if (usedBy.length > 0)
        return refused({
          code: 'in-use',
          message: 'Users or services of its unit use these messages: they cannot move to another unit.',
          usedBy,
        });
    }
    return done(
      await this.store.repos.systemMessages.upsert({
        id: id ?? `sm-${this.shortId()}`,
        tenantId,
        type: 'systemMessages',
        ...input,
      }),
    );
  }

  async deleteSystemMessages(tenantId: string, id: string): Promise<AdminResult<null>> {
    if (!(await this.store.repos.systemMessages.find(tenantId, id))) return notFound('system messages');
    const usedBy = await this.usersOfMessages(tenantId, id);
    if (usedBy.length > 0)
      return refused({
        code: 'in-use',
        message: 'Choose other direct system messages in the Interact settings that use these first.',
        usedBy,
      });
    await this.store.repos.systemMessages.delete(tenantId, id);
    return done(null);
  }

  async calendars(tenantId: string): Promise<Stored<Calendar>[]> {
    return this.store.repos.calendars.byName(tenantId);
  }

  async saveCalendar(
    tenantId: string,
    id: string | undefined,
    input: CalendarInput,
  ): Promise<AdminResult<Stored<Calendar>>> {
    if (id !== undefined && !(await this.store.repos.calendars.find(tenantId, id))) return notFound('calendar');
    if (!(await this.unitExists(tenantId, input.unitId)))
      return refused({ code: 'unit-not-found', message: 'Choose an existing organization unit.' });
    return done(
      await this.store.repos.calendars.upsert({
        id: id ?? `cal-${this.shortId()}`,
        tenantId,
        type: 'calendar',
        ...input,
      }),
    );
  }

  async deleteCalendar(tenantId: string, id: string): Promise<AdminResult<null>> {
    if (!(await this.store.repos.calendars.find(tenantId, id))) return notFound('calendar');
    await this.store.repos.calendars.delete(tenantId, id);
    return done(null);
  }

  // ---- services and members

  private serviceSummary(tenant: Tenant, service: Service, names: Map<string, string>): ServiceSummary {
    return {
      id: service.id,
      name: service.name,
      unitId: service.unitId,
      licenses: this.licensesOf(tenant, service.id),
      members: service.members.map((m) => ({
        userId: m.userId,
        displayName: names.get(m.userId) ?? m.userId,
        active: m.active,
        imLicensed: holdsLicense(tenant, 'imModality', m.userId),
      })),
      im: service.im,
      distribution: service.distribution,
      interactTab: serviceInteractTab(tenant, service),
      reachable: {
        website: serviceReachableByWebsite(tenant, service),
        whatsapp: serviceReachableByWhatsApp(tenant, service),
      },
      channelGates: {
        interact: serviceImChannel(tenant, service, 'interact'),
        whatsapp: serviceImChannel(tenant, service, 'whatsapp'),
      },
    };
  }

  private async userNames(tenantId: string): Promise<Map<string, string>> {
    return new Map((await this.store.repos.users.all(tenantId)).map((u) => [u.id, u.displayName]));
  }

  async services(tenant: Tenant): Promise<ServiceSummary[]> {
    const [services, names] = await Promise.all([
      this.store.repos.services.byName(tenant.id),
      this.userNames(tenant.id),
    ]);
    return services.map((s) => this.serviceSummary(tenant, s, names));
  }

  async service(tenant: Tenant, id: string): Promise<AdminResult<ServiceSummary>> {
    const service = await this.store.repos.services.find(tenant.id, id);
    return service ? done(this.serviceSummary(tenant, service, await this.userNames(tenant.id))) : notFound('service');
  }

  async createService(tenant: Tenant, input: NewServiceInput): Promise<AdminResult<ServiceSummary>> {
    if (!(await this.unitExists(tenant.id, input.unitId)))
      return refused({ code: 'unit-not-found', message: 'Choose an existing organization unit.' });
    const id = `svc-${this.shortId()}`;
    const contactId = newContactId();
    // The contact id is registered first, as for any target: a snippet must resolve once its target exists.
    await this.store.directory.registerContact({
      id: contactId,
      tenantId: tenant.id,
      target: { kind: 'service', serviceId: id },
    });
    const service = await this.store.repos.services.create({
      id,
      tenantId: tenant.id,
      type: 'service',
      unitId: input.unitId,
      name: input.name,
      members: [],
      im: { enabled: false, channels: { interact: false, whatsapp: false }, workflowId: null },
      interact: {
        active: false,
        audioVideo: false,
        instantMessaging: true,
        directSystemMessagesId: null,
        restrictAccess: false,
        domainTemplateIds: [],
        contactId,
        widgetKey: newWidgetKey(),
      },
      distribution: {
        maxConcurrentChatsPerUser: 3,
        selectableWhenBusy: false,
        selectableWhenAway: false,
        ronaResetSeconds: 600,
      },
    });
    return done(this.serviceSummary(tenant, service, await this.userNames(tenant.id)));
  }

  /**
   * Saves the service settings page. Turning on an IM channel needs the Contact Center license on the
   * service; members must be users of the organization; the IM workflow is selected last, against the
   * channels just saved, so an incompatible workflow is refused with its reason.
   */
  async updateService(tenant: Tenant, id: string, patch: ServicePatch): Promise<AdminResult<ServiceSummary>> {
    const current = await this.store.repos.services.find(tenant.id, id);
    if (!current) return notFound('service');
    if (patch.members) {
      const names = await this.userNames(tenant.id);
      const unknown = patch.members.filter((m) => !names.has(m.userId)).map((m) => m.userId);
      if (unknown.length > 0)
        return refused({
          code: 'invalid',
          message: 'Members must be users of this organization.',
          problems: unknown.map((u) => ({ field: 'members', message: `No user ${u}.` })),
        });
      if (new Set(patch.members.map((m) => m.userId)).size !== patch.members.length)
        return refused({
          code: 'invalid',
          message: 'A user is listed twice.',
          problems: [{ field: 'members', message: 'A user is listed twice.' }],
        });
    }
    const channels = { ...current.im.channels, ...patch.im?.channels };
    for (const channel of ['interact', 'whatsapp'] as const) {
      const gate = serviceImChannel(tenant, current, channel);
      if (channels[channel] && !current.im.channels[channel] && !gate.allowed) {
        return refused({
          code: 'channel-not-licensed',
          message: `The ${channel === 'interact' ? 'Interact' : 'WhatsApp'} channel needs: ${gate.reasons.map((r) => r.message).join(' ')}`,
          reasons: gate.reasons,
        });
      }
    }
    const wantsWorkflow = patch.im?.workflowId !== undefined && patch.im.workflowId !== current.im.workflowId;
    await this.store.repos.services.update(tenant.id, id, (s) => ({
      ...s,
      name: patch.name ?? s.name,
      members: patch.members ?? s.members,
      im: {
        ...s.im,
        enabled: patch.im?.enabled ?? s.im.enabled,
        channels: { ...s.im.channels, ...patch.im?.channels },
      },
      distribution: { ...s.distribution, ...patch.distribution },
    }));
    if (wantsWorkflow) {
      const selection = await this.workflows.select(tenant.id, id, patch.im?.workflowId ?? null);
      if (!selection.ok)
        return refused({ code: 'workflow-refused', message: selection.message, details: selection.activities });
    }
    return this.service(tenant, id);
  }

  async deleteService(tenantId: string, id: string): Promise<AdminResult<null>> {
    if (!(await this.store.repos.services.find(tenantId, id))) return notFound('service');
    const tenant = await this.store.repos.tenants.get(tenantId, tenantId);
    const tenantUsesIt = LicenseKindSchema.options.some((k) => tenant.licenses[k].assignees.includes(id));
    if (tenantUsesIt)
      return refused({
        code: 'in-use',
        message: 'Return the service\u2019s licenses to the pool before deleting it.',
        usedBy: ['licenses'],
      });
    await this.store.repos.services.delete(tenantId, id);
    return done(null);
  }

  async workflow(tenantId: string, id: string): Promise<AdminResult<object>> {
    const found = await this.workflows.get(tenantId, id);
    return found ? done(found) : notFound('workflow');
  }

  /** The tenant, the type and the id come from the sign-in and the URL, never from the edited JSON. */
  private workflowInput(tenantId: string, id: string, input: Record<string, unknown>): Record<string, unknown> {
    return { ...input, id, tenantId, type: 'workflow' };
  }

  async checkWorkflow(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<AdminResult<{ ok: boolean; errors: { nodeId: string | null; message: string }[] }>> {
    const result = await this.workflows.check(tenantId, this.workflowInput(tenantId, id, input));
    return done(result.ok ? { ok: true, errors: [] } : { ok: false, errors: result.errors });
  }

  async saveWorkflow(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<AdminResult<{ id: string; version: number; warnings: string[] }>> {
    const result = await this.workflows.save(this.workflowInput(tenantId, id, input));
    if (!result.ok)
      return refused({
        code: 'invalid',
        message: 'The workflow has errors.',
        problems: result.errors.map((e) => ({ field: e.nodeId ?? '', message: e.message })),
      });
    return done({ id: result.id, version: result.version, warnings: result.warnings });
  }

  async workflowList(tenantId: string): Promise<AdminResult<{ id: string; name: string; unitId: string }[]>> {
    return done(await this.workflows.list(tenantId));
  }

  // ---- web requests (edited as JSON, like workflows; secrets are never returned)

  async webRequestList(tenantId: string): Promise<AdminResult<WebRequestSummary[]>> {
    return done(await this.workflows.webRequests.list(tenantId));
  }

  async webRequest(tenantId: string, id: string): Promise<AdminResult<WebRequestConfig>> {
    const found = await this.workflows.webRequests.get(tenantId, id);
    return found ? done(redactWebRequest(found)) : notFound('web request');
  }

  /**
   * The edited JSON as it would be saved: tenant, type and id from the sign-in and the URL, a redacted
   * secret replaced by the stored one, and the unit checked against this organization.
   */
  private async webRequestInput(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<{ input: Record<string, unknown>; problems: FieldProblem[] }> {
    const stored = await this.workflows.webRequests.get(tenantId, id);
    const secret = keepStoredSecret({ ...input, id, tenantId, type: 'webRequest' }, stored);
    const problems = [...secret.problems];
    if (typeof input.unitId === 'string' && !(await this.unitExists(tenantId, input.unitId)))
      problems.push({ field: 'unitId', message: 'Choose an existing organization unit.' });
    return { input: secret.input, problems };
  }

  async checkWebRequest(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<AdminResult<{ ok: boolean; errors: FieldProblem[] }>> {
    const prepared = await this.webRequestInput(tenantId, id, input);
    const result = await this.workflows.webRequests.check(prepared.input);
    const errors = [...prepared.problems, ...(result.ok ? [] : result.errors)];
    return done({ ok: errors.length === 0, errors });
  }

  async saveWebRequest(
    tenantId: string,
    id: string,
    input: Record<string, unknown>,
  ): Promise<AdminResult<WebRequestConfig>> {
    const prepared = await this.webRequestInput(tenantId, id, input);
    const invalid = (problems: FieldProblem[]) =>
      refused<WebRequestConfig>({
        code: 'invalid',
        message:
          problems.length === 1 ? 'The web request has 1 error.' : `The web request has ${problems.length} errors.`,
        problems,
      });
    if (prepared.problems.length > 0) {
      const others = await this.workflows.webRequests.check(prepared.input);
      return invalid([...prepared.problems, ...(others.ok ? [] : others.errors)]);
    }
    const result = await this.workflows.webRequests.save(prepared.input);
    if (!result.ok) return invalid(result.errors);
    return done(redactWebRequest(result.config));
  }
}
