import type { ImChannel, TaskOutcome } from '../../core/model';
import type { AgentView, SessionCardView, SessionSummary } from '../../services/agent-relay';
import { plain } from './texts';

/**
 * Adaptive Cards (schema 1.5, Universal Actions) the agent sees. Text that comes from customers is put
 * in TextRuns, which Teams shows as written: no markdown, so no links or formatting a customer could
 * smuggle into an agent's Teams. It is not escaped there (a TextRun would show the escapes), and it
 * never goes into a TextBlock, which is markdown: a sentence of ours around a name is a row of TextRuns
 * (`runs`). Action titles are plain text. Every action is an Action.Execute whose verb names the card action.
 */
export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
};
export type CardElement = Record<string, unknown>;
export type CardAction = {
  type: 'Action.Execute';
  title: string;
  verb: CardVerb;
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
};

export const cardVerbs = [
  'offer.accept',
  'offer.decline',
  'session.end',
  'session.focus',
  'session.send',
  'pickup.claim',
] as const;
export type CardVerb = (typeof cardVerbs)[number];

export const card = (body: CardElement[], actions: CardAction[] = []): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body,
  ...(actions.length > 0 ? { actions } : {}),
});

export const heading = (text: string, color?: 'Good' | 'Attention' | 'Warning' | 'Accent'): CardElement => ({
  type: 'TextBlock',
  text,
  weight: 'Bolder',
  size: 'Medium',
  wrap: true,
  ...(color ? { color } : {}),
});
export const note = (text: string, subtle = true): CardElement => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...(subtle ? { isSubtle: true } : {}),
});
/** Customer-provided text, shown literally. */
export const literal = (text: string, extra: Record<string, unknown> = {}): CardElement => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text, ...extra }],
});
/** A subtle line of our words with customer text in it, every part a TextRun: nothing of it is markdown. */
export const runs = (...parts: string[]): CardElement => ({
  type: 'RichTextBlock',
  inlines: parts.map((text) => ({ type: 'TextRun', text, isSubtle: true })),
});
const fact = (title: string, value: string): CardElement => ({
  type: 'ColumnSet',
  spacing: 'Small',
  columns: [
    { type: 'Column', width: '90px', items: [{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }] },
    { type: 'Column', width: 'stretch', items: [literal(value)] },
  ],
});

export const channelLabel = (channel: ImChannel): string => (channel === 'interact' ? 'Website' : 'WhatsApp');

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const outcomeLabels: Record<TaskOutcome, string> = {
  accepted: 'Ended',
  cancelled: 'Cancelled',
  'customer-left-before-queue': 'The customer left',
  'customer-left-in-queue': 'The customer left',
  'max-queue-time': 'Waited too long in the queue',
  transferred: 'Transferred to another service',
  'handled-by-system': 'Handled by the system',
  failed: 'Failed',
  missed: 'Missed',
};

const withdrawnTexts = {
  'taken-by-another-agent': 'Another agent accepted this chat.',
  'taken-over': 'A supervisor took this chat over. It is no longer yours.',
  'customer-left': 'The customer left before the chat was accepted.',
  'no-longer-waiting': 'This chat request is no longer waiting.',
};

/** Time shown in the agent's own time zone and format (an Adaptive Cards date function). */
const localTime = (at: number): string => `{{TIME(${new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')})}}`;

const refData = (view: Pick<SessionCardView, 'ref'> | Pick<SessionSummary, 'ref'>): Record<string, string> => ({
  queue: view.ref.queue,
  taskId: view.ref.taskId,
});

function customerFacts(view: SessionCardView): CardElement[] {
  const { customer } = view;
  return [
    fact('Customer', customer.displayName),
    ...(customer.email ? [fact('Email', customer.email)] : []),
    ...(customer.address ? [fact('Phone', customer.address)] : []),
    fact('Channel', channelLabel(view.channel)),
    fact('Service', view.serviceName ?? 'Direct contact'),
    // Once the agent's offer is over, how long it rang says more than how long the customer had waited.
    view.rangMs === null ? fact('Waited', formatDuration(view.waitedMs)) : fact('Rang', formatDuration(view.rangMs)),
  ];
}

function firstMessage(view: SessionCardView): CardElement[] {
  if (!view.firstMessage) return [];
  return [
    { type: 'TextBlock', text: 'First message', weight: 'Bolder', spacing: 'Medium' },
    literal(view.firstMessage),
  ];
}

const agentMessage = (view: SessionCardView): CardElement[] =>
  view.agentMessage
    ? [{ type: 'Container', style: 'emphasis', spacing: 'Medium', items: [note(view.agentMessage, false)] }]
    : [];

