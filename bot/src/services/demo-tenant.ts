import type { Calendar, DomainTemplate, OrgUnit, Service, SystemMessages, Tenant, User } from '../core/model';
import { defaultImWorkflow } from '../core/workflow/default-im-workflow';
import type { Store } from '../store';
import { newContactId, newWidgetKey } from './ids';

export const DEMO_TENANT_ID = 'contoso-demo';

export const demoIds = {
  unit: 'unit-contoso',
  service: 'service-b',
  userY: 'user-y',
  admin: 'admin-adele',
  agents: ['agent-alex', 'agent-megan'],
  domainTemplate: 'dt-localhost',
  systemMessages: 'sm-default',
  calendar: 'cal-office-hours',
  workflow: 'wf-default-im',
} as const;

export type DemoSeedResult = { seeded: boolean; tenantId: string };

/**
 * Seeds the demo tenant of the quick start once: Service B reachable from a website, User Y reachable
 * directly, two IM-licensed agents, a localhost domain template and direct system messages.
 * The tenant document is written last, so an interrupted seed is simply redone on the next start.
 */
export async function seedDemoTenant(
  store: Pick<Store, 'repos' | 'directory'>,
  options: { port: number },
): Promise<DemoSeedResult> {
  const { repos, directory } = store;
  const tenantId = DEMO_TENANT_ID;
  if (await repos.tenants.find(tenantId, tenantId)) return { seeded: false, tenantId };

  const unit: OrgUnit = { id: demoIds.unit, tenantId, type: 'unit', name: 'Contoso', parentId: null };
  const template: DomainTemplate = {
    id: demoIds.domainTemplate,
    tenantId,
    type: 'domainTemplate',
    unitId: unit.id,
    name: 'Local development',
    origins: [`http://localhost:${options.port}`, `http://127.0.0.1:${options.port}`],
  };
  const messages: SystemMessages = {
    id: demoIds.systemMessages,
    tenantId,
    type: 'systemMessages',
    unitId: unit.id,
    name: 'Default',
    agentDisplayName: { mode: 'firstName' },
    toAgent: {
      onAccept: 'Greet the customer by name and confirm their request.',
      onEnd: 'Add a code or tag to the session if it needs follow-up.',
    },
    toCustomer: {
      onCreate: 'Thanks for reaching out. We will be with you shortly.',
      onAccept: 'You are now connected with an agent.',
      onEnd: 'The chat has ended. Thank you for contacting us.',
      onUnavailable: 'Nobody is available right now. Please try again later.',
    },
  };
  const calendar: Calendar = {
    id: demoIds.calendar,
    tenantId,
    type: 'calendar',
    unitId: unit.id,
    // Open around the clock, so the quick start works whenever someone tries it.
    name: 'Always open (demo)',
    timeZone: 'Europe/Zurich',
    weekly: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
      day,
      ranges: [{ from: '00:00', to: '24:00' }],
    })),
    specialDays: [],
    holidays: [],
  };
  const interact = (restrictAccess: boolean) => ({
    active: true,
    audioVideo: false,
    instantMessaging: true,
    directSystemMessagesId: messages.id,
    restrictAccess,
    domainTemplateIds: restrictAccess ? [template.id] : [],
    contactId: newContactId(),
    widgetKey: newWidgetKey(),
    privacyPolicyUrl: null,
  });
  const person = (id: string, displayName: string, email: string, interactActive: boolean): User => ({
    id,
    tenantId,
    type: 'user',
    displayName,
    email,
    active: true,
    unitId: unit.id,
    im: { enabled: true, maxConcurrentChats: null },
    interact: { ...interact(false), active: interactActive },
  });
  const users = [
    person(demoIds.agents[0], 'Alex Wilber', 'alex.wilber@contoso.example', false),
    person(demoIds.agents[1], 'Megan Bowen', 'megan.bowen@contoso.example', false),
    person(demoIds.userY, 'User Y', 'user.y@contoso.example', true),
    // The tenant admin of the demo: configures licenses, services and templates; takes no chats.
    {
      ...person(demoIds.admin, 'Adele Vance', 'adele.vance@contoso.example', false),
      im: { enabled: false, maxConcurrentChats: null },
    },
  ];
  const service: Service = {
    id: demoIds.service,
    tenantId,
    type: 'service',
    unitId: unit.id,
    name: 'Service B',
    members: demoIds.agents.map((userId) => ({ userId, active: true })),
    im: { enabled: true, channels: { interact: true, whatsapp: false }, workflowId: demoIds.workflow },
    interact: interact(true),
    distribution: {
      maxConcurrentChatsPerUser: 3,
      selectableWhenBusy: false,
      selectableWhenAway: false,
      ronaResetSeconds: 600,
      persistentRona: false,
    },
  };
  const tenant: Tenant = {
    id: tenantId,
    tenantId,
    type: 'tenant',
    name: 'Contoso (demo)',
    privacyPolicyUrl: 'https://contoso.example/privacy',
    adminUserIds: [demoIds.admin],
    interactEnabled: true,
    imEnabled: true,
    licenses: {
      contactCenter: { total: 5, assignees: [service.id] },
      interactService: { total: 5, assignees: [service.id] },
      imModality: { total: 10, assignees: [...demoIds.agents, demoIds.userY] },
      interactUser: { total: 5, assignees: [demoIds.userY] },
    },
  };

  // Contact ids are registered first: a snippet must resolve as soon as its target exists.
  await Promise.all([
    ...users.map((u) =>
      directory.registerContact({ id: u.interact.contactId, tenantId, target: { kind: 'user', userId: u.id } }),
    ),
    directory.registerContact({
      id: service.interact.contactId,
      tenantId,
      target: { kind: 'service', serviceId: service.id },
    }),
  ]);
  // Welcome → opening hours → queue → "you are number N" until an agent accepts.
  const workflow = defaultImWorkflow({
    id: demoIds.workflow,
    tenantId,
    unitId: unit.id,
    calendarId: calendar.id,
    timeZone: calendar.timeZone,
  });
  await repos.units.upsert(unit);
  await repos.workflow.workflows.upsert(workflow);
  await Promise.all([
    repos.domainTemplates.upsert(template),
    repos.systemMessages.upsert(messages),
    repos.calendars.upsert(calendar),
    ...users.map((u) => repos.users.upsert(u)),
    repos.services.upsert(service),
  ]);
  await repos.tenants.upsert(tenant);
  return { seeded: true, tenantId };
}
