import { type Gate, assignLicense, unassignLicense, userInteractTab } from '../../core/licensing';
import {
  type LicenseKind,
  LicenseKind as LicenseKindSchema,
  type Tenant,
  licenseHolder,
  licenseLabel,
} from '../../core/model';
import type { Store } from '../../store';
import type { AppInstallRequest, TeamsAppInstaller } from '../teams-app';
import { type AdminResult } from './admin-result';
import { ok, refuse } from '../../core/result';
import { licensesOf } from './admin-lookups';

export type UserSummary = {
  id: string;
  displayName: string;
  email: string | null;
  active: boolean;
  unitId: string;
  licenses: LicenseKind[];
  isAdmin: boolean;
  interactTab: Gate;
  /** Whether the bot can message the user in Teams (the app is installed in their personal scope). */
  teamsApp: 'installed' | 'not-installed';
  /** The last installation of the app for them through Graph; null when none ran. */
  appInstall: { state: 'pending' | 'installed' | 'failed' | 'skipped'; reason: string | null; at: number } | null;
};
/** An assignment's answer: the pools, and for an IM license the installation of the app it started. */
export type LicenseChange = LicensesView & { appInstall?: AppInstallRequest };

export type LicensesView = {
  pools: {
    kind: LicenseKind;
    label: string;
    holder: 'user' | 'service';
    total: number;
    assigned: number;
    assignees: { id: string; name: string }[];
  }[];
  tenant: Pick<Tenant, 'interactEnabled' | 'imEnabled'>;
};

/** The users page and the license pools of one tenant. */
export class LicenseAdmin {
  constructor(
    private readonly store: Store,
    /** Installs the Teams app for a user given the IM license; absent: nothing is installed. */
    private readonly installer?: Pick<TeamsAppInstaller, 'request'>,
  ) {}

  async users(tenant: Tenant): Promise<UserSummary[]> {
    const users = await this.store.repos.users.byDisplayName(tenant.id);
    const agents = new Map(
      (users.length === 0
        ? []
        : await this.store.repos.agents.withIds(
            tenant.id,
            users.map((u) => u.id),
          )
      ).map((a) => [a.id, a] as const),
    );
    return users.map((u) => ({
      id: u.id,
      displayName: u.displayName,
      email: u.email,
      active: u.active,
      unitId: u.unitId,
      licenses: licensesOf(tenant, u.id),
      isAdmin: tenant.adminUserIds.includes(u.id),
      interactTab: userInteractTab(tenant, u),
      teamsApp: agents.get(u.id)?.reachable ? ('installed' as const) : ('not-installed' as const),
      appInstall: agents.get(u.id)?.appInstall ?? null,
    }));
  }

  async view(tenant: Tenant): Promise<LicensesView> {
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
      tenant: { interactEnabled: tenant.interactEnabled, imEnabled: tenant.imEnabled },
    };
  }

  /** Assigns or returns one license, in one conditional write of the tenant document. */
  async change(
    tenantId: string,
    change: 'assign' | 'unassign',
    kind: LicenseKind,
    holderId: string,
  ): Promise<AdminResult<LicenseChange>> {
    if (change === 'assign') {
      const holder =
        licenseHolder(kind) === 'user'
          ? await this.store.repos.users.find(tenantId, holderId)
          : await this.store.repos.services.find(tenantId, holderId);
      if (!holder)
        return refuse({
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
      refusal = result.ok ? undefined : refuse(result.refusal);
      return result.ok ? { ...t, licenses: result.value } : undefined;
    });
    if (refusal) return refusal;
    const view = await this.view(tenant);
    if (change !== 'assign' || kind !== 'imModality' || !this.installer) return ok(view);
    // After the write, and never its failure: the assignment stands whatever Graph says.
    const appInstall = await this.installer
      .request(tenantId, holderId)
      .catch((): AppInstallRequest => ({ state: 'skipped', reason: 'the installation could not be started' }));
    return ok({ ...view, appInstall });
  }
}
