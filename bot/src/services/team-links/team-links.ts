import type { Logger } from 'pino';
import { type LinkedTeam, type Service, type TeamInstallation, type Tenant, Id, TeamName } from '../../core/model';
import { type Result, ok, refuse } from '../../core/result';
import { addFromRoster, detachFromRoster, followRoster, removeFromRoster, sameMembers } from '../../core/team-roster';
import { AlreadyExistsError, type Store, type Stored } from '../../store';
import { UserProvisioning, mailOf } from '../accounts/provisioning';
import type { Clock } from '../routing/clock';
import type { RosterMember, TeamAddress, TeamRosterSource } from './bot-connector-roster';

/** A service holds at most this many members (core/model Service), so no larger roster can be followed. */
export const MAX_ROSTER = 1000;
/** Users provisioned at once while a roster is read. */
const PROVISIONING_CONCURRENCY = 8;

/** The app was added to a team, as Teams announces it. */
export type TeamInstalled = {
  tenantId: string;
  teamId: string;
  name: string | null;
  aadGroupId: string | null;
  serviceUrl: string;
};

/** A person a team event names: always the channel account id, often the Entra object id, rarely the name. */
export type TeamAccount = { accountId: string; aadObjectId: string | null; name: string | null };

export type TeamLinkRefusal =
  | { code: 'team-not-installed'; message: string }
  | { code: 'roster-unavailable'; message: string; status: number | null };

/** What happened to a team event; anything but `done` was logged with its reason. */
export type TeamEventOutcome = 'done' | 'not-onboarded' | 'unknown-team';

export type TeamLinksDeps = {
  store: Store;
  roster: TeamRosterSource;
  clock: Clock;
  log: Logger;
  /** People who became members of a Teams-based service (the app is installed for them proactively). */
  onMembersJoined?: (tenantId: string, userIds: readonly string[]) => void;
};

/**
 * Services linked to Microsoft Teams teams: the teams the app is installed in (recorded from the
 * bot's installation events, for onboarded tenants only), the roster read when a service is linked,
 * and the membership changes Teams announces, applied to every service linked to that team. The
 * membership rules are core/team-roster's; service writes are conditional on `_etag`.
 */
export class TeamLinks {
  private readonly users: UserProvisioning;

  constructor(private readonly deps: TeamLinksDeps) {
    this.users = new UserProvisioning(deps.store);
  }

  private get repos() {
    return this.deps.store.repos;
  }

  /** The teams of the tenant the app is installed in now, by name. */
  async installedTeams(tenantId: string): Promise<LinkedTeam[]> {
    return (await this.repos.teamInstallations.installed(tenantId)).map((t) => ({ teamId: t.teamId, name: t.name }));
  }

  /**
   * What linking a service to a team needs: the team as recorded, and its whole roster as users of
   * the tenant (created without licenses where they are new). Nothing about the service is written.
   */
  async rosterOf(
    tenant: Tenant,
    teamId: string,
  ): Promise<Result<{ team: LinkedTeam; userIds: string[] }, TeamLinkRefusal>> {
    const installation = await this.repos.teamInstallations.find(tenant.id, teamId);
    if (!installation?.installed)
      return refuse({ code: 'team-not-installed', message: 'The app is not installed in this team.' });
    const members = await this.deps.roster.members(addressOf(installation), MAX_ROSTER);
    if (!members.ok)
      return refuse({
        code: 'roster-unavailable',
        message: `The members of ${installation.name} could not be read: ${members.refusal.message}.`,
        status: members.refusal.status,
      });
    return ok({
      team: { teamId: installation.teamId, name: installation.name },
      userIds: await this.provision(tenant, members.value),
    });
  }

  /** People became members of a service through its team (linked now, or joined): the proactive install follows. */
  membersJoined(tenantId: string, userIds: readonly string[]): void {
    if (userIds.length > 0) this.deps.onMembersJoined?.(tenantId, userIds);
  }

  // ---- team events, as the bot receives them

