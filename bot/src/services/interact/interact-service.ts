import type { Logger } from 'pino';
import { type Gate, serviceReachableByWebsite, userReachableByWebsite } from '../../core/licensing';
import {
  type Chat,
  type InteractSettings,
  type Service,
  type SystemMessages,
  type Tenant,
  type User,
  originAllowed,
} from '../../core/model';
import { type Store, queueScope } from '../../store';
import type { ChatService } from '../chat/chat-service';
import { selectedDomainTemplates } from '../settings/unit-domain-templates';
import type { Clock } from '../routing/clock';
import type { Routing } from '../routing';
import type { CustomerPresence } from './customer-presence';
import { signVisitorToken, verifyVisitorToken, type VisitorClaims } from './visitor-token';
import { type Result, ok, refuse } from '../../core/result';
import {
  type ContactAvailability,
  anyMemberCouldTake,
  contactAvailability,
  nextOpening,
  openingGate,
} from '../../core/workflow/contact-availability';
import { evaluateOpeningHours } from '../../core/workflow/opening-hours';

/** Why a widget call is refused; the API maps each to a status, the widget to a friendly text. */
export type InteractRefusal =
  | { code: 'contact-not-found' }
  | { code: 'invalid-widget-key' }
  | { code: 'origin-required' }
  | { code: 'origin-not-allowed'; origin: string }
  | { code: 'tenant-interact-disabled' }
  | { code: 'interact-inactive' }
  | { code: 'instant-messaging-off' }
  | { code: 'not-licensed'; reasons: Extract<Gate, { allowed: false }>['reasons'] }
  | { code: 'invalid-token'; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-chat' }
  | { code: 'chat-not-found' }
  | { code: 'chat-ended' };

export type Outcome<T> = Result<T, InteractRefusal>;

/** A contact as a widget sees it, with everything the access rules need. */
export type ResolvedContact = {
  contactId: string;
  tenant: Tenant;
  target: { kind: 'service'; service: Service } | { kind: 'user'; user: User };
  interact: InteractSettings;
  displayName: string;
};

export type ChatForm = { displayName: string; email: string; message: string | null };

const TOKEN_LIFETIME_MS = 24 * 3600 * 1000;

export type InteractServiceDeps = {
  store: Store;
  chats: ChatService;
  routing: Routing;
  clock: Clock;
  log: Logger;
  tokenSecret: string;
  /** Our own origins (the preview page): always allowed. */
  ownOrigins: readonly string[];
  /** Starts the service's workflow for a new task; without one the task is queued directly. */
  startServiceTask: (ref: { tenantId: string; queue: string; taskId: string }) => Promise<void>;
  /** Tells when the customer is gone: no stream opened, or the page said it left. */
  presence: Pick<CustomerPresence, 'changed' | 'leaving'>;
};

/**
 * The Interact channel's rules and actions. Every call is checked again: widget key, the target's
 * Interact settings, tenant switches, licensing gates, and (with Restrict Access) the page's origin.
 */
export class InteractService {
  constructor(private readonly deps: InteractServiceDeps) {}

  async resolve(contactId: string): Promise<ResolvedContact | undefined> {
    const entry = await this.deps.store.directory.findContact(contactId);
    if (!entry) return undefined;
    const tenant = await this.deps.store.repos.tenants.find(entry.tenantId, entry.tenantId);
    if (!tenant) return undefined;
    if (entry.target.kind === 'service') {
      const service = await this.deps.store.repos.services.find(entry.tenantId, entry.target.serviceId);
      if (!service || service.interact.contactId !== contactId) return undefined;
      return {
        contactId,
        tenant,
        target: { kind: 'service', service },
        interact: service.interact,
        displayName: service.name,
      };
    }
    const user = await this.deps.store.repos.users.find(entry.tenantId, entry.target.userId);
    if (!user || user.interact.contactId !== contactId) return undefined;
    return {
      contactId,
      tenant,
      target: { kind: 'user', user },
      interact: user.interact,
      displayName: user.displayName,
    };
  }

  /** The checks of every widget call, in the order a person would fix them. `key` null: not asked (token calls). */
  async check(
    contact: ResolvedContact | undefined,
    key: string | null,
    origin: string | undefined,
  ): Promise<Outcome<ResolvedContact>> {
    if (!contact) return refuse({ code: 'contact-not-found' });
    if (key !== null && key !== contact.interact.widgetKey) return refuse({ code: 'invalid-widget-key' });
    const originCheck = await this.checkOrigin(contact, origin);
    if (originCheck) return refuse(originCheck);
    if (!contact.tenant.interactEnabled) return refuse({ code: 'tenant-interact-disabled' });
    if (!contact.interact.active) return refuse({ code: 'interact-inactive' });
    if (!contact.interact.instantMessaging) return refuse({ code: 'instant-messaging-off' });
    if (
      contact.target.kind === 'service' &&
      (!contact.target.service.im.enabled || !contact.target.service.im.channels.interact)
    ) {
      return refuse({ code: 'instant-messaging-off' });
    }
    const gate =
      contact.target.kind === 'service'
        ? serviceReachableByWebsite(contact.tenant, contact.target.service)
        : userReachableByWebsite(contact.tenant, contact.target.user);
    if (!gate.allowed) return refuse({ code: 'not-licensed', reasons: gate.reasons });
    return ok(contact);
  }

  /**
   * What a chat started now would meet, told before the form: a service whose workflow first checks
   * opening hours and ends the chat when closed is "closed" (with the next opening); a service with no
   * member who could ever take it has "no agents". A user reachable by website takes their own chats.
   */
  async availability(contact: ResolvedContact): Promise<ContactAvailability> {
    if (contact.target.kind !== 'service') return { state: 'open' };
    const { service } = contact.target;
    const tenantId = contact.tenant.id;
    const ids = service.members.map((m) => m.userId);
    const [workflow, users, agents] = await Promise.all([
      service.im.workflowId ? this.deps.store.repos.workflow.workflows.find(tenantId, service.im.workflowId) : null,
      this.deps.store.repos.users.withIds(tenantId, ids),
      this.deps.store.repos.agents.withIds(tenantId, ids),
    ]);
    const now = this.deps.clock.now();
    const gate = workflow ? openingGate(workflow) : null;
    let closed: { nextOpeningAt: number | null } | null = null;
    if (gate) {
      const [primary, secondary] = await Promise.all([
        this.deps.store.repos.calendars.find(tenantId, gate.primaryCalendarId),
        gate.secondaryCalendarId ? this.deps.store.repos.calendars.find(tenantId, gate.secondaryCalendarId) : null,
      ]);
      // Like Check Opening Hours: a deleted calendar cannot say the service is open.
      if (!primary) closed = { nextOpeningAt: null };
      else if (evaluateOpeningHours(primary, secondary ?? null, now).exit === 'closed')
        closed = { nextOpeningAt: nextOpening(primary, secondary ?? null, now) };
    }
    const anyMember = anyMemberCouldTake({ tenant: contact.tenant, service, users, agents, now });
    return contactAvailability({ closed, anyMember });
  }

  /** Whether responses about this contact may be shared with the page's origin (CORS). */
  async allowedOrigin(contact: ResolvedContact, origin: string | undefined): Promise<boolean> {
    return (await this.checkOrigin(contact, origin)) === undefined;
  }

  private async checkOrigin(
    contact: ResolvedContact,
    origin: string | undefined,
  ): Promise<InteractRefusal | undefined> {
    if (origin !== undefined && this.deps.ownOrigins.includes(origin)) return undefined;
    if (!contact.interact.restrictAccess) return undefined;
    if (origin === undefined) return { code: 'origin-required' };
    const unitId = contact.target.kind === 'service' ? contact.target.service.unitId : contact.target.user.unitId;
    const templates = await selectedDomainTemplates(
      this.deps.store,
      contact.tenant.id,
      unitId,
      contact.interact.domainTemplateIds,
    );
    return originAllowed(origin, templates) ? undefined : { code: 'origin-not-allowed', origin };
  }

  /** Creates the chat and its task, and hands the task to the workflow (service) or to the user (direct). */
  async createChat(
    contact: ResolvedContact,
    form: ChatForm,
  ): Promise<{ chatId: string; token: string; expiresAt: number }> {
    const tenantId = contact.tenant.id;
    const target =
      contact.target.kind === 'service'
        ? { kind: 'service' as const, serviceId: contact.target.service.id }
        : { kind: 'user' as const, userId: contact.target.user.id };
    const customer = { displayName: form.displayName, email: form.email, address: null };
    const chat = await this.deps.chats.open({
      tenantId,
      target,
      channel: 'interact',
      contactId: contact.contactId,
      customer,
    });
    // No stream is open yet: a customer who never opens one (the page closed right away) has left too.
    this.deps.presence.changed(tenantId, chat.id, false);
    const task = await this.deps.routing.tasks.create({
      tenantId,
      target,
      channel: 'interact',
      chatId: chat.id,
      customer,
      firstMessage: form.message,
    });
    const ref = { tenantId, queue: queueScope(target), taskId: task.id };
    await this.deps.chats.update(tenantId, chat.id, (c) => ({ ...c, task: { id: task.id, queue: ref.queue } }));
    if (form.message) await this.deps.chats.postMessage(tenantId, chat.id, 'customer', form.displayName, form.message);

    if (contact.target.kind === 'user') {
      // Read only here: no other widget call needs the direct system messages.
      const welcome = (await this.messages(tenantId, contact.interact))?.toCustomer.onCreate;
      if (welcome) await this.deps.chats.postMessage(tenantId, chat.id, 'system', contact.displayName, welcome);
      await this.deps.routing.tasks.startWorkflow(ref);
      await this.deps.routing.tasks.enqueue(ref, { type: 'direct' });
    } else {
      await this.deps.startServiceTask(ref);
    }
    const expiresAt = this.deps.clock.now() + TOKEN_LIFETIME_MS;
    const token = signVisitorToken(
      { tid: tenantId, chat: chat.id, contact: contact.contactId, exp: expiresAt },
      this.deps.tokenSecret,
    );
    this.deps.log.info({ tenantId, chatId: chat.id, taskId: task.id, target }, 'interact chat created');
    return { chatId: chat.id, token, expiresAt };
  }

  /** Checks a chat call: the token belongs to this chat and contact, and the contact's rules still hold. */
  async authorizeChat(
    contact: ResolvedContact | undefined,
    chatId: string,
    token: string | undefined,
    origin: string | undefined,
  ): Promise<Outcome<{ claims: VisitorClaims; contact: ResolvedContact }>> {
    if (!token) return refuse({ code: 'invalid-token', reason: 'malformed' });
    const check = verifyVisitorToken(token, this.deps.tokenSecret, this.deps.clock.now());
    if (!check.ok) return refuse({ code: 'invalid-token', reason: check.refusal });
    if (
      check.value.chat !== chatId ||
      check.value.contact !== contact?.contactId ||
      check.value.tid !== contact.tenant.id
    ) {
      return refuse({ code: 'invalid-token', reason: 'wrong-chat' });
    }
    const access = await this.check(contact, null, origin);
    if (!access.ok) return access;
    return ok({ claims: check.value, contact: access.value });
  }

  async postCustomerMessage(claims: VisitorClaims, text: string): Promise<Outcome<{ seq: number; at: number }>> {
    const result = await this.deps.chats.postCustomerMessage(claims.tid, claims.chat, text);
    if (!result.ok) return refuse({ code: result.refusal });
    return ok({ seq: result.value.seq, at: result.value.at });
  }

  /** The customer ends the chat; the task ends with the outcome that fits how far it got. */
  async endChat(claims: VisitorClaims): Promise<Outcome<{ ended: boolean }>> {
    const chat = await this.deps.chats.get(claims.tid, claims.chat);
    if (!chat) return refuse({ code: 'chat-not-found' });
    return ok({ ended: await this.customerLeft(chat) });
  }

  /** The customer's page is going away (closed or reloaded): the chat ends unless a stream opens soon. */
  leaving(claims: VisitorClaims): void {
    this.deps.presence.leaving(claims.tid, claims.chat);
  }

  /**
   * The customer has had no event stream open for the configured time (closed the tab, lost the
   * network for good): their chat ends as "customer left", like an explicit end.
   */
  async customerAway(tenantId: string, chatId: string): Promise<boolean> {
    const chat = await this.deps.chats.get(tenantId, chatId);
    if (!chat || chat.state !== 'open' || chat.channel !== 'interact') return false;
    this.deps.log.info({ tenantId, chatId }, 'website customer gone: chat ended');
    return this.customerLeft(chat);
  }

  private async customerLeft(chat: Chat): Promise<boolean> {
    const ended = await this.deps.chats.end(chat.tenantId, chat.id, 'customer');
    if (ended) {
      await this.deps.chats.postStatus(chat.tenantId, chat.id, {
        state: 'ended',
        position: null,
        estimatedWaitSeconds: null,
        agentName: null,
      });
      if (chat.task)
        await this.deps.routing.tasks.customerLeft({
          tenantId: chat.tenantId,
          queue: chat.task.queue,
          taskId: chat.task.id,
        });
    }
    return ended;
  }

  private async messages(tenantId: string, interact: InteractSettings): Promise<SystemMessages | null> {
    if (!interact.directSystemMessagesId) return null;
    return (await this.deps.store.repos.systemMessages.find(tenantId, interact.directSystemMessagesId)) ?? null;
  }
}
