import type {
  Calendar,
  DomainTemplate,
  InteractSettings,
  LicensePools,
  OrgUnit,
  Service,
  SystemMessages,
  Tenant,
  User,
  UserSessionReport,
} from '../../bot/src/core/model';

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
  privacyPolicyUrl: null,
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

export const unit = (tenantId: string, id: string, overrides: Partial<OrgUnit> = {}): OrgUnit => ({
  id,
  tenantId,
  type: 'unit',
  name: `Unit ${id}`,
  parentId: null,
  ...overrides,
});

export const user = (tenantId: string, id: string, overrides: Partial<User> = {}): User => ({
  id,
  tenantId,
  type: 'user',
  displayName: `User ${id}`,
  email: `${id}@example.com`,
  active: true,
  unitId: 'unit-1',
  im: { enabled: true, maxConcurrentChats: null },
  interact: interactSettings({ contactId: `ct-${id}` }),
  ...overrides,
});

/**
 * How a service distributes its tasks: 3 chats per agent, Busy and Away not selectable, RONA for 10
 * minutes after an unanswered offer, none after a declined one (persistent RONA off).
 */
export const distribution = (overrides: Partial<Service['distribution']> = {}): Service['distribution'] => ({
  maxConcurrentChatsPerUser: 3,
  selectableWhenBusy: false,
  selectableWhenAway: false,
  ronaResetSeconds: 600,
  persistentRona: false,
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
  distribution: distribution(),
  ...overrides,
});

type UnitItemBuilder<T> = (tenantId: string, id: string, overrides?: Partial<T>) => T;

/** What every item an organization unit owns starts with; the unit is unit-1. */
const unitItem = <T extends string>(tenantId: string, id: string, type: T, name: string) => ({
  id,
  tenantId,
  type,
  unitId: 'unit-1',
  name,
});

export const domainTemplate: UnitItemBuilder<DomainTemplate> = (tenantId, id, overrides = {}) => ({
  ...unitItem(tenantId, id, 'domainTemplate', 'Shop'),
  origins: ['https://shop.example.com'],
  ...overrides,
});

export const systemMessages: UnitItemBuilder<SystemMessages> = (tenantId, id, overrides = {}) => ({
  ...unitItem(tenantId, id, 'systemMessages', 'Default'),
  agentDisplayName: { mode: 'fullName' },
  toAgent: {},
  toCustomer: {},
  ...overrides,
});

/** Office hours: Monday to Friday, 08:00 to 18:00 in Europe/Zurich, no special days or holidays. */
export const officeHours: UnitItemBuilder<Calendar> = (tenantId, id, overrides = {}) => ({
  ...unitItem(tenantId, id, 'calendar', 'Office hours'),
  timeZone: 'Europe/Zurich',
  weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
    day,
    ranges: [{ from: '08:00', to: '18:00' }],
  })),
  specialDays: [],
  holidays: [],
  ...overrides,
});

/** A web request as the admin pages' editor sends it: an order-status lookup behind an API key. */
export const webRequestInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'Order status',
  unitId: 'unit-1',
  method: 'GET',
  url: 'https://orders.example.com/status?order={{param.orderId}}',
  auth: { kind: 'api-key', header: 'X-Api-Key', value: 'key-123-secret' },
  timeoutSeconds: 5,
  responseMappings: [{ path: '$.status', parameter: 'orderStatus' }],
  ...overrides,
});

import type { AgentState, QueueSettings, Task } from '../../bot/src/core/model';
import { newTask } from '../../bot/src/core/routing';

export const queueSettings = (overrides: Partial<QueueSettings> = {}): QueueSettings => ({
  priority: 'normal',
  type: 'direct',
  ringTimeoutSeconds: 30,
  broadcastSize: 5,
  maxQueueSeconds: null,
  ...overrides,
});

export const task = (tenantId: string, id: string, overrides: Partial<Task> = {}): Task => ({
  ...newTask(
    id,
    {
      tenantId,
      target: { kind: 'service', serviceId: 'svc' },
      channel: 'interact',
      chatId: `chat-${id}`,
      customer: { displayName: 'Casey Customer', email: 'casey@example.com', address: null },
      firstMessage: 'Hello',
    },
    0,
  ),
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
  reachable: true,
  appInstall: null,
  ...overrides,
});

/** A declined offer in an agent's history, offered at `offeredAt` and answered a millisecond later. */
export const userSession = (tenantId: string, id: string, userId: string, offeredAt = 1): UserSessionReport => ({
  id,
  tenantId,
  type: 'userSession',
  userId,
  taskId: `task-${id}`,
  target: { kind: 'service', serviceId: 'svc' },
  channel: 'interact',
  customer: { displayName: 'Casey', email: null, address: null },
  outcome: 'declined',
  offeredAt,
  respondedAt: offeredAt + 1,
  endedAt: null,
  taskOutcome: null,
});
