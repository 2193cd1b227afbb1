import type { ActivityCategory } from '../activity';

/**
 * Workflow activities of other modalities (audio calls mostly) that Instant Messaging does not run.
 * They are known by name so that a workflow holding one is refused with that name, rather than with
 * "unknown activity"; their settings are kept as they are and never interpreted here.
 */
export const UNSUPPORTED_ACTIVITIES = {
  announcement: { label: 'Announcement', category: 'conversation' },
  'disconnect-as-handled': { label: 'Disconnect as Handled', category: 'conversation' },
  forward: { label: 'Forward', category: 'conversation' },
  'input-customer-advanced': { label: 'Input Customer (Advanced)', category: 'conversation' },
  'mark-as-handled': { label: 'Mark as Handled', category: 'conversation' },
  'play-music': { label: 'Play Music', category: 'conversation' },
  reply: { label: 'Reply', category: 'conversation' },
  'standby-duty': { label: 'Standby Duty', category: 'conversation' },
  'virtual-user': { label: 'Virtual User', category: 'conversation' },
  'voice-message': { label: 'Voice Message', category: 'conversation' },
  'wait-for-parameter': { label: 'Wait for Parameter', category: 'check' },
  queue: { label: 'Queue', category: 'queue' },
} as const satisfies Record<string, { label: string; category: ActivityCategory }>;
export type UnsupportedKind = keyof typeof UNSUPPORTED_ACTIVITIES;

/** Their one exit: enough to draw them in a graph; IM never takes it. */
export const UNSUPPORTED_EXITS = ['next'];
