import type { OrgUnit, Service } from '../model';

/** Who looks at the live or historic picture of a tenant. */
export type Viewer = { tenantId: string; userId: string; isAdmin: boolean };

/**
 * The services a user supervises: those naming them as a supervisor, and every service of a unit
 * (or a unit below it) that names them. Admins supervise every service of their tenant.
 */
export function supervisedServices<S extends Pick<Service, 'id' | 'unitId' | 'supervisorUserIds'>>(
  viewer: Pick<Viewer, 'userId' | 'isAdmin'>,
  services: readonly S[],
  units: readonly Pick<OrgUnit, 'id' | 'parentId' | 'supervisorUserIds'>[],
): S[] {
  if (viewer.isAdmin) return [...services];
  const byId = new Map(units.map((u) => [u.id, u]));
  const memo = new Map<string, boolean>();
  const unitSupervised = (unitId: string): boolean => {
    const known = memo.get(unitId);
    if (known !== undefined) return known;
    // Walk up the tree; a cycle (which validation refuses) ends the walk instead of looping.
    const seen = new Set<string>();
    let current = byId.get(unitId);
    let found = false;
    while (current && !seen.has(current.id)) {
      seen.add(current.id);
      if (current.supervisorUserIds?.includes(viewer.userId)) {
        found = true;
        break;
      }
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    memo.set(unitId, found);
    return found;
  };
  return services.filter((s) => s.supervisorUserIds?.includes(viewer.userId) || unitSupervised(s.unitId));
}
