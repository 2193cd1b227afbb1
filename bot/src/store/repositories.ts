import {
  AgentState,
  Chat,
  ChatEvent,
  Calendar,
  DomainTemplate,
  OrgUnit,
  Service,
  SessionWrapUp,
  SystemMessages,
  Task,
  TaskReport,
  type TaskTarget,
  TeamInstallation,
  Tenant,
  User,
  UserSessionReport,
  InboundMedia,
  MessageDelivery,
  WhatsAppConnector,
  WhatsAppInbound,
  WhatsAppThread,
} from '../core/model';
import { WebRequestConfig, WorkflowDefinition, WorkflowInstance, WorkflowTraceEntry } from '../core/workflow';
import { DirectorySync } from '../core/directory';
import { ReportAggregate } from '../core/reporting';
import type { CosmosStore } from './cosmos';
import {
  AGENTS_SCOPE,
  PRESENCE_SCOPE,
  REPORTING_SCOPE,
  WHATSAPP_INBOUND_SCOPE,
  chatScope,
  queueScope,
  teamsScope,
  userScope,
  whatsappThreadScope,
  workflowScope,
} from './partition-keys';
import { PresenceSubscription } from './presence-repositories';
import { QueueStats } from './queue-stats';
import { type BaseDoc, type QuerySpec, Repository, type Stored } from './repository';
import { StoreChanges } from './changes';
import type { StoreStats } from './stats';
import { TeamsConversation, TeamsDeliveryFailure, TeamsMessageLink, TeamsSessionCard } from './teams-repositories';

// ---- the named queries: every SQL condition of the product, each inside one partition, parameterised

const inUnit = (unitId: string): QuerySpec => ({
  where: 'c.unitId = @unit',
  parameters: [{ name: '@unit', value: unitId }],
});
const inUnits = (unitIds: readonly string[]): QuerySpec => ({
  where: 'ARRAY_CONTAINS(@units, c.unitId)',
  parameters: [{ name: '@units', value: [...unitIds] }],
  orderBy: 'c.name',
});
const withIds = (ids: readonly string[]): QuerySpec => ({
  where: 'ARRAY_CONTAINS(@ids, c.id)',
  parameters: [{ name: '@ids', value: [...ids] }],
});

/** Tenant configuration the admin pages list by name. */
export class NamedRepository<T extends BaseDoc & { name: string }> extends Repository<T> {
  byName(tenantId: string): Promise<Stored<T>[]> {
    return this.query(tenantId, { orderBy: 'c.name' });
  }
}

/** Configuration that belongs to an organization unit. */
export class UnitOwnedRepository<T extends BaseDoc & { name: string; unitId: string }> extends NamedRepository<T> {
  inUnit(tenantId: string, unitId: string): Promise<Stored<T>[]> {
    return this.query(tenantId, inUnit(unitId));
  }

  /** The items of any of these units, by name. */
  inUnits(tenantId: string, unitIds: readonly string[]): Promise<Stored<T>[]> {
    return this.query(tenantId, inUnits(unitIds));
  }
}

export class TenantRepository extends Repository<Tenant> {
  /** Every onboarded organization, by name (the operators' command line). */
  everyTenant(): Promise<Stored<Tenant>[]> {
    return this.acrossTenants({ orderBy: 'c.name' });
  }
}

export class UnitRepository extends NamedRepository<OrgUnit> {
  /** The units at the top of the tree, by name (an onboarded tenant has exactly one). */
  roots(tenantId: string): Promise<Stored<OrgUnit>[]> {
    return this.query(tenantId, { where: 'IS_NULL(c.parentId)', orderBy: 'c.name' });
  }

  /**
   * The unit and its ancestors, nearest first, read by id up to the root. A unit that is not stored ends
   * the path (it still counts itself); a cycle stops at the first unit seen again.
   */
  async pathToRoot(tenantId: string, unitId: string): Promise<string[]> {
    const path = [unitId];
    let unit = await this.find(tenantId, unitId);
    while (unit?.parentId && !path.includes(unit.parentId)) {
      path.push(unit.parentId);
      unit = await this.find(tenantId, unit.parentId);
    }
    return path;
  }

