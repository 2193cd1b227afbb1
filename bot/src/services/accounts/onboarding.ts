import type { OnboardingPolicy } from '../../config';
import type { SetupDone, SetupInput, SetupStatus } from '../../contracts/setup';
import type { OrgUnit, Tenant } from '../../core/model';
import { type Result, ok, refuse } from '../../core/result';
import { AlreadyExistsError, type Store } from '../../store';
import { type Identity, ROOT_UNIT_ID, UserProvisioning } from './provisioning';

/** The person who asks to set up their organization, as their verified sign-in names them. */
export type Signer = Identity & {
  /** User principal name (preferred_username), lower case, when the token has one. */
  upn: string | null;
  /** The token carries Entra's Global Administrator role (`wids`). */
  isGlobalAdmin: boolean;
};

export type OnboardingRefusal =
  | { code: 'tenant-not-allowed'; message: string }
  | { code: 'not-an-admin'; message: string }
  | { code: 'already-set-up'; message: string; tenantName: string };

export { ROOT_UNIT_ID };

const messages = {
  tenantNotAllowed:
    'This deployment does not serve your organization. Its operator lists the Entra tenants that may use it (ONBOARDING_TENANTS).',
  notAnAdmin:
    'Your organization is not set up for this app yet. A Global Administrator of your organization (or a person the deployment names as a bootstrap admin) sets it up by opening the Admin tab.',
  alreadySetUp: (name: string) => `Your organization is already set up as "${name}".`,
};

/**
 * Turns an Entra tenant into a tenant of the product: the tenant document (switches, license pools,
 * privacy policy), the root organization unit, and the admin who did it as its first user and admin.
 * Who may do it is the deployment's policy: tenants it serves, and in them Global Administrators or
 * the bootstrap admins it names. The tenant document is written last: until it exists, nothing is
 * onboarded, and running it again after an interruption completes it.
 */
export class Onboarding {
  private readonly users: UserProvisioning;

  constructor(
    private readonly store: Pick<Store, 'repos' | 'directory'>,
    private readonly policy: OnboardingPolicy,
  ) {
    this.users = new UserProvisioning(store);
  }

  /** Why this signer may not onboard their tenant, or null when they may. */
  refusalFor(signer: Signer): Extract<OnboardingRefusal, { code: 'tenant-not-allowed' | 'not-an-admin' }> | null {
    const tenant = signer.tenantId.toLowerCase();
    if (this.policy.tenants !== 'any' && !this.policy.tenants.includes(tenant))
      return { code: 'tenant-not-allowed', message: messages.tenantNotAllowed };
    const named = [signer.userId.toLowerCase(), signer.upn?.toLowerCase()].some(
      (id) => id !== undefined && this.policy.bootstrapAdmins.includes(id),
    );
    if (!signer.isGlobalAdmin && !named) return { code: 'not-an-admin', message: messages.notAnAdmin };
    return null;
  }

  async status(signer: Signer): Promise<SetupStatus> {
    const tenant = await this.store.repos.tenants.find(signer.tenantId, signer.tenantId);
    if (tenant) return { state: 'ready', tenantId: tenant.id, tenantName: tenant.name };
    const refusal = this.refusalFor(signer);
    if (refusal)
      return {
        state: 'cannot-set-up',
        tenantId: signer.tenantId,
        reason: refusal.code,
        message: refusal.message,
      };
    return {
      state: 'can-set-up',
      tenantId: signer.tenantId,
      suggested: { organizationName: suggestedName(signer), adminName: signer.displayName },
    };
  }

  /** The setup page: the policy decides, then the tenant is created with the signer as its admin. */
  async onboard(signer: Signer, input: SetupInput): Promise<Result<SetupDone, OnboardingRefusal>> {
    const existing = await this.store.repos.tenants.find(signer.tenantId, signer.tenantId);
    if (existing)
      return refuse({
        code: 'already-set-up',
        message: messages.alreadySetUp(existing.name),
        tenantName: existing.name,
      });
    const refusal = this.refusalFor(signer);
    if (refusal) return refuse(refusal);
    return this.create(signer.tenantId, signer, input);
  }

  /**
   * Creates the tenant with `admin` as its first admin, without asking the policy: the operator's
   * command line (who holds the store's keys), and the setup page once the policy allowed it.
   */
  async create(
    tenantId: string,
    admin: Identity,
    input: SetupInput,
  ): Promise<Result<SetupDone, Extract<OnboardingRefusal, { code: 'already-set-up' }>>> {
    const root: OrgUnit = { id: ROOT_UNIT_ID, tenantId, type: 'unit', name: input.rootUnitName, parentId: null };
    await this.store.repos.units.upsert(root);
    const pool = (total: number) => ({ total, assignees: [] });
    const tenant: Tenant = {
      id: tenantId,
      tenantId,
      type: 'tenant',
      name: input.organizationName,
      interactEnabled: input.interactEnabled,
      imEnabled: input.imEnabled,
      licenses: {
        contactCenter: pool(input.licenses.contactCenter),
        interactService: pool(input.licenses.interactService),
        imModality: pool(input.licenses.imModality),
        interactUser: pool(input.licenses.interactUser),
      },
      privacyPolicyUrl: input.privacyPolicyUrl,
      adminUserIds: [admin.userId],
    };
    let created: Tenant;
    try {
      created = await this.store.repos.tenants.create(tenant);
    } catch (err) {
      // Two admins at once: the first one set it up; the second hears so and changes nothing.
      if (!(err instanceof AlreadyExistsError)) throw err;
      const winner = await this.store.repos.tenants.get(tenantId, tenantId);
      return refuse({ code: 'already-set-up', message: messages.alreadySetUp(winner.name), tenantName: winner.name });
    }
    await this.users.ensure(created, { ...admin, tenantId });
    return ok({ tenantId, tenantName: created.name, rootUnitId: root.id });
  }
}

/** The mail domain's first label, capitalised ("contoso.com" → "Contoso"), else the signer's own name. */
function suggestedName(signer: Signer): string {
  const domain = (signer.upn ?? signer.email ?? '').split('@')[1]?.split('.')[0];
  if (domain) return domain.charAt(0).toUpperCase() + domain.slice(1);
  return signer.displayName;
}
