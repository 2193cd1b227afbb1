import {
  type ImChannel,
  type LicenseKind,
  type Service,
  type Tenant,
  type User,
  licenseHolder,
  licenseLabel,
} from './model';
import { type Result, ok, refuse } from './result';

/**
 * Licensing gates from the IM licensing table. Every refusal is a named reason the API and the UI can
 * show as it is; a gate lists all reasons that apply, not only the first.
 */
export const gateMessages = {
  'tenant-im-disabled': 'Instant Messaging is not enabled for this tenant.',
  'tenant-interact-disabled': 'Interact is not enabled for this tenant.',
  'contact-center-license-missing': 'Contact Center license missing on the service.',
  'interact-service-addon-missing': 'Interact service add-on missing.',
  'no-im-licensed-member': 'No member of the service holds the Instant Messaging modality license.',
  'interact-user-license-missing': 'Interact user license missing.',
  'im-modality-license-missing': 'The user holds no Instant Messaging modality license.',
  'service-im-off': 'Instant Messaging is switched off for the service.',
  'interact-channel-off': 'The Interact channel is switched off for the service.',
  'whatsapp-channel-off': 'The WhatsApp channel is switched off for the service.',
  'no-whatsapp-connection': 'No WhatsApp connection (Twilio) has a sender number for the service.',
} as const;
export type GateCode = keyof typeof gateMessages;
export type GateReason = { code: GateCode; message: string };
export type Gate = { allowed: true } | { allowed: false; reasons: GateReason[] };

const gate = (failed: (GateCode | false)[]): Gate => {
  const codes = failed.filter((c): c is GateCode => c !== false);
  return codes.length === 0
    ? { allowed: true }
    : { allowed: false, reasons: codes.map((code) => ({ code, message: gateMessages[code] })) };
};

export const holdsLicense = (tenant: Pick<Tenant, 'licenses'>, kind: LicenseKind, holderId: string): boolean =>
  tenant.licenses[kind].assignees.includes(holderId);

/**
 * A user receives IM tasks (a service's or their own direct ones) only with the Instant Messaging modality
 * license: the User row of the licensing table. The Interact user license adds the Interact tab on top.
 */
export const receivesImTasks = (tenant: Pick<Tenant, 'licenses'>, user: Pick<User, 'id'>): boolean =>
  holdsLicense(tenant, 'imModality', user.id);

const hasImLicensedMember = (tenant: Pick<Tenant, 'licenses'>, service: Pick<Service, 'members'>): boolean =>
  service.members.some((m) => receivesImTasks(tenant, { id: m.userId }));

/** WhatsApp: Contact Center on the service and at least one member with the IM modality license. */
export function serviceReachableByWhatsApp(tenant: Tenant, service: Pick<Service, 'id' | 'members'>): Gate {
  return gate([
    !tenant.imEnabled && 'tenant-im-disabled',
    !holdsLicense(tenant, 'contactCenter', service.id) && 'contact-center-license-missing',
    !hasImLicensedMember(tenant, service) && 'no-im-licensed-member',
  ]);
}

/** Website: Contact Center plus the Interact service add-on, and such a member; tenant Interact on. */
export function serviceReachableByWebsite(tenant: Tenant, service: Pick<Service, 'id' | 'members'>): Gate {
  return gate([
    !tenant.imEnabled && 'tenant-im-disabled',
    !tenant.interactEnabled && 'tenant-interact-disabled',
    !holdsLicense(tenant, 'contactCenter', service.id) && 'contact-center-license-missing',
    !holdsLicense(tenant, 'interactService', service.id) && 'interact-service-addon-missing',
    !hasImLicensedMember(tenant, service) && 'no-im-licensed-member',
  ]);
}

/**
 * A user directly on a website (User Y): the Interact user license for the Interact tab, and, like every
 * user who receives IM tasks, the Instant Messaging modality license; tenant IM and Interact on; no
 * service needed. Routing offers a direct task by the same license (selectability), so a chat this gate
 * lets in can be offered.
 */
export function userReachableByWebsite(tenant: Tenant, user: Pick<User, 'id'>): Gate {
  return gate([
    !tenant.imEnabled && 'tenant-im-disabled',
    !tenant.interactEnabled && 'tenant-interact-disabled',
    !holdsLicense(tenant, 'interactUser', user.id) && 'interact-user-license-missing',
    !receivesImTasks(tenant, user) && 'im-modality-license-missing',
  ]);
}