  /** The units directly below one unit. */
  children(tenantId: string, unitId: string): Promise<Stored<OrgUnit>[]> {
    return this.query(tenantId, { where: 'c.parentId = @unit', parameters: [{ name: '@unit', value: unitId }] });
  }
}

export class UserRepository extends Repository<User> {
  byDisplayName(tenantId: string): Promise<Stored<User>[]> {
    return this.query(tenantId, { orderBy: 'c.displayName' });
  }

  inUnit(tenantId: string, unitId: string): Promise<Stored<User>[]> {
    return this.query(tenantId, inUnit(unitId));
  }

  /** The users of these ids that exist, in no particular order. */
  withIds(tenantId: string, ids: readonly string[]): Promise<Stored<User>[]> {
    return this.query(tenantId, withIds(ids));
  }
}

export class ServiceRepository extends UnitOwnedRepository<Service> {
  /** The services the user is a member of, active or not. */
  withMember(tenantId: string, userId: string): Promise<Stored<Service>[]> {
    return this.query(tenantId, {
      where: 'ARRAY_CONTAINS(c.members, { "userId": @userId }, true)',
      parameters: [{ name: '@userId', value: userId }],
    });
  }

  /** The services whose members follow this team's roster. */
  linkedToTeam(tenantId: string, teamId: string): Promise<Stored<Service>[]> {
    return this.query(tenantId, {
      where: 'IS_DEFINED(c.team) AND NOT IS_NULL(c.team) AND c.team.teamId = @team',
      parameters: [{ name: '@team', value: teamId }],
    });
  }
}

export class TeamInstallationRepository extends Repository<TeamInstallation> {
  /** The teams the app is installed in now, by name (the admin's choice of a team for a service). */
  installed(tenantId: string): Promise<Stored<TeamInstallation>[]> {
    return this.query(tenantId, { where: 'c.installed = true', orderBy: 'c.name' });
  }
}

export class TaskRepository extends Repository<Task> {
  /** The queued tasks of one queue (unordered: the core sorts them). */
  queued(tenantId: string, queue: string): Promise<Stored<Task>[]> {
    return this.query(tenantId, { where: "c.state = 'queued'" }, queue);
  }

  /** Every live task of one queue (in its workflow, queued, connected): one query in its partition. */
  inQueue(tenantId: string, queue: string): Promise<Stored<Task>[]> {
    return this.all(tenantId, queue);
  }
}

export class AgentStateRepository extends Repository<AgentState> {
  /** The agent states of these users that exist, from the tenant's agents partition. */
  withIds(tenantId: string, userIds: readonly string[]): Promise<Stored<AgentState>[]> {
    return this.query(tenantId, withIds(userIds), AGENTS_SCOPE);
  }
}

export class PresenceSubscriptionRepository extends Repository<PresenceSubscription> {
  /** The tenant's Teams presence subscriptions. */
  ofTenant(tenantId: string): Promise<Stored<PresenceSubscription>[]> {
    return this.all(tenantId, PRESENCE_SCOPE);
  }
}

export class ChatEventRepository extends Repository<ChatEvent> {
  /** The chat's events after `afterSeq`, in order. */
  after(tenantId: string, chatId: string, afterSeq: number): Promise<Stored<ChatEvent>[]> {
    return this.query(
      tenantId,
      { where: 'c.seq > @after', parameters: [{ name: '@after', value: afterSeq }], orderBy: 'c.seq' },
      chatScope(chatId),
    );
  }
}

export class UserSessionRepository extends Repository<UserSessionReport> {
  /** A user's latest sessions, newest offer first. */
  recent(tenantId: string, userId: string, limit: number): Promise<Stored<UserSessionReport>[]> {
    return this.query(tenantId, { orderBy: 'c.offeredAt DESC', top: limit }, userScope(userId));
  }