/** The offer card and every state it moves through; only a live state carries buttons. */
export function sessionCard(view: SessionCardView): AdaptiveCard {
  const name = view.customer.displayName;
  switch (view.state) {
    case 'offered':
      return card(
        [
          heading('New chat request', 'Accent'),
          ...customerFacts(view),
          ...firstMessage(view),
          ...(view.expiresAt ? [note(`Rings until ${localTime(view.expiresAt)}.`)] : []),
        ],
        [
          {
            type: 'Action.Execute',
            title: 'Accept',
            verb: 'offer.accept',
            data: { ...refData(view), offerId: view.offerId ?? '' },
            style: 'positive',
          },
          {
            type: 'Action.Execute',
            title: 'Decline',
            verb: 'offer.decline',
            data: { ...refData(view), offerId: view.offerId ?? '' },
          },
        ],
      );
    case 'accepted':
      return card(
        [
          heading('Chat in progress', 'Good'),
          ...customerFacts(view),
          ...firstMessage(view),
          ...agentMessage(view),
          runs(
            'Messages from ',
            name,
            ' appear in this chat. With several open chats, reply to (quote) one of their messages or choose Send my replies here.',
          ),
        ],
        [
          {
            type: 'Action.Execute',
            title: 'Send my replies here',
            verb: 'session.focus',
            data: { ...refData(view), chatId: view.chatId },
          },
          { type: 'Action.Execute', title: 'End chat', verb: 'session.end', data: refData(view), style: 'destructive' },
        ],
      );
    case 'declined':
      return card([heading('Declined'), ...customerFacts(view), note('You declined this chat request.')]);
    case 'missed':
      return card([
        heading('Not answered', 'Warning'),
        ...customerFacts(view),
        note(
          'This request was not answered in time. You are paused for new requests; send reset rona when you are ready again.',
        ),
      ]);
    case 'withdrawn':
      return card([
        heading('No longer available'),
        ...customerFacts(view),
        note(withdrawnTexts[view.withdrawnReason ?? 'no-longer-waiting']),
      ]);
    case 'ended':
      return card([
        heading('Chat ended'),
        ...customerFacts(view),
        note(view.customerLeft ? 'The customer has left.' : view.outcome ? outcomeLabels[view.outcome] : 'Ended'),
        ...agentMessage(view),
      ]);
  }
}

/** A card that only says something: it replaces a card whose buttons have done their work. */
export const noticeCard = (text: string): AdaptiveCard => card([literal(text)]);

/** What an old card turns into when nothing about its task is left to show. */
export const goneCard = (): AdaptiveCard => card([heading('No longer available'), note(plain.cardGone)]);

const sessionLine = (s: SessionSummary): CardElement => ({
  type: 'Container',
  spacing: 'Medium',
  // The service's name is an administrator's text, not ours: a TextRun as well.
  items: [
    literal(s.customer.displayName, { weight: 'Bolder' }),
    runs(`${channelLabel(s.channel)} · `, s.serviceName ?? 'Direct contact', ` · since ${localTime(s.connectedAt)}`),
  ],
});

/** Teams shows at most this many actions on a card; more chats than this are a choice list. */
export const MAX_CARD_ACTIONS = 6;

/** The question back for a message that could be meant for several customers. */
export function chooseSessionCard(view: Extract<AgentView, { kind: 'choose-session' }>): AdaptiveCard {
  const body: CardElement[] =
    view.purpose === 'send'
      ? [
          heading('Which chat is this for?'),
          note(
            'Your message was not sent: you have several open chats. Choose one, or reply to (quote) a message of that customer.',
          ),
          ...(view.pendingText ? [literal(view.pendingText, { italic: true })] : []),
        ]
      : [
          heading('Which chat do you want to end?'),
          note('You have several open chats. Choose one, or reply to (quote) a message of that customer with end.'),
        ];
  if (view.sessions.length > MAX_CARD_ACTIONS) return chooseFromList(view, body);
  const actions: CardAction[] = view.sessions.map((s) =>
    view.purpose === 'send' && view.pendingText
      ? {
          type: 'Action.Execute',
          title: `Send to ${s.customer.displayName}`,
          verb: 'session.send',
          data: { ...refData(s), chatId: s.chatId, text: view.pendingText },
        }
      : {
          type: 'Action.Execute',
          title: `End chat with ${s.customer.displayName}`,
          verb: 'session.end',
          data: refData(s),
          style: 'destructive',
        },
  );
  return card([...body, ...view.sessions.map(sessionLine)], actions);
}

/**
 * More chats than a card has buttons for: one list (choice titles are plain text, like action titles)
 * and one button, whose action gets the chosen chat as its `chatId` input.
 */
function chooseFromList(view: Extract<AgentView, { kind: 'choose-session' }>, body: CardElement[]): AdaptiveCard {
  const send = view.purpose === 'send' && view.pendingText;
  const list: CardElement = {
    type: 'Input.ChoiceSet',
    id: 'chatId',
    label: 'Chat',
    style: 'compact',
    isRequired: true,
    errorMessage: 'Choose a chat.',
    choices: view.sessions.map((s) => ({
      title: `${s.customer.displayName} · ${channelLabel(s.channel)} · ${s.serviceName ?? 'Direct contact'}`,
      value: s.chatId,
    })),
  };
  const action: CardAction = send
    ? { type: 'Action.Execute', title: 'Send', verb: 'session.send', data: { text: view.pendingText ?? '' } }
    : { type: 'Action.Execute', title: 'End chat', verb: 'session.end', data: {}, style: 'destructive' };
  return card([...body, list], [action]);
}

/** The answer to "sessions": open chats, and messages that recently could not be delivered. */
export function sessionsCard(view: Extract<AgentView, { kind: 'sessions' }>): AdaptiveCard {
  const body: CardElement[] = [
    heading(view.sessions.length === 0 ? 'No open chats' : `Open chats (${view.sessions.length})`),
    ...view.sessions.map(sessionLine),
  ];
  if (view.failures.length > 0) {
    body.push(heading('Not delivered to you', 'Attention'));
    for (const f of view.failures)
      body.push({ type: 'Container', items: [note(`${localTime(f.at)}`), literal(f.preview)] });
  }
  return card(body);
}
