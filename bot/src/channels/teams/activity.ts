import { z } from 'zod/v4';
import { Id } from '../../core/model';
import type { ConversationAddress } from '../../services/agent-relay';

/**
 * The fields of a Teams activity the bot reads, checked at the edge. Teams adds fields over time, so
 * unknown ones pass through untouched; the SDK keeps the whole activity for itself.
 */
const ChannelAccount = z.looseObject({
  id: z.string().min(1).max(300),
  name: z.string().max(300).optional(),
  aadObjectId: z.string().max(128).optional(),
});

const Entity = z.looseObject({ type: z.string().max(100) });
const QuotedReplyEntity = z.looseObject({
  type: z.string().regex(/^quotedreply$/i),
  quotedReply: z.looseObject({ messageId: z.string().min(1).max(500) }),
});

export const TeamsActivity = z.looseObject({
  type: z.string().min(1).max(100),
  id: z.string().max(500).optional(),
  name: z.string().max(200).optional(),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(500),
  channelId: z.string().min(1).max(50),
  from: ChannelAccount,
  recipient: ChannelAccount,
  conversation: z.looseObject({
    id: z.string().min(1).max(500),
    conversationType: z.string().max(50).optional(),
    tenantId: z.string().max(128).optional(),
  }),
  channelData: z.looseObject({ tenant: z.looseObject({ id: z.string().max(128) }).optional() }).optional(),
  text: z.string().max(100_000).optional(),
  replyToId: z.string().max(500).optional(),
  /** installationUpdate: add, remove, add-upgrade, remove-upgrade. */
  action: z.string().max(50).optional(),
  membersAdded: z.array(ChannelAccount).max(500).optional(),
  membersRemoved: z.array(ChannelAccount).max(500).optional(),
  entities: z.array(Entity).max(100).optional(),
  attachments: z
    .array(z.looseObject({ contentType: z.string().max(200), content: z.unknown().optional() }))
    .max(50)
    .optional(),
});
export type TeamsActivity = z.infer<typeof TeamsActivity>;

/** The envelope every request to /api/messages must have before the SDK sees it. */
export const ActivityEnvelope = z.looseObject({
  type: z.string().min(1).max(100),
  serviceUrl: z.string().max(500).optional(),
  channelId: z.string().max(50).optional(),
});

/** Who wrote: the tenant and the Entra object id, which is our user id. */
/** The Teams user behind an activity; the name as Teams shows it (for a user record made on first contact). */
export type TeamsIdentity = { tenantId: string; aadObjectId: string; name: string | null };

export function identityOf(activity: TeamsActivity): TeamsIdentity | undefined {
  const tenantId = Id.safeParse(activity.conversation.tenantId ?? activity.channelData?.tenant?.id);
  const aadObjectId = Id.safeParse(activity.from.aadObjectId);
  return tenantId.success && aadObjectId.success
    ? { tenantId: tenantId.data, aadObjectId: aadObjectId.data, name: activity.from.name ?? null }
    : undefined;
}

/** How to write back into this conversation later, without the activity. */
export const addressOf = (activity: TeamsActivity): ConversationAddress => ({
  serviceUrl: activity.serviceUrl,
  conversationId: activity.conversation.id,
  channelId: activity.channelId,
  botId: activity.recipient.id,
  agentAccountId: activity.from.id,
});

/** The bot lives in personal chats; the emulator sends no conversation type. */
export const isPersonal = (activity: TeamsActivity): boolean =>
  (activity.conversation.conversationType ?? 'personal') === 'personal';

const LEGACY_QUOTE = /<blockquote[^>]*itemtype="http:\/\/schema\.skype\.com\/Reply"[^>]*>/gi;
const ITEM_ID = /itemid="([^"]{1,500})"/i;

/**
 * The messages this one quotes (Teams "Reply"). Current clients send a quotedReply entity; older ones a
 * text/html attachment with a Skype reply blockquote. `replyToId` is not used: in a personal chat it
 * does not reliably mean the agent chose that message.
 */
export function quotedMessageIds(activity: TeamsActivity): string[] {
  const ids = new Set<string>();
  for (const entity of activity.entities ?? []) {
    const quoted = QuotedReplyEntity.safeParse(entity);
    if (quoted.success) ids.add(quoted.data.quotedReply.messageId);
  }
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType !== 'text/html' || typeof attachment.content !== 'string') continue;
    for (const tag of attachment.content.match(LEGACY_QUOTE) ?? []) {
      const id = ITEM_ID.exec(tag)?.[1];
      if (id) ids.add(id);
    }
  }
  return [...ids];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * The text the agent typed, without Teams markup: the quote placeholder, mentions and HTML tags of
 * formatted messages go, line breaks stay.
 */
export function agentText(activity: TeamsActivity): string {
  const raw = activity.text ?? '';
  const text = raw
    .replace(/<quoted\b[^>]*\/>/gi, '')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, '')
    .replace(/<at>[\s\S]*?<\/at>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#39|[a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
