import type { HistoryItem } from '../../../../bot/src/contracts';

export const presenceLabel = {
  available: 'Available',
  busy: 'Busy',
  away: 'Away',
  'do-not-disturb': 'Do not disturb',
  offline: 'Offline',
} as const;

export const channelLabel = { interact: 'Website (Interact)', whatsapp: 'WhatsApp' } as const;

/** How an offer ended for the agent, as My Sessions names it. */
export const offerOutcomeLabel: Record<HistoryItem['outcome'], string> = {
  accepted: 'Accepted',
  declined: 'Declined',
  'no-answer': 'Missed (RONA)',
  withdrawn: 'Cancelled',
};

/** How the conversation of an accepted session ended. */
export const taskOutcomeLabel: Record<NonNullable<HistoryItem['taskOutcome']>, string> = {
  accepted: 'Handled',
  cancelled: 'Cancelled',
  'customer-left-before-queue': 'Customer left before the queue',
  'customer-left-in-queue': 'Customer left in the queue',
  'max-queue-time': 'Max queue time',
  transferred: 'Transferred',
  'handled-by-system': 'Handled by system',
  failed: 'Failed',
  missed: 'Missed',
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
export const formatDateTime = (ms: number) => dateTime.format(new Date(ms));
export const formatTime = (ms: number) => time.format(new Date(ms));
