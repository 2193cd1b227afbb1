import type { Tenant, User } from '../../core/model';
import type { Store, Stored } from '../../store';
import { type Identity, UserProvisioning } from './provisioning';

/**
 * The tenants and users people sign in to the tab as: who a verified token names, and in local mode
 * whom the dev sign-in may act as. Deciding what they may do stays with the caller.
 */
export class AccountService {
  private readonly provisioning: UserProvisioning;

  constructor(private readonly store: Pick<Store, 'repos' | 'directory'>) {
    this.provisioning = new UserProvisioning(store);
  }

  /** Makes a person of a set-up organization a user (first tab call, first installation). */
  provision(tenant: Tenant, identity: Identity): Promise<{ user: Stored<User>; created: boolean }> {
    return this.provisioning.ensure(tenant, identity);
  }

  /** The tenant and the user a sign-in names; each is undefined when it is not one of ours. */
  async signedIn(tenantId: string, userId: string): Promise<{ tenant: Tenant | undefined; user: User | undefined }> {
    const [tenant, user] = await Promise.all([this.tenant(tenantId), this.user(tenantId, userId)]);
    return { tenant, user };
  }

  tenant(tenantId: string): Promise<Tenant | undefined> {
    return this.store.repos.tenants.find(tenantId, tenantId);
  }

  user(tenantId: string, userId: string): Promise<User | undefined> {
    return this.store.repos.users.find(tenantId, userId);
  }

  /** Every user of the tenant, by display name (the dev sign-in's picker). */
  usersByName(tenantId: string): Promise<User[]> {
    return this.store.repos.users.byDisplayName(tenantId);
  }
}