  /** The app was added to a team (or upgraded there): recorded, or installed again. */
  async installed(event: TeamInstalled): Promise<TeamEventOutcome> {
    const tenant = await this.onboarded(event.tenantId, event.teamId, 'installation');
    if (!tenant) return 'not-onboarded';
    const now = this.deps.clock.now();
    const name = teamNameOf(event.name);
    const aadGroupId = Id.safeParse(event.aadGroupId).data ?? null;
    try {
      await this.repos.teamInstallations.create({
        id: event.teamId,
        tenantId: tenant.id,
        type: 'teamInstallation',
        teamId: event.teamId,
        name: name ?? event.teamId,
        aadGroupId,
        serviceUrl: event.serviceUrl,
        installed: true,
        installedAt: now,
        updatedAt: now,
      });
      this.deps.log.info({ tenantId: tenant.id, teamId: event.teamId }, 'Teams app installed in a team');
      return 'done';
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
    // Teams announces an installation twice (installation and conversation update): the second changes nothing.
    await this.repos.teamInstallations.update(tenant.id, event.teamId, (t) => {
      const next: TeamInstallation = {
        ...t,
        name: name ?? t.name,
        aadGroupId: aadGroupId ?? t.aadGroupId,
        serviceUrl: event.serviceUrl,
        installed: true,
        installedAt: t.installed ? t.installedAt : now,
      };
      return sameInstallation(t, next) ? undefined : { ...next, updatedAt: now };
    });
    return 'done';
  }

  /**
   * The app was removed from the team (or the team deleted): it is no longer offered, and its
   * services stop following it, since no roster can be read any more. Their members stay, as manual.
   */
  async removed(tenantId: string, teamId: string): Promise<TeamEventOutcome> {
    const tenant = await this.onboarded(tenantId, teamId, 'removal');
    if (!tenant) return 'not-onboarded';
    const installation = await this.repos.teamInstallations.find(tenant.id, teamId);
    if (!installation) return this.unknownTeam(tenant.id, teamId, 'removal');
    await this.repos.teamInstallations.update(tenant.id, teamId, (t) =>
      t.installed ? { ...t, installed: false, updatedAt: this.deps.clock.now() } : undefined,
    );
    await this.eachLinkedService(tenant.id, teamId, (s) => ({
      ...s,
      team: null,
      members: detachFromRoster(s.members),
    }));
    this.deps.log.info({ tenantId: tenant.id, teamId }, 'Teams app removed from a team');
    return 'done';
  }

  /** The team has a new name: recorded, and shown on the services that follow it. */
  async renamed(tenantId: string, teamId: string, newName: string | null): Promise<TeamEventOutcome> {
    const tenant = await this.onboarded(tenantId, teamId, 'rename');
    if (!tenant) return 'not-onboarded';
    const name = teamNameOf(newName);
    if (!name) return 'done';
    if (!(await this.repos.teamInstallations.find(tenant.id, teamId)))
      return this.unknownTeam(tenant.id, teamId, 'rename');
    await this.repos.teamInstallations.update(tenant.id, teamId, (t) =>
      t.name === name ? undefined : { ...t, name, updatedAt: this.deps.clock.now() },
    );
    await this.eachLinkedService(tenant.id, teamId, (s) =>
      s.team?.name === name ? undefined : { ...s, team: { teamId, name } },
    );
    return 'done';
  }

  /** People joined the team: users of the tenant, and members of every service that follows it. */
  async joined(tenantId: string, teamId: string, accounts: readonly TeamAccount[]): Promise<TeamEventOutcome> {
    const found = await this.installedTeam(tenantId, teamId, 'members added');
    if (!found.ok) return found.refusal;
    const { tenant, installation } = found.value;
    if ((await this.repos.services.linkedToTeam(tenant.id, teamId)).length === 0) return 'done';
    const members: RosterMember[] = [];
    for (const account of accounts) {
      // The event names the account; the connector knows the person (name, mail).
      const known = await this.deps.roster.member(addressOf(installation), account.accountId);
      if (known.ok && known.value.aadObjectId) members.push(known.value);
      else if (account.aadObjectId)
        members.push({ ...account, email: null, userPrincipalName: null, aadObjectId: account.aadObjectId });
      else
        this.deps.log.warn(
          { tenantId: tenant.id, teamId, reason: known.ok ? 'no aadObjectId' : known.refusal.message },
          'a team member who joined cannot be named: left out',
        );
    }
    const userIds = await this.provision(tenant, members);
    await this.eachLinkedService(tenant.id, teamId, (s) =>
      withMembers(s, addFromRoster(s.members, userIds), this.deps.log),
    );
    this.membersJoined(tenant.id, userIds);
    return 'done';
  }

  /** People left the team: they leave every service that follows it, where the roster brought them. */
  async left(tenantId: string, teamId: string, accounts: readonly TeamAccount[]): Promise<TeamEventOutcome> {
    const found = await this.installedTeam(tenantId, teamId, 'members removed');
    if (!found.ok) return found.refusal;
    const { tenant, installation } = found.value;
    const userIds = accounts.flatMap((a) => (a.aadObjectId ? [a.aadObjectId] : []));
    if (userIds.length === accounts.length) {
      await this.eachLinkedService(tenant.id, teamId, (s) =>
        withMembers(s, removeFromRoster(s.members, userIds), this.deps.log),
      );
      return 'done';
    }
    // Someone named by channel account only: the roster as it is now tells who is still there.
    const linked = await this.repos.services.linkedToTeam(tenant.id, teamId);
    if (linked.length === 0) return 'done';
    const roster = await this.deps.roster.members(addressOf(installation), MAX_ROSTER);
    if (!roster.ok) {
      this.deps.log.warn({ tenantId: tenant.id, teamId, reason: roster.refusal.message }, 'team roster not read');
      return 'done';
    }
    const current = await this.provision(tenant, roster.value);
    await this.eachLinkedService(tenant.id, teamId, (s) =>
      withMembers(s, followRoster(s.members, current), this.deps.log),
    );
    return 'done';
  }

  // ---- helpers

  private async onboarded(tenantId: string, teamId: string, what: string): Promise<Stored<Tenant> | undefined> {
    const tenant = await this.repos.tenants.find(tenantId, tenantId);
    if (!tenant)
      this.deps.log.info({ tenantId, teamId }, `Teams team ${what} of a tenant that is not onboarded: ignored`);
    return tenant;
  }

  private unknownTeam(tenantId: string, teamId: string, what: string): 'unknown-team' {
    this.deps.log.info({ tenantId, teamId }, `Teams team ${what} for a team not recorded as installed: ignored`);
    return 'unknown-team';
  }

  private async installedTeam(
    tenantId: string,
    teamId: string,
    what: string,
  ): Promise<Result<{ tenant: Stored<Tenant>; installation: Stored<TeamInstallation> }, TeamEventOutcome>> {
    const tenant = await this.onboarded(tenantId, teamId, what);
    if (!tenant) return refuse('not-onboarded');
    const installation = await this.repos.teamInstallations.find(tenant.id, teamId);
    if (!installation?.installed) return refuse(this.unknownTeam(tenant.id, teamId, what));
    return ok({ tenant, installation });
  }

  /** Applies a change to every service that follows the team (and still does when it is written). */
  private async eachLinkedService(
    tenantId: string,
    teamId: string,
    change: (service: Stored<Service>) => Service | undefined,
  ): Promise<void> {
    for (const service of await this.repos.services.linkedToTeam(tenantId, teamId))
      await this.repos.services.update(tenantId, service.id, (s) =>
        s.team?.teamId === teamId ? change(s) : undefined,
      );
  }

  /** The roster's people as users of the tenant, in roster order; accounts without an Entra id are left out. */
  private async provision(tenant: Tenant, members: readonly RosterMember[]): Promise<string[]> {
    const people = new Map<string, RosterMember>();
    for (const m of members)
      if (m.aadObjectId && UserProvisioning.acceptsId(m.aadObjectId) && !people.has(m.aadObjectId))
        people.set(m.aadObjectId, m);
    const queue = [...people.values()];
    const worker = async () => {
      for (let m = queue.shift(); m; m = queue.shift())
        await this.users.ensure(tenant, {
          tenantId: tenant.id,
          userId: m.aadObjectId!,
          displayName: m.name ?? '',
          email: mailOf(m.email, m.userPrincipalName),
        });
    };
    await Promise.all(Array.from({ length: Math.min(PROVISIONING_CONCURRENCY, queue.length) }, worker));
    return [...people.keys()];
  }
}

const addressOf = (t: TeamInstallation): TeamAddress => ({ serviceUrl: t.serviceUrl, teamId: t.teamId });

const teamNameOf = (name: string | null): string | undefined => TeamName.safeParse(name?.slice(0, 256)).data;

const sameInstallation = (a: TeamInstallation, b: TeamInstallation): boolean =>
  a.name === b.name &&
  a.aadGroupId === b.aadGroupId &&
  a.serviceUrl === b.serviceUrl &&
  a.installed === b.installed &&
  a.installedAt === b.installedAt;

/** The service with these members, unless nothing changed or a service cannot hold them all. */
function withMembers(service: Service, members: Service['members'], log: Logger): Service | undefined {
  if (sameMembers(service.members, members)) return undefined;
  if (members.length > MAX_ROSTER) {
    log.warn({ tenantId: service.tenantId, serviceId: service.id }, 'a service cannot hold its team roster: unchanged');
    return undefined;
  }
  return { ...service, members };
}
