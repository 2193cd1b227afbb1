import type { Presence } from '../../core/model';
import { type EffectivePresence, effectivePresence } from '../../core/routing';
import { escapeTeamsMarkdown } from '../../core/text/teams-markdown';

/**
 * Everything the bot says in words, in one place. Messages are HTML (Teams' "xml" text format); every
 * name or text from someone else is escaped with escapeTeamsMarkdown, so it can never become HTML or
 * markdown (a link, a mention, emphasis); our own words are not escaped. Texts that go on cards or
 * answer a card action are plain text (cards show them in TextRuns, which are never markdown).
 */
export const texts = {
  welcome: (name: string, presence: Presence) =>
    `Welcome, ${escapeTeamsMarkdown(name)}. Chat requests from customers arrive here as cards with <b>Accept</b> and <b>Decline</b>. Your status is <b>${presenceLabel(presence)}</b>; send <b>status available</b> to start receiving them. Send <b>help</b> to see everything I can do.`,
  unknownUser:
    'Hello! I connect agents of this contact center with customers who write from a website or WhatsApp. I cannot tell who you are in this conversation, so I cannot give you chats. Open a personal chat with me in Teams.',
  tenantNotSetUp:
    'Hello! I connect agents of a contact center with customers who write from a website or WhatsApp. Your organization has not been set up for this app yet: an administrator of your organization sets it up by opening the Admin tab of this app in Teams.',
  notLicensed:
    'Hello! You are a user of the contact center, but you do not hold the Instant Messaging license, so you cannot take chats yet. Your contact center administrator assigns it in the Admin tab (Users).',
  notPersonal: 'I work in a personal chat only. Open a chat with me to take customer chats.',
  help: [
    '<b>What I can do</b>',
    '• <b>status available</b>, <b>status away</b>, <b>status offline</b>: set your status for new chat requests.',
    '• <b>sessions</b>: list your open chats and messages that did not reach you.',
    '• <b>pickup</b>: list the chats waiting for pickup in your services and claim one.',
    '• <b>reset rona</b>: receive requests again after one you declined or missed.',
    '• <b>end</b>: end the chat you are replying to (or use <b>End chat</b> on its card).',
    '• <b>help</b>: this list.',
    '',
    'Anything else you write goes to your customer. With one open chat it goes there. With several, reply to (quote) one of the customer’s messages, or choose <b>Send my replies here</b> on a chat’s card.',
    'To send one of these words to a customer as a message, quote one of their messages.',
  ].join('<br>'),
  /** The status the agent set, and, once Teams presence is known, which of the two wins and why. */
  statusSet: (presence: Presence, effective?: Pick<EffectivePresence, 'why'>) =>
    `Your status is now <b>${presenceLabel(presence)}</b>.` +
    (effective && effective.why !== effectivePresence({ presence, teams: null }).why
      ? ` ${escapeTeamsMarkdown(effective.why)}`
      : ''),
  ronaReset: 'Done: you receive chat requests again.',
  ronaNotSet: 'You were not paused; nothing to reset.',
  noSession: 'You have no open chat, so this message went to nobody. Send <b>help</b> to see what I can do.',
  noSessionToEnd: 'You have no open chat to end.',
  textOnly: 'Only text reaches customers; files and images were not sent.',
  sessionEnded: (customer: string | null) =>
    customer
      ? `The chat with <b>${escapeTeamsMarkdown(customer)}</b> has ended; your message was not sent.`
      : 'That chat has ended; your message was not sent.',
  alreadyEnded: (customer: string | null) =>
    customer
      ? `The chat with <b>${escapeTeamsMarkdown(customer)}</b> has already ended.`
      : 'That chat has already ended.',
  ended: (customer: string) => `The chat with <b>${escapeTeamsMarkdown(customer)}</b> has ended.`,
  customerLeft: (customer: string) => `<b>${escapeTeamsMarkdown(customer)}</b> left the chat.`,
  takenOver: (customer: string, supervisor: string) =>
    `<b>${escapeTeamsMarkdown(supervisor)}</b> took over your chat with <b>${escapeTeamsMarkdown(customer)}</b>. You are free for the next one.`,
  tookOver: (customer: string) =>
    `You took over the chat with <b>${escapeTeamsMarkdown(customer)}</b>. Its messages follow; reply here as its agent.`,
  deliveryFailed: (preview: string, customer: string | null) =>
    `A message could not be delivered to you${customer ? ` (chat with ${escapeTeamsMarkdown(customer)})` : ''}: “${escapeTeamsMarkdown(preview)}”. Send <b>sessions</b> to see what did not arrive.`,
  somethingWrong: (reference: string) =>
    `Something went wrong on our side. Reference: ${escapeTeamsMarkdown(reference)}`,
};

/** Plain texts: answers to card actions and what cards say. */
export const plain = {
  focusSet: (customer: string) => `Your replies now go to ${customer}.`,
  focusGone: 'That chat is no longer open.',
  sent: (customer: string) => `Sent to ${customer}.`,
  ended: (customer: string) => `The chat with ${customer} has ended.`,
  sessionEnded: (customer: string | null) =>
    customer
      ? `The chat with ${customer} has ended; your message was not sent.`
      : 'That chat has ended; your message was not sent.',
  cardGone: 'This chat request is no longer available.',
  pickupTaken: 'Someone else already took this chat.',
  pickupGone: 'This chat is no longer waiting: the customer left or it timed out.',
  pickupNotSelectable:
    'You cannot take a chat now: set your status to Available (send status available) and check your open chats.',
  somethingWrong: (reference: string) => `Something went wrong on our side. Reference: ${reference}`,
};

export function presenceLabel(presence: Presence): string {
  return { available: 'Available', busy: 'Busy', away: 'Away', 'do-not-disturb': 'Do not disturb', offline: 'Offline' }[
    presence
  ];
}
