import { z } from 'zod/v4';
import { DisplayName, Id, tenantScoped } from './common';

/** Organization units form a tree; configuration items and users belong to one unit. */
export const OrgUnit = tenantScoped('unit').extend({
  name: DisplayName,
  parentId: Id.nullable(),
  /** Users who supervise every service of this unit and of the units below it (absent: none). */
  supervisorUserIds: z.array(Id).max(100).optional(),
});
export type OrgUnit = z.infer<typeof OrgUnit>;

export type UnitTreeProblem =
  | { code: 'unknown-parent'; unitId: string; parentId: string }
  | { code: 'cycle'; unitIds: string[] }
  | { code: 'no-root' };

/** Checks that units form one forest without cycles or dangling parents. */
export function validateUnitTree(units: readonly Pick<OrgUnit, 'id' | 'parentId'>[]): UnitTreeProblem[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const problems: UnitTreeProblem[] = [];
  if (units.length > 0 && !units.some((u) => u.parentId === null)) problems.push({ code: 'no-root' });
  for (const u of units) {
    if (u.parentId !== null && !byId.has(u.parentId))
      problems.push({ code: 'unknown-parent', unitId: u.id, parentId: u.parentId });
  }
  const reported = new Set<string>();
  for (const start of units) {
    const path: string[] = [];
    const seen = new Set<string>();
    let current: Pick<OrgUnit, 'id' | 'parentId'> | undefined = start;
    while (current && current.parentId !== null) {
      if (seen.has(current.id)) {
        const cycle = path.slice(path.indexOf(current.id)).sort();
        const key = cycle.join(',');
        if (!reported.has(key)) {
          reported.add(key);
          problems.push({ code: 'cycle', unitIds: cycle });
        }
        break;
      }
      seen.add(current.id);
      path.push(current.id);
      current = byId.get(current.parentId);
    }
  }
  return problems;
}

/** The unit and all its ancestors, nearest first (for "available under the same organization unit" rules). */
export function unitAncestry(units: readonly Pick<OrgUnit, 'id' | 'parentId'>[], unitId: string): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const chain: string[] = [];
  let current = byId.get(unitId);
  while (current && !chain.includes(current.id)) {
    chain.push(current.id);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return chain;
}
