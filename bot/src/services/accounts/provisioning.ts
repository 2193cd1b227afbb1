import { Email, Id, type Tenant, type User } from '../../core/model';
import { AlreadyExistsError, type Store, type Stored } from '../../store';
import { newInteractSettings } from '../ids';

/** The root unit's id is fixed, so an onboarding interrupted after it was written is simply repeated. */
export const ROOT_UNIT_ID = 'unit-root';

/** A person as Teams, the tab's sign-in or the directory names them. */
export type Identity = {
  tenantId: string;
  /** Entra object id (aadObjectId / oid): the user document's id. */
  userId: string;
  displayName: string;
  /** Mail or user principal name, when there is one in mail form. */
  email: string | null;
};

/** The mail form of whatever the directory gives (mail, UPN, preferred_username); null when none is one. */
export function mailOf(...candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) if (c && Email.safeParse(c).success) return c.toLowerCase();
  return null;
}

/** A display name the store accepts: trimmed and clipped, or the mail / id when the directory has none. */
export function displayNameOf(name: string | null | undefined, fallback: string): string {
  const trimmed = (name ?? '').trim().slice(0, 100);
  return trimmed.length > 0 ? trimmed : fallback.slice(0, 100);
}

/**
 * Makes people of an onboarded tenant users of the product: the first time they install the app, open
 * the tab or are imported from Entra ID. A new user has no licenses and sits in the root organization
 * unit; admins assign licenses and units in the Users page. An existing user is never overwritten here
 * except to refresh name and mail and to reactivate someone the directory knows again.
 */
export class UserProvisioning {
  constructor(private readonly store: Pick<Store, 'repos' | 'directory'>) {}

  /** Whether the id can name a user document at all (Entra object ids, the Playground's ids, ...). */
  static acceptsId(id: string): boolean {
    return Id.safeParse(id).success;
  }

  async ensure(tenant: Tenant, identity: Identity): Promise<{ user: Stored<User>; created: boolean }> {
    const existing = await this.store.repos.users.find(tenant.id, identity.userId);
    if (existing) return { user: await this.refresh(existing, identity), created: false };
    const [root] = await this.store.repos.units.roots(tenant.id);
    // A tenant written by hand without units still gets its people: under a root unit made for them.
    const unitId =
      root?.id ??
      (
        await this.store.repos.units.upsert({
          id: ROOT_UNIT_ID,
          tenantId: tenant.id,
          type: 'unit',
          name: tenant.name,
          parentId: null,
        })
      ).id;
    const user: User = {
      id: identity.userId,
      tenantId: tenant.id,
      type: 'user',
      displayName: displayNameOf(identity.displayName, identity.email ?? identity.userId),
      email: identity.email,
      active: true,
      unitId,
      im: { enabled: true, maxConcurrentChats: null },
      interact: newInteractSettings(),
    };
    // The contact id first: a snippet must resolve as soon as its target exists.
    await this.store.directory.registerContact({
      id: user.interact.contactId,
      tenantId: tenant.id,
      target: { kind: 'user', userId: user.id },
    });
    try {
      return { user: await this.store.repos.users.create(user), created: true };
    } catch (err) {
      // Two first requests of one person at once (install and tab): the other one created it.
      if (!(err instanceof AlreadyExistsError)) throw err;
      const raced = await this.store.repos.users.find(tenant.id, identity.userId);
      if (!raced) throw err;
      return { user: raced, created: false };
    }
  }

  /** Name and mail follow the directory; someone it knows again is active again. */
  private async refresh(existing: Stored<User>, identity: Identity): Promise<Stored<User>> {
    const displayName = displayNameOf(identity.displayName, existing.displayName);
    const email = identity.email ?? existing.email;
    if (existing.displayName === displayName && existing.email === email && existing.active) return existing;
    return this.store.repos.users.update(existing.tenantId, existing.id, (u) =>
      u.displayName === displayName && u.email === email && u.active
        ? undefined
        : { ...u, displayName, email, active: true },
    );
  }
}
