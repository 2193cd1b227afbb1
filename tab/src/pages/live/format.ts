import type { AgentLiveView, Kpis } from '../../../../bot/src/contracts';
import { formatTime } from '../sessions/labels';

/** A duration counting up as people read it: 1:05:09, 4:07, 0:09. */
export function duration(ms: number | null): string {
  if (ms === null) return '–';
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export const percent = (r: number | null): string => (r === null ? '–' : `${Math.round(r * 1000) / 10} %`);

/** Customers who hung up (before or in the queue): the dashboard's "abandoned". */
export const abandoned = (k: Kpis): number =>
  (k.outcomes['hangup-before-queue'] ?? 0) + (k.outcomes['hangup-in-queue'] ?? 0);

/** What an agent does now, in a few words: "In 1 of 3 chats", "RONA until 14:05". */
export function agentStateText(a: AgentLiveView): string {
  switch (a.state) {
    case 'available':
      return `In ${a.chats} of ${a.chatLimit} chats`;
    case 'full':
      return `Full: in ${a.chats} of ${a.chatLimit} chats`;
    case 'ringing':
      return a.chats > 0 ? `Ringing (in ${a.chats} of ${a.chatLimit} chats)` : 'Ringing';
    case 'rona':
      return a.ronaUntil === null ? 'RONA' : `RONA until ${formatTime(a.ronaUntil)}`;
    case 'not-available':
      return a.notAvailableReason ? `Not available: ${a.notAvailableReason}` : 'Not available';
    case 'app-not-installed':
      return 'App not installed';
    case 'offline':
      return 'Offline';
    case 'unavailable':
      return 'Unavailable';
  }
}
