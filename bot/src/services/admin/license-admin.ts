import { type Gate, assignLicense, unassignLicense, userInteractTab } from '../../core/licensing';
import {
  type LicenseKind,
  LicenseKind as LicenseKindSchema,
  type Tenant,
  licenseHolder,
  licenseLabel,
} from '../../core/model';
import type { Store } from '../../store';
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

/** The users page and the license pools of one tenant. */
export class LicenseAdmin {
  constructor(private readonly store: Store) {}

  async users(tenant: Tenant): Promise<UserSummary[]> {
    const users = await this.store.repos.users.byDisplayName(tenant.id);
    return users.map((u) => ({
      id: u.id,
      displayName: u.displayName,
      email: u.email,
      active: u.active,
      unitId: u.unitId,
      licenses: licensesOf(tenant, u.id),
      isAdmin: tenant.adminUserIds.includes(u.id),
      interactTab: userInteractTab(tenant, u),
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
    };
  }

  /** Assigns or returns one license, in one conditional write of the tenant document. */
  async change(
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
    return refusal ?? ok(await this.view(tenant));
  }
}
