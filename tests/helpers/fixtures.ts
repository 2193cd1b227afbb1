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

export const tenant = (
  tenantId: string,
  overrides: Partial<Omit<Tenant, 'licenses'>> & { licenses?: Partial<LicensePools> } = {},
): Tenant => {
  const { licenses, ...rest } = overrides;
  return {
    id: tenantId,
    tenantId,
    type: 'tenant',
    name: 'Test tenant',
    privacyPolicyUrl: null,
    adminUserIds: [],
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
  distribution: {
    maxConcurrentChatsPerUser: 3,
    selectableWhenBusy: false,
    selectableWhenAway: false,
    ronaResetSeconds: 600,
  },
  ...overrides,
});

import type { AgentState, QueueSettings, Task } from '../../bot/src/core/model';

export const queueSettings = (overrides: Partial<QueueSettings> = {}): QueueSettings => ({
  priority: 'normal',
  type: 'direct',
  ringTimeoutSeconds: 30,
  broadcastSize: 5,
  maxQueueSeconds: null,
  ...overrides,
});

export const task = (tenantId: string, id: string, overrides: Partial<Task> = {}): Task => ({
  id,
  tenantId,
  type: 'task',
  target: { kind: 'service', serviceId: 'svc' },
  channel: 'interact',
  chatId: `chat-${id}`,
  customer: { displayName: 'Casey Customer', email: 'casey@example.com', address: null },
  firstMessage: 'Hello',
  state: 'created',
  createdAt: 0,
  queue: null,
  enqueuedAt: null,
  offers: [],
  excludedUserIds: [],
  assignedUserId: null,
  connectedAt: null,
  endedAt: null,
  outcome: null,
  transferredFromTaskId: null,
  ...overrides,
});

export const queuedTask = (
  tenantId: string,
  id: string,
  settings: Partial<QueueSettings> = {},
  enqueuedAt = 0,
  overrides: Partial<Task> = {},
): Task => task(tenantId, id, { state: 'queued', queue: queueSettings(settings), enqueuedAt, ...overrides });

export const agentState = (tenantId: string, id: string, overrides: Partial<AgentState> = {}): AgentState => ({
  id,
  tenantId,
  type: 'agentState',
  presence: 'available',
  presenceChangedAt: 0,
  rona: null,
  notAvailableReason: null,
  slots: [],
  lastActivityAt: 0,
  ...overrides,
});
