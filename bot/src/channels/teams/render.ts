import { splitText } from '../../core/relay';
import { escapeTeamsMarkdown } from '../../core/text/teams-markdown';
import type { AgentView, OutboundActivity } from '../../services/agent-relay';
import { type AdaptiveCard, channelLabel, chooseSessionCard, sessionCard, sessionsCard } from './cards';
import { pickupCard } from './pickup-card';
import { texts } from './texts';

/**
 * Teams takes about 100 KB per activity. Text is split well below that: customer text is escaped
 * after it is split, which can make a part up to five times longer (see escapeTeamsMarkdown).
 */
const TEXT_LIMITS = { maxChars: 20_000, maxBytes: 60_000 };
const CUSTOMER_TEXT_LIMITS = { maxChars: 4_000, maxBytes: 12_000 };

const cardActivity = (content: AdaptiveCard, extra: Record<string, unknown> = {}): OutboundActivity => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }],
  ...extra,
});

/** Bot texts are HTML already escaped where they quote someone (see texts.ts). */
const html = (text: string): OutboundActivity[] =>
  splitText(text, TEXT_LIMITS).map((part) => ({ type: 'message', textFormat: 'xml', text: part }));

/** One view as the activities that show it in Teams, in order. */
export function renderView(view: AgentView): OutboundActivity[] {
  switch (view.kind) {
    case 'text':
      return html(view.text);
    case 'customer-message':
      // Split first, then escaped part by part (a split never cuts an escape): the customer's words can
      // never turn into formatting, links, mentions or a fake sender, whether Teams reads HTML or markdown.
      return splitText(view.text, CUSTOMER_TEXT_LIMITS).map((part) => ({
        type: 'message',
        textFormat: 'xml',
        text: `<b>${escapeTeamsMarkdown(view.customerName)}</b> <i>(${channelLabel(view.channel)})</i><br>${escapeTeamsMarkdown(part)}`,
      }));
    case 'chat-note':
      return splitText(view.text, CUSTOMER_TEXT_LIMITS).map((part) => ({
        type: 'message',
        textFormat: 'xml',
        text: `<i>Note in the chat with ${escapeTeamsMarkdown(view.customerName)}: ${escapeTeamsMarkdown(part)}</i>`,
      }));
    case 'supervisor-message':
      return splitText(view.text, CUSTOMER_TEXT_LIMITS).map((part) => ({
        type: 'message',
        textFormat: 'xml',
        text:
          view.supervision === 'whisper'
            ? `<b>${escapeTeamsMarkdown(view.supervisorName)}</b> <i>(whisper, only you see this; chat with ${escapeTeamsMarkdown(view.customerName)})</i><br>${escapeTeamsMarkdown(part)}`
            : `<b>${escapeTeamsMarkdown(view.supervisorName)}</b> <i>(supervisor, wrote to ${escapeTeamsMarkdown(view.customerName)})</i><br>${escapeTeamsMarkdown(part)}`,
      }));
    case 'session-card':
      // A new request rings: Teams shows it in the activity feed as well.
      return [
        cardActivity(
          sessionCard(view.card),
          view.card.state === 'offered'
            ? {
                summary: `Chat request from ${view.card.customer.displayName}`,
                channelData: { notification: { alert: true } },
              }
            : {},
        ),
      ];
    case 'choose-session':
      return [cardActivity(chooseSessionCard(view))];
    case 'sessions':
      return [cardActivity(sessionsCard(view))];
    case 'pickup':
      return [cardActivity(pickupCard(view))];
    case 'notice':
      switch (view.notice.code) {
        case 'customer-left':
          return html(texts.customerLeft(view.notice.customerName));
        case 'delivery-failed':
          return html(texts.deliveryFailed(view.notice.preview, view.notice.customerName));
        case 'taken-over':
          return html(texts.takenOver(view.notice.customerName, view.notice.supervisorName));
        case 'took-over':
          return html(texts.tookOver(view.notice.customerName));
      }
  }
}
