import {
  AGENTS_SCOPE,
  AgentState,
  Chat,
  ChatEvent,
  Calendar,
  DomainTemplate,
  OrgUnit,
  Service,
  SystemMessages,
  Task,
  TaskReport,
  Tenant,
  User,
  UserSessionReport,
  InboundMedia,
  MessageDelivery,
  WhatsAppConnector,
  WhatsAppInbound,
  WhatsAppThread,
  chatScope,
  queueScope,
} from '../core/model';
import { QueueStats } from './queue-stats';
import type { CosmosStore } from './cosmos';
import { Repository } from './repository';
import type { StoreStats } from './stats';

/** One repository per document type; the composition root builds them once. */
export function createRepositories(store: Pick<CosmosStore, 'containers'>, stats: StoreStats) {
  const config = store.containers.config;
  return {
    tenants: new Repository<Tenant>(config, { type: 'tenant', schema: Tenant }, stats),
    units: new Repository<OrgUnit>(config, { type: 'unit', schema: OrgUnit }, stats),
    users: new Repository<User>(config, { type: 'user', schema: User }, stats),
    services: new Repository<Service>(config, { type: 'service', schema: Service }, stats),
    domainTemplates: new Repository<DomainTemplate>(config, { type: 'domainTemplate', schema: DomainTemplate }, stats),
    systemMessages: new Repository<SystemMessages>(config, { type: 'systemMessages', schema: SystemMessages }, stats),
    calendars: new Repository<Calendar>(config, { type: 'calendar', schema: Calendar }, stats),
    tasks: new Repository<Task>(store.containers.routing, { type: 'task', schema: Task, scopeOf: (t) => queueScope(t.target) }, stats),
    queueStats: new Repository<QueueStats>(store.containers.routing, { type: 'queueStats', schema: QueueStats, scopeOf: (s) => s.queue }, stats),
    agents: new Repository<AgentState>(store.containers.routing, { type: 'agentState', schema: AgentState, scopeOf: () => AGENTS_SCOPE }, stats),
    chats: new Repository<Chat>(store.containers.chats, { type: 'chat', schema: Chat, scopeOf: (c) => chatScope(c.id) }, stats),
    chatEvents: new Repository<ChatEvent>(store.containers.chats, { type: 'chatEvent', schema: ChatEvent, scopeOf: (e) => chatScope(e.chatId) }, stats),
    whatsappConnectors: new Repository<WhatsAppConnector>(config, { type: 'whatsappConnector', schema: WhatsAppConnector }, stats),
    whatsappThreads: new Repository<WhatsAppThread>(store.containers.routing, { type: 'whatsappThread', schema: WhatsAppThread, scopeOf: (t) => `wa:${t.serviceId}` }, stats),
    whatsappInbound: new Repository<WhatsAppInbound>(store.containers.routing, { type: 'whatsappInbound', schema: WhatsAppInbound, scopeOf: () => 'wa-inbound' }, stats),
    deliveries: new Repository<MessageDelivery>(store.containers.chats, { type: 'delivery', schema: MessageDelivery, scopeOf: (d) => chatScope(d.chatId) }, stats),
    inboundMedia: new Repository<InboundMedia>(store.containers.chats, { type: 'inboundMedia', schema: InboundMedia, scopeOf: (m) => chatScope(m.chatId) }, stats),
    taskReports: new Repository<TaskReport>(store.containers.reports, { type: 'taskReport', schema: TaskReport, scopeOf: (r) => queueScope(r.target) }, stats),
    userSessions: new Repository<UserSessionReport>(store.containers.reports, { type: 'userSession', schema: UserSessionReport, scopeOf: (r) => `usr:${r.userId}` }, stats),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
