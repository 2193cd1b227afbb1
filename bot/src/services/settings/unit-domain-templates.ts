import type { DomainTemplate } from '../../core/model';
import type { Store } from '../../store';

/**
 * The domain templates a user or service of this unit may use: those of the unit and of every unit above
 * it up to the root. The Interact settings offer exactly these, and the widget API's whitelist check
 * counts a selected template only while it is one of them.
 */
export async function domainTemplatesInReach(
  store: Store,
  tenantId: string,
  unitId: string,
): Promise<DomainTemplate[]> {
  const path = await store.repos.units.pathToRoot(tenantId, unitId);
  return store.repos.domainTemplates.inUnits(tenantId, path);
}

/**
 * Of the templates a contact selected, those still in reach of its unit: read by id (no query), as the
 * widget API checks a page's origin on every call.
 */
export async function selectedDomainTemplates(
  store: Store,
  tenantId: string,
  unitId: string,
  ids: readonly string[],
): Promise<DomainTemplate[]> {
  const [path, templates] = await Promise.all([
    store.repos.units.pathToRoot(tenantId, unitId),
    Promise.all(ids.map((id) => store.repos.domainTemplates.find(tenantId, id))),
  ]);
  return templates.filter((t): t is NonNullable<typeof t> => t !== undefined && path.includes(t.unitId));
}
