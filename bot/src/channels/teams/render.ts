import { splitText } from '../../core/relay';
import type { AgentView, OutboundActivity } from '../../services/agent-relay';
import { type AdaptiveCard, channelLabel, chooseSessionCard, sessionCard, sessionsCard } from './cards';
import { escapeHtml, texts } from './texts';

/**
 * Teams takes about 100 KB per activity. Text is split well below that: customer text is escaped
 * before it is sent, which can make it several times longer.
 */
const TEXT_LIMITS = { maxChars: 20_000, maxBytes: 60_000 };
const CUSTOMER_TEXT_LIMITS = { maxChars: 4_000, maxBytes: 12_000 };

const cardActivity = (content: AdaptiveCard, extra: Record<string, unknown> = {}): OutboundActivity => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }],
  ...extra,
});

/** Bot texts are HTML already escaped where they quote someone (see texts.ts). */
const html = (text: string): OutboundActivity[] => splitText(text, TEXT_LIMITS).map((part) => ({ type: 'message', textFormat: 'xml', text: part }));

/** One view as the activities that show it in Teams, in order. */
export function renderView(view: AgentView): OutboundActivity[] {
  switch (view.kind) {
    case 'text':
      return html(view.text);
    case 'customer-message':
      // As HTML, escaped: the customer's words can never turn into formatting, links or a fake sender.
      return splitText(view.text, CUSTOMER_TEXT_LIMITS).map((part) => ({
        type: 'message',
        textFormat: 'xml',
        text: `<b>${escapeHtml(view.customerName)}</b> <i>(${channelLabel(view.channel)})</i><br>${escapeHtml(part).replace(/\r?\n/g, '<br>')}`,
      }));
    case 'chat-note':
      return splitText(view.text, CUSTOMER_TEXT_LIMITS).map((part) => ({
        type: 'message',
        textFormat: 'xml',
        text: `<i>Note in the chat with ${escapeHtml(view.customerName)}: ${escapeHtml(part).replace(/\r?\n/g, '<br>')}</i>`,
      }));
    case 'session-card':
      // A new request rings: Teams shows it in the activity feed as well.
      return [cardActivity(sessionCard(view.card), view.card.state === 'offered' ? { summary: `Chat request from ${view.card.customer.displayName}`, channelData: { notification: { alert: true } } } : {})];
    case 'choose-session':
      return [cardActivity(chooseSessionCard(view))];
    case 'sessions':
      return [cardActivity(sessionsCard(view))];
    case 'notice':
      switch (view.notice.code) {
        case 'customer-left':
          return html(texts.customerLeft(view.notice.customerName));
        case 'delivery-failed':
          return html(texts.deliveryFailed(view.notice.preview, view.notice.customerName));
      }
  }
}

