import type { InteractSettings, LicensePools, Service, Tenant, User } from '../../bot/src/core/model';

/** Builders for valid documents; tests override only what they are about. */
export const interactSettings = (overrides: Partial<InteractSettings> = {}): InteractSettings => ({
  active: true,
  audioVideo: false,
  instantMessaging: true,
  directSystemMessagesId: null,
  restrictAccess: false,
  domainTemplateIds: [],
  contactId: 'ct-test',
  widgetKey: 'k'.repeat(32),
  ...overrides,
});

const emptyPools = (): LicensePools => ({
  contactCenter: { total: 10, assignees: [] },
  interactService: { total: 10, assignees: [] },
  imModality: { total: 10, assignees: [] },
  interactUser: { total: 10, assignees: [] },
});

export const tenant = (tenantId: string, overrides: Partial<Omit<Tenant, 'licenses'>> & { licenses?: Partial<LicensePools> } = {}): Tenant => {
  const { licenses, ...rest } = overrides;
  return {
    id: tenantId,
    tenantId,
    type: 'tenant',
    name: 'Test tenant',
    interactEnabled: true,
    imEnabled: true,
    ...rest,
    licenses: { ...emptyPools(), ...licenses },
  };
};

export const user = (tenantId: string, id: string, overrides: Partial<User> = {}): User => ({
  id,
  tenantId,
  type: 'user',
  displayName: `User ${id}`,
  email: `${id}@example.com`,
  unitId: 'unit-1',
  im: { enabled: true, maxConcurrentChats: null },
  interact: interactSettings({ contactId: `ct-${id}` }),
  ...overrides,
});

export const service = (tenantId: string, id: string, overrides: Partial<Service> = {}): Service => ({
  id,
  tenantId,
  type: 'service',
  unitId: 'unit-1',
  name: `Service ${id}`,
  members: [],
  im: { enabled: true, channels: { interact: true, whatsapp: true }, workflowId: null },
  interact: interactSettings({ contactId: `ct-${id}` }),
  distribution: { maxConcurrentChatsPerUser: 3, selectableWhenBusy: false, selectableWhenAway: false, ronaResetSeconds: 600 },
  ...overrides,
});
