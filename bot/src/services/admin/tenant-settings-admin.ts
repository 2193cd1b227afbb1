import type { Tenant } from '../../core/model';
import { ok } from '../../core/result';
import type { Store } from '../../store';
import type { AdminResult } from './admin-result';
import type { PrivacyPolicyInput } from './inputs';

/** The organization's privacy policy, as the admin pages show and change it. */
export type PrivacyPolicy = { privacyPolicyUrl: string | null };

/** Tenant-level settings an admin changes after onboarding. */
export class TenantSettingsAdmin {
  constructor(private readonly store: Store) {}

  privacyPolicy(tenant: Tenant): PrivacyPolicy {
    return { privacyPolicyUrl: tenant.privacyPolicyUrl };
  }

  /**
   * Sets or clears the privacy policy the widget links to (contacts without their own), in one
   * conditional write of the tenant document: a concurrent change (a license assigned) is re-read, not lost.
   */
  async setPrivacyPolicy(tenantId: string, input: PrivacyPolicyInput): Promise<AdminResult<PrivacyPolicy>> {
    const tenant = await this.store.repos.tenants.update(tenantId, tenantId, (t) =>
      t.privacyPolicyUrl === input.privacyPolicyUrl ? undefined : { ...t, privacyPolicyUrl: input.privacyPolicyUrl },
    );
    return ok(this.privacyPolicy(tenant));
  }
}
