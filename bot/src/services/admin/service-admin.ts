import {
  type Gate,
  holdsLicense,
  serviceImChannel,
  serviceInteractTab,
  serviceReachability,
} from '../../core/licensing';
import {
  type ImChannel,
  type LicenseKind,
  LicenseKind as LicenseKindSchema,
  type LinkedTeam,
  type MemberSource,
  type Service,
  type ServiceSla,
  type Tenant,
} from '../../core/model';
import { DEFAULT_SLA } from '../../core/reporting';
import { detachFromRoster, followRoster, sourceOf, withSources } from '../../core/team-roster';
import type { Store } from '../../store';
import { type IdSource, newContactId, newInteractSettings } from '../ids';
import { type AdminResult, notFound } from './admin-result';
import { ok, refuse } from '../../core/result';
import { licensesOf, shortId, unitExists, unitNotFound } from './admin-lookups';
import type { NewServiceInput, ServicePatch } from './inputs';
import type { WorkflowAdminPort } from './workflow-port';
import { MAX_ROSTER, type TeamLinks } from '../team-links';

/** What the service page needs of the team links: a team's roster, read when a service is linked to it. */
export type TeamLinkPort = Pick<TeamLinks, 'rosterOf' | 'membersJoined'>;

export type ServiceSummary = {
  id: string;
  name: string;
  unitId: string;
  licenses: LicenseKind[];
  members: { userId: string; displayName: string; active: boolean; imLicensed: boolean; source: MemberSource }[];
  team: LinkedTeam | null;
  im: Service['im'];
  distribution: Service['distribution'];
  /** Who supervises the service (its dashboard, chats and reports), with their names. */
  supervisors: { userId: string; displayName: string }[];
  sla: ServiceSla;
  interactTab: Gate;
  reachable: { website: Gate; whatsapp: Gate };
  channelGates: Record<ImChannel, Gate>;
};

/** The services and their members, IM channels, IM workflow and distribution settings. */
export class ServiceAdmin {
  constructor(
    private readonly store: Store,
    private readonly workflows: Pick<WorkflowAdminPort, 'select' | 'selectable'>,
    private readonly ids: IdSource,
    private readonly teams: TeamLinkPort,
  ) {}

  private summary(
    tenant: Tenant,
    service: Service,
    names: Map<string, string>,
    whatsAppServices: Set<string>,
  ): ServiceSummary {
    return {
      id: service.id,
      name: service.name,
      unitId: service.unitId,
      licenses: licensesOf(tenant, service.id),
      members: service.members.map((m) => ({
        userId: m.userId,
        displayName: names.get(m.userId) ?? m.userId,
        active: m.active,
        imLicensed: holdsLicense(tenant, 'imModality', m.userId),
        source: sourceOf(m),
      })),
      team: service.team ?? null,
      im: service.im,
      distribution: service.distribution,
      supervisors: (service.supervisorUserIds ?? []).map((userId) => ({
        userId,
        displayName: names.get(userId) ?? userId,
      })),
      sla: service.sla ?? DEFAULT_SLA,
      interactTab: serviceInteractTab(tenant, service),
      reachable: serviceReachability(tenant, service, whatsAppServices.has(service.id)),
      channelGates: {
        interact: serviceImChannel(tenant, service, 'interact'),
        whatsapp: serviceImChannel(tenant, service, 'whatsapp'),
      },
    };
  }

  private async userNames(tenantId: string): Promise<Map<string, string>> {
    return new Map((await this.store.repos.users.all(tenantId)).map((u) => [u.id, u.displayName]));
  }

  /** The services a WhatsApp connection has a sender number for. */
  private async whatsAppServices(tenantId: string): Promise<Set<string>> {
    const connectors = await this.store.repos.whatsappConnectors.all(tenantId);
    return new Set(connectors.flatMap((c) => c.senders.map((s) => s.serviceId)));
  }

  private async summaryOf(tenant: Tenant, service: Service): Promise<ServiceSummary> {
    const [names, whatsApp] = await Promise.all([this.userNames(tenant.id), this.whatsAppServices(tenant.id)]);
    return this.summary(tenant, service, names, whatsApp);
  }

  async list(tenant: Tenant): Promise<ServiceSummary[]> {
    const [services, names, whatsApp] = await Promise.all([
      this.store.repos.services.byName(tenant.id),
      this.userNames(tenant.id),
      this.whatsAppServices(tenant.id),
    ]);
    return services.map((s) => this.summary(tenant, s, names, whatsApp));
  }

  async get(tenant: Tenant, id: string): Promise<AdminResult<ServiceSummary>> {
    const service = await this.store.repos.services.find(tenant.id, id);
    return service ? ok(await this.summaryOf(tenant, service)) : notFound('service');
  }