  /** Every session of a user (the reports' rebuild). */
  ofUser(tenantId: string, userId: string): Promise<Stored<UserSessionReport>[]> {
    return this.all(tenantId, userScope(userId));
  }
}

export class TaskReportRepository extends Repository<TaskReport> {
  /** Every report of a queue (the reports' rebuild). */
  ofQueue(tenantId: string, target: TaskTarget): Promise<Stored<TaskReport>[]> {
    return this.all(tenantId, queueScope(target));
  }

  /**
   * Keyset paging in (createdAt, id) order with one sort field per query (no composite index): the
   * reports created at exactly `createdAt` with a greater id, by id; then `later` gives those created
   * after it and before `to`, by creation time (the caller cuts a page before a tie it cannot finish).
   */
  tiedAt(
    tenantId: string,
    target: TaskTarget,
    createdAt: number,
    afterId: string,
    top: number,
  ): Promise<Stored<TaskReport>[]> {
    return this.query(
      tenantId,
      {
        where: 'c.createdAt = @t AND c.id > @id',
        parameters: [
          { name: '@t', value: createdAt },
          { name: '@id', value: afterId },
        ],
        orderBy: 'c.id',
        top,
      },
      queueScope(target),
    );
  }

  later(tenantId: string, target: TaskTarget, after: number, to: number, top: number): Promise<Stored<TaskReport>[]> {
    return this.query(
      tenantId,
      {
        where: 'c.createdAt > @after AND c.createdAt < @to',
        parameters: [
          { name: '@after', value: after },
          { name: '@to', value: to },
        ],
        orderBy: 'c.createdAt',
        top,
      },
      queueScope(target),
    );
  }

  /** A queue's reports of the tasks that arrived in [from, to), oldest first. */
  arrivedBetween(tenantId: string, target: TaskTarget, from: number, to: number): Promise<Stored<TaskReport>[]> {
    return this.query(
      tenantId,
      {
        where: 'c.createdAt >= @from AND c.createdAt < @to',
        parameters: [
          { name: '@from', value: from },
          { name: '@to', value: to },
        ],
        orderBy: 'c.createdAt',
      },
      queueScope(target),
    );
  }
}

export class ReportAggregateRepository extends Repository<ReportAggregate> {
  findDay(tenantId: string, id: string): Promise<Stored<ReportAggregate> | undefined> {
    return this.find(tenantId, id, REPORTING_SCOPE);
  }

  /** A conditional update of one day document (undefined from `mutate`: leave it). */
  updateDay(
    tenantId: string,
    current: Stored<ReportAggregate>,
    mutate: (doc: Stored<ReportAggregate>) => ReportAggregate | undefined,
  ): Promise<Stored<ReportAggregate>> {
    return this.update(tenantId, current.id, async (doc) => mutate(doc), {
      scope: REPORTING_SCOPE,
      current,
      maxAttempts: 20,
    });
  }

  /** Every day document of the tenant (the rebuild). */
  everything(tenantId: string): Promise<Stored<ReportAggregate>[]> {
    return this.all(tenantId, REPORTING_SCOPE);
  }

  remove(tenantId: string, id: string): Promise<boolean> {
    return this.delete(tenantId, id, { scope: REPORTING_SCOPE });
  }

  /** The day documents of every queue of the tenant from `fromDay` to `toDay` (inclusive, `YYYY-MM-DD`). */
  between(tenantId: string, fromDay: string, toDay: string): Promise<Stored<ReportAggregate>[]> {
    return this.query(
      tenantId,
      {
        where: 'c.day >= @from AND c.day <= @to',
        parameters: [
          { name: '@from', value: fromDay },
          { name: '@to', value: toDay },
        ],
      },
      REPORTING_SCOPE,
    );
  }
}

export class SessionWrapUpRepository extends Repository<SessionWrapUp> {
  /** Every wrap-up a user wrote. */
  ofUser(tenantId: string, userId: string): Promise<Stored<SessionWrapUp>[]> {
    return this.all(tenantId, userScope(userId));
  }
}

