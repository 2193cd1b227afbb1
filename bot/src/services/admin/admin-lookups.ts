import { holdsLicense } from '../../core/licensing';
import {
  type InteractSettings,
  type LicenseKind,
  LicenseKind as LicenseKindSchema,
  type Tenant,
} from '../../core/model';
import type { Store } from '../../store';
import type { IdSource } from '../ids';
import { type AdminResult } from './admin-result';
import { refuse } from '../../core/result';

/** What the admin services share: lookups over one tenant's configuration and the refusals they lead to. */

/** The random part of a new item's id (`unit-…`, `svc-…`, `dt-…`). */
export const shortId = (ids: IdSource): string => ids.uuid().slice(0, 8);

/** The licenses a user or a service holds, in the order of the license kinds. */
export const licensesOf = (tenant: Tenant, holderId: string): LicenseKind[] =>
  LicenseKindSchema.options.filter((kind) => holdsLicense(tenant, kind, holderId));

export async function unitExists(store: Pick<Store, 'repos'>, tenantId: string, unitId: string): Promise<boolean> {
  return (await store.repos.units.find(tenantId, unitId)) !== undefined;
}

export const chooseExistingUnit = 'Choose an existing organization unit.';
export const unitNotFound = <T>(): AdminResult<T> => refuse({ code: 'unit-not-found', message: chooseExistingUnit });

/** Who selected an item in their Interact settings: removing or moving it would change what reaches them. */
export async function interactSettingsUsing(
  store: Pick<Store, 'repos'>,
  tenantId: string,
  uses: (settings: InteractSettings) => boolean,
): Promise<string[]> {
  const [users, services] = await Promise.all([store.repos.users.all(tenantId), store.repos.services.all(tenantId)]);
  return [
    ...users.filter((u) => uses(u.interact)).map((u) => `user ${u.displayName} (${u.id})`),
    ...services.filter((s) => uses(s.interact)).map((s) => `service ${s.name}`),
  ];
}