/**
 * Whether customers reach the service on each channel now: the licensing gate, and the service's own
 * settings (IM and the channel switched on), and for WhatsApp a Twilio connection with a sender for it.
 */
export function serviceReachability(
  tenant: Tenant,
  service: Pick<Service, 'id' | 'members' | 'im'>,
  hasWhatsAppSender: boolean,
): { website: Gate; whatsapp: Gate } {
  const withSettings = (licensed: Gate, settings: (GateCode | false)[]): Gate =>
    gate([...(licensed.allowed ? [] : licensed.reasons.map((r) => r.code)), ...settings]);
  const imOff = !service.im.enabled && 'service-im-off';
  return {
    website: withSettings(serviceReachableByWebsite(tenant, service), [
      imOff,
      !service.im.channels.interact && 'interact-channel-off',
    ]),
    whatsapp: withSettings(serviceReachableByWhatsApp(tenant, service), [
      imOff,
      !service.im.channels.whatsapp && 'whatsapp-channel-off',
      !hasWhatsAppSender && 'no-whatsapp-connection',
    ]),
  };
}

/** The Interact tab of a user exists only with the Interact user license (whether Interact is active or not). */
export function userInteractTab(tenant: Tenant, user: Pick<User, 'id'>): Gate {
  return gate([!holdsLicense(tenant, 'interactUser', user.id) && 'interact-user-license-missing']);
}

/** The Interact tab of a service exists only with the Interact service add-on. */
export function serviceInteractTab(tenant: Tenant, service: Pick<Service, 'id'>): Gate {
  return gate([!holdsLicense(tenant, 'interactService', service.id) && 'interact-service-addon-missing']);
}

/** The Interact and WhatsApp channels in a service's modality settings are enabled by Contact Center. */
export function serviceImChannel(tenant: Tenant, service: Pick<Service, 'id'>, _channel: ImChannel): Gate {
  return gate([
    !tenant.imEnabled && 'tenant-im-disabled',
    !holdsLicense(tenant, 'contactCenter', service.id) && 'contact-center-license-missing',
  ]);
}

export type LicenseChangeRefusal =
  | { code: 'pool-exhausted'; message: string }
  | { code: 'already-assigned'; message: string }
  | { code: 'not-assigned'; message: string }
  | { code: 'wrong-holder'; message: string }
  | { code: 'requires-contact-center'; message: string }
  | { code: 'addon-depends-on-license'; message: string };
export type LicenseChange = Result<Tenant['licenses'], LicenseChangeRefusal>;

/** Assigns one license from the tenant's pool. Pools can never be over-assigned. */
export function assignLicense(
  tenant: Pick<Tenant, 'licenses'>,
  kind: LicenseKind,
  holder: { kind: 'user' | 'service'; id: string },
): LicenseChange {
  const pool = tenant.licenses[kind];
  const label = licenseLabel[kind];
  if (licenseHolder(kind) !== holder.kind) {
    return refuse({
      code: 'wrong-holder',
      message: `The ${label} license is assigned to ${licenseHolder(kind)}s, not ${holder.kind}s.`,
    });
  }
  if (pool.assignees.includes(holder.id)) {
    return refuse({ code: 'already-assigned', message: `The ${label} license is already assigned.` });
  }
  if (kind === 'interactService' && !holdsLicense(tenant, 'contactCenter', holder.id)) {
    return refuse({
      code: 'requires-contact-center',
      message: 'The Interact service add-on requires the Contact Center license on the service.',
    });
  }
  if (pool.assignees.length >= pool.total) {
    return refuse({ code: 'pool-exhausted', message: `All ${pool.total} ${label} licenses are assigned.` });
  }
  return ok({ ...tenant.licenses, [kind]: { ...pool, assignees: [...pool.assignees, holder.id] } });
}

/** Returns a license to the pool. The add-on must go before the license it depends on. */
export function unassignLicense(tenant: Pick<Tenant, 'licenses'>, kind: LicenseKind, holderId: string): LicenseChange {
  const pool = tenant.licenses[kind];
  if (!pool.assignees.includes(holderId)) {
    return refuse({ code: 'not-assigned', message: `No ${licenseLabel[kind]} license is assigned.` });
  }
  if (kind === 'contactCenter' && holdsLicense(tenant, 'interactService', holderId)) {
    return refuse({
      code: 'addon-depends-on-license',
      message: 'Remove the Interact service add-on before the Contact Center license.',
    });
  }
  return ok({ ...tenant.licenses, [kind]: { ...pool, assignees: pool.assignees.filter((id) => id !== holderId) } });
}
