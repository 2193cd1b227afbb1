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
  /** How `text` is written: `plain` is the characters as typed; `markdown` and `xml` may carry HTML. */
  textFormat: z.string().max(50).optional(),
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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
/** Teams' placeholder for the quoted message at the start of a reply's text (the quote is an entity). */
const QUOTE_PLACEHOLDER = /<quoted\s+messageId="[^"]*"\s*\/>/gi;

/** One character reference (named, decimal or hex) as its character; an unknown one stays as written. */
function decodeReference(ref: string, body: string): string {
  if (body[0] !== '#') return ENTITIES[body.toLowerCase()] ?? ref;
  const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
    ? String.fromCodePoint(code)
    : ref;
}

/**
 * The text the agent typed. Only a message whose `textFormat` says it carries markup (`markdown`,
 * `xml`) has HTML taken out: mentions, quotes and tags go, line breaks stay, and character references
 * are decoded in the same single pass, so `&amp;lt;` becomes `&lt;` and never `<`. A `plain` message
 * (or one that names no format) is the characters as typed: `a < b`, `<Enter>` and `&amp;` stay. Teams'
 * quote placeholder goes in either case when the message is a reply.
 */
export function agentText(activity: TeamsActivity): string {
  let text = activity.text ?? '';
  if (activity.entities?.some((e) => QuotedReplyEntity.safeParse(e).success))
    text = text.replace(QUOTE_PLACEHOLDER, '');
  const format = activity.textFormat?.toLowerCase();
  if (format === 'markdown' || format === 'xml')
    text = text
      .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, '')
      .replace(/<at>[\s\S]*?<\/at>/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li)>/gi, '\n')
      // A tag starts with a letter (or `/` and a letter) right after `<`: `a < b` is text, not a tag.
      .replace(/<\/?[a-z][^<>]*>/gi, '')
      .replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, decodeReference);
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