export class WorkflowTraceRepository extends Repository<WorkflowTraceEntry> {
  /** What the workflow of one task did, step by step. */
  ofTask(tenantId: string, taskId: string): Promise<Stored<WorkflowTraceEntry>[]> {
    return this.query(tenantId, { orderBy: 'c.seq' }, workflowScope(taskId));
  }
}

export class TeamsDeliveryFailureRepository extends Repository<TeamsDeliveryFailure> {
  /** A user's delivery failures after `since`, newest first. */
  recent(tenantId: string, userId: string, since: number, limit: number): Promise<Stored<TeamsDeliveryFailure>[]> {
    return this.query(
      tenantId,
      { where: 'c.at > @since', parameters: [{ name: '@since', value: since }], orderBy: 'c.at DESC', top: limit },
      teamsScope(userId),
    );
  }
}

// ---- the one factory

/**
 * Every repository of the product, built here and only here (the store opens once and hands them out):
 * for each document type its container, discriminator, schema and partition scope.
 */
export function createRepositories(
  store: Pick<CosmosStore, 'containers'>,
  stats: StoreStats,
  changes: StoreChanges = new StoreChanges(),
) {
  const { config, routing, chats, reports } = store.containers;
  const ctx = { stats, changes };
  return {
    // tenant configuration (pk: tenant)
    // Tenants, users and services are announced: a change to one can make an agent selectable.
    tenants: new TenantRepository(config, { type: 'tenant', schema: Tenant, cached: true, announce: true }, ctx),
    units: new UnitRepository(config, { type: 'unit', schema: OrgUnit, cached: true }, ctx),
    users: new UserRepository(config, { type: 'user', schema: User, cached: true, announce: true }, ctx),
    services: new ServiceRepository(config, { type: 'service', schema: Service, cached: true, announce: true }, ctx),
    domainTemplates: new UnitOwnedRepository<DomainTemplate>(
      config,
      { type: 'domainTemplate', schema: DomainTemplate, cached: true },
      ctx,
    ),
    systemMessages: new UnitOwnedRepository<SystemMessages>(
      config,
      { type: 'systemMessages', schema: SystemMessages, cached: true },
      ctx,
    ),
    calendars: new UnitOwnedRepository<Calendar>(config, { type: 'calendar', schema: Calendar, cached: true }, ctx),
    whatsappConnectors: new Repository<WhatsAppConnector>(
      config,
      { type: 'whatsappConnector', schema: WhatsAppConnector, cached: true },
      ctx,
    ),
    /** The teams the app was added to (from the bot's installation events), one document per team. */
    teamInstallations: new TeamInstallationRepository(
      config,
      { type: 'teamInstallation', schema: TeamInstallation },
      ctx,
    ),
    /** Entra ID import: one document per tenant (the delta link, the run under way, the last outcome). */
    directorySync: new Repository<DirectorySync>(config, { type: 'directorySync', schema: DirectorySync }, ctx),
    // live routing
    tasks: new TaskRepository(routing, { type: 'task', schema: Task, scopeOf: (t) => queueScope(t.target) }, ctx),
    queueStats: new Repository<QueueStats>(
      routing,
      { type: 'queueStats', schema: QueueStats, scopeOf: (s) => s.queue },
      ctx,
    ),
    agents: new AgentStateRepository(
      routing,
      { type: 'agentState', schema: AgentState, scopeOf: () => AGENTS_SCOPE },
      ctx,
    ),
    /** Graph change-notification subscriptions on agents' Teams presence (pk: tenant|presence). */
    presenceSubscriptions: new PresenceSubscriptionRepository(
      routing,
      { type: 'presenceSubscription', schema: PresenceSubscription, scopeOf: () => PRESENCE_SCOPE },
      ctx,
    ),
    whatsappThreads: new Repository<WhatsAppThread>(
      routing,
      { type: 'whatsappThread', schema: WhatsAppThread, scopeOf: (t) => whatsappThreadScope(t.serviceId) },
      ctx,
    ),
    whatsappInbound: new Repository<WhatsAppInbound>(
      routing,
      { type: 'whatsappInbound', schema: WhatsAppInbound, scopeOf: () => WHATSAPP_INBOUND_SCOPE },
      ctx,
    ),
    // chats and what belongs to one chat
    chats: new Repository<Chat>(chats, { type: 'chat', schema: Chat, scopeOf: (c) => chatScope(c.id) }, ctx),
    chatEvents: new ChatEventRepository(
      chats,
      { type: 'chatEvent', schema: ChatEvent, scopeOf: (e) => chatScope(e.chatId) },
      ctx,
    ),
    deliveries: new Repository<MessageDelivery>(
      chats,
      { type: 'delivery', schema: MessageDelivery, scopeOf: (d) => chatScope(d.chatId) },
      ctx,
    ),
    inboundMedia: new Repository<InboundMedia>(
      chats,
      { type: 'inboundMedia', schema: InboundMedia, scopeOf: (m) => chatScope(m.chatId) },
      ctx,
    ),
    // reports
    taskReports: new TaskReportRepository(
      reports,
      { type: 'taskReport', schema: TaskReport, scopeOf: (r) => queueScope(r.target) },
      ctx,
    ),
    userSessions: new UserSessionRepository(
      reports,
      { type: 'userSession', schema: UserSessionReport, scopeOf: (r) => userScope(r.userId) },
      ctx,
    ),
    reportAggregates: new ReportAggregateRepository(
      reports,
      { type: 'reportAggregate', schema: ReportAggregate, scopeOf: () => REPORTING_SCOPE },
      ctx,
    ),
    // Wrap-ups live in the agent's report partition, next to their user sessions.
    sessionWrapUps: new SessionWrapUpRepository(
      reports,
      { type: 'sessionWrapUp', schema: SessionWrapUp, scopeOf: (w) => userScope(w.userId) },
      ctx,
    ),
    /**
     * Workflows: definitions and web-request configurations are tenant configuration; a running
     * instance lives in `routing` next to the live tasks; its trace goes to `reports`, where it outlives
     * the task for admins to read. Instance and trace share the task's workflow scope.
     */
    workflow: {
      workflows: new NamedRepository<WorkflowDefinition>(config, { type: 'workflow', schema: WorkflowDefinition }, ctx),
      webRequests: new NamedRepository<WebRequestConfig>(config, { type: 'webRequest', schema: WebRequestConfig }, ctx),
      instances: new Repository<WorkflowInstance>(
        routing,
        { type: 'workflowInstance', schema: WorkflowInstance, scopeOf: (i) => workflowScope(i.taskId) },
        ctx,
      ),
      traces: new WorkflowTraceRepository(
        reports,
        { type: 'workflowTrace', schema: WorkflowTraceEntry, scopeOf: (e) => workflowScope(e.taskId) },
        ctx,
      ),
    },
    /**
     * The Teams bot, all in one partition per agent of `routing`: everything the bot does for one agent
     * (relay a message, update a card, find the session a reply quotes) is a point read or a query there.
     */
    teams: {
      conversations: new Repository<TeamsConversation>(
        routing,
        { type: 'teamsConversation', schema: TeamsConversation, scopeOf: (d) => teamsScope(d.userId), cached: true },
        ctx,
      ),
      sessionCards: new Repository<TeamsSessionCard>(
        routing,
        { type: 'teamsSessionCard', schema: TeamsSessionCard, scopeOf: (d) => teamsScope(d.userId), cached: true },
        ctx,
      ),
      messageLinks: new Repository<TeamsMessageLink>(
        routing,
        { type: 'teamsMessageLink', schema: TeamsMessageLink, scopeOf: (d) => teamsScope(d.userId) },
        ctx,
      ),
      deliveryFailures: new TeamsDeliveryFailureRepository(
        routing,
        { type: 'teamsDeliveryFailure', schema: TeamsDeliveryFailure, scopeOf: (d) => teamsScope(d.userId) },
        ctx,
      ),
    },
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
export type WorkflowRepositories = Repositories['workflow'];
export type TeamsRepositories = Repositories['teams'];
