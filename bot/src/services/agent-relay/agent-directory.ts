import { holdsLicense } from '../../core/licensing';
import type { Tenant, User } from '../../core/model';
import { AlreadyExistsError, type Store, type Stored, type TeamsRepositories, teamsScope } from '../../store';
import type { TeamsConversation } from '../../store/teams-repositories';
import { UserProvisioning } from '../accounts/provisioning';
import type { Clock } from '../routing/clock';
import type { AgentConversation } from './views';

/** Who wrote to the bot, as far as the contact center is concerned. */
export type AgentIdentity =
  | { kind: 'agent'; tenant: Tenant; user: User }
  /** The Teams user's organization has not been set up (onboarded) for the product. */
  | { kind: 'tenant-not-set-up' }
  /** A user without the Instant Messaging modality license: cannot take chats. */
  | { kind: 'not-licensed'; tenant: Tenant; user: User };

/** A conversation as the channel reads it from an activity, before it is stored. */
export type ConversationAddress = Omit<AgentConversation, 'tenantId' | 'userId'>;

const CONVERSATION_ID = 'conversation';

/**
 * Maps Teams users to contact-center users and keeps how to reach each agent (the conversation
 * reference), keyed by tenant and aadObjectId, next to the agent's other bot documents.
 */
export class AgentDirectory {
  private readonly provisioning: UserProvisioning;

  constructor(
    private readonly store: Store,
    private readonly repos: Pick<TeamsRepositories, 'conversations'>,
    private readonly clock: Clock,
  ) {
    this.provisioning = new UserProvisioning(store);
  }

  async identify(tenantId: string, aadObjectId: string, name: string | null): Promise<AgentIdentity> {
    const [tenant, known] = await Promise.all([
      this.store.repos.tenants.find(tenantId, tenantId),
      this.store.repos.users.find(tenantId, aadObjectId),
    ]);
    if (!tenant) return { kind: 'tenant-not-set-up' };
    // Installing the app (or writing to the bot) makes a person of a set-up organization a user.
    // Installation events carry no name: the first activity that does names a user made from one.
    const named = known && name && known.displayName === known.id;
    const user =
      known && !named
        ? known
        : (
            await this.provisioning.ensure(tenant, {
              tenantId,
              userId: aadObjectId,
              displayName: name ?? '',
              email: null,
            })
          ).user;
    if (!holdsLicense(tenant, 'imModality', user.id)) return { kind: 'not-licensed', tenant, user };
    return { kind: 'agent', tenant, user };
  }

  async conversation(tenantId: string, userId: string): Promise<Stored<TeamsConversation> | undefined> {
    return this.repos.conversations.find(tenantId, CONVERSATION_ID, teamsScope(userId));
  }

  /**
   * Stores (or refreshes) how to reach a known user. Returns whether it is new, so an installation
   * announced twice (installation and conversation update) greets the agent once.
   */
  async remember(
    user: Pick<User, 'tenantId' | 'id'>,
    address: ConversationAddress,
  ): Promise<{ created: boolean; conversation: TeamsConversation }> {
    const now = this.clock.now();
    const existing = await this.conversation(user.tenantId, user.id);
    if (!existing) {
      const doc: TeamsConversation = {
        id: CONVERSATION_ID,
        tenantId: user.tenantId,
        type: 'teamsConversation',
        userId: user.id,
        ...address,
        installedAt: now,
        updatedAt: now,
        focusChatId: null,
      };
      try {
        return { created: true, conversation: await this.repos.conversations.create(doc) };
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    }
    const current =
      existing ?? (await this.repos.conversations.get(user.tenantId, CONVERSATION_ID, teamsScope(user.id)));
    const changed = (Object.keys(address) as (keyof ConversationAddress)[]).some((k) => current[k] !== address[k]);
    if (!changed) return { created: false, conversation: current };
    const updated = await this.repos.conversations.update(
      user.tenantId,
      CONVERSATION_ID,
      (c) => ({ ...c, ...address, updatedAt: now }),
      { scope: teamsScope(user.id) },
    );
    return { created: false, conversation: updated };
  }

  /** The app was uninstalled: the bot can no longer reach the agent. */
  async forget(tenantId: string, userId: string): Promise<boolean> {
    return this.repos.conversations.delete(tenantId, CONVERSATION_ID, { scope: teamsScope(userId) });
  }

  async setFocus(tenantId: string, userId: string, chatId: string | null): Promise<void> {
    if (!(await this.conversation(tenantId, userId))) return;
    await this.repos.conversations.update(
      tenantId,
      CONVERSATION_ID,
      (c) => (c.focusChatId === chatId ? undefined : { ...c, focusChatId: chatId }),
      { scope: teamsScope(userId) },
    );
  }
}

export const toAgentConversation = (c: TeamsConversation): AgentConversation => ({
  tenantId: c.tenantId,
  userId: c.userId,
  serviceUrl: c.serviceUrl,
  conversationId: c.conversationId,
  channelId: c.channelId,
  botId: c.botId,
  agentAccountId: c.agentAccountId,
});