  async create(tenant: Tenant, input: NewServiceInput): Promise<AdminResult<ServiceSummary>> {
    if (!(await unitExists(this.store, tenant.id, input.unitId))) return unitNotFound();
    const id = `svc-${shortId(this.ids)}`;
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
      team: null,
      im: { enabled: false, channels: { interact: false, whatsapp: false }, workflowId: null },
      interact: newInteractSettings(contactId),
      distribution: {
        maxConcurrentChatsPerUser: 3,
        selectableWhenBusy: false,
        selectableWhenAway: false,
        ronaResetSeconds: 600,
        persistentRona: false,
      },
    });
    return ok(await this.summaryOf(tenant, service));
  }

  /**
   * Saves the service settings page. Turning on an IM channel needs the Contact Center license on the
   * service; members must be users of the organization; the IM workflow is selected last, against the
   * channels just saved, so an incompatible workflow is refused with its reason. Linking another team
   * reads its roster first (a roster that cannot be read saves nothing) and the members follow it, by
   * core/team-roster's rules; unlinking keeps the members, as manual ones.
   */
  async update(tenant: Tenant, id: string, patch: ServicePatch): Promise<AdminResult<ServiceSummary>> {
    const current = await this.store.repos.services.find(tenant.id, id);
    if (!current) return notFound('service');
    if (patch.members) {
      const names = await this.userNames(tenant.id);
      const unknown = patch.members.filter((m) => !names.has(m.userId)).map((m) => m.userId);
      if (unknown.length > 0)
        return refuse({
          code: 'invalid',
          message: 'Members must be users of this organization.',
          problems: unknown.map((u) => ({ field: 'members', message: `No user ${u}.` })),
        });
      if (new Set(patch.members.map((m) => m.userId)).size !== patch.members.length)
        return refuse({
          code: 'invalid',
          message: 'A user is listed twice.',
          problems: [{ field: 'members', message: 'A user is listed twice.' }],
        });
    }
    if (patch.supervisorUserIds) {
      const names = await this.userNames(tenant.id);
      const unknown = patch.supervisorUserIds.filter((u) => !names.has(u));
      if (unknown.length > 0)
        return refuse({
          code: 'invalid',
          message: 'Every supervisor must be a user of the organization.',
          problems: unknown.map((u) => ({ field: 'supervisorUserIds', message: `No user ${u}.` })),
        });
    }
    const channels = { ...current.im.channels, ...patch.im?.channels };
    for (const channel of ['interact', 'whatsapp'] as const) {
      const gate = serviceImChannel(tenant, current, channel);
      if (channels[channel] && !current.im.channels[channel] && !gate.allowed) {
        return refuse({
          code: 'channel-not-licensed',
          message: `The ${channel === 'interact' ? 'Interact' : 'WhatsApp'} channel needs: ${gate.reasons.map((r) => r.message).join(' ')}`,
          reasons: gate.reasons,
        });
      }
    }
    let roster: { team: LinkedTeam; userIds: string[] } | null | undefined;
    if (patch.team === null) roster = null;
    else if (patch.team && patch.team.teamId !== current.team?.teamId) {
      const read = await this.teams.rosterOf(tenant, patch.team.teamId);
      if (!read.ok) return read;
      const manual = (patch.members ?? current.members).filter((m) => !read.value.userIds.includes(m.userId));
      if (manual.length + read.value.userIds.length > MAX_ROSTER)
        return refuse({
          code: 'invalid',
          message: `A service has at most ${MAX_ROSTER} members: this team and the other members are more.`,
          problems: [{ field: 'team', message: `More than ${MAX_ROSTER} members.` }],
        });
      roster = read.value;
    }
    const wantsWorkflow = patch.im?.workflowId !== undefined && patch.im.workflowId !== current.im.workflowId;
    // The workflow must run on the channels as they will be, checked before anything is written: a new
    // workflow, or the current one under newly enabled channels.
    const workflowId = patch.im?.workflowId !== undefined ? patch.im.workflowId : current.im.workflowId;
    const newlyEnabled = (['interact', 'whatsapp'] as const).some((c) => channels[c] && !current.im.channels[c]);
    if (workflowId !== null && (wantsWorkflow || newlyEnabled)) {
      const selection = await this.workflows.selectable(tenant.id, workflowId, {
        name: patch.name ?? current.name,
        im: { ...current.im, channels },
      });
      if (!selection.ok)
        return refuse({
          code: 'workflow-refused',
          message: selection.refusal.message,
          details: selection.refusal.activities,
        });
    }
    await this.store.repos.services.update(tenant.id, id, (s) => ({
      ...s,
      name: patch.name ?? s.name,
      ...membership(s, patch.members ? withSources(patch.members, s.members) : s.members, roster),
      im: {
        ...s.im,
        enabled: patch.im?.enabled ?? s.im.enabled,
        channels: { ...s.im.channels, ...patch.im?.channels },
      },
      distribution: { ...s.distribution, ...patch.distribution },
      supervisorUserIds: patch.supervisorUserIds ? [...new Set(patch.supervisorUserIds)] : s.supervisorUserIds,
      sla: patch.sla ? { ...(s.sla ?? DEFAULT_SLA), ...patch.sla } : s.sla,
    }));
    // The roster's people are members now: the app is installed for those the bot cannot reach yet.
    if (roster) this.teams.membersJoined(tenant.id, roster.userIds);
    if (wantsWorkflow) {
      const selection = await this.workflows.select(tenant.id, id, patch.im?.workflowId ?? null);
      if (!selection.ok)
        return refuse({
          code: 'workflow-refused',
          message: selection.refusal.message,
          details: selection.refusal.activities,
        });
    }
    return this.get(tenant, id);
  }

  async remove(tenantId: string, id: string): Promise<AdminResult<null>> {
    if (!(await this.store.repos.services.find(tenantId, id))) return notFound('service');
    const tenant = await this.store.repos.tenants.get(tenantId, tenantId);
    const tenantUsesIt = LicenseKindSchema.options.some((k) => tenant.licenses[k].assignees.includes(id));
    if (tenantUsesIt)
      return refuse({
        code: 'in-use',
        message: 'Return the service\u2019s licenses to the pool before deleting it.',
        usedBy: ['licenses'],
      });
    await this.store.repos.services.delete(tenantId, id);
    return ok(null);
  }
}

/** Members and team after a save: as they were, following a newly linked team, or on their own again. */
function membership(
  service: Service,
  members: Service['members'],
  roster: { team: LinkedTeam; userIds: string[] } | null | undefined,
): Pick<Service, 'members' | 'team'> {
  if (roster === undefined) return { members, team: service.team ?? null };
  if (roster === null) return { members: detachFromRoster(members), team: null };
  return { members: followRoster(members, roster.userIds), team: roster.team };
}
