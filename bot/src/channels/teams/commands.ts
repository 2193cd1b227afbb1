import type { Presence } from '../../core/model';

/**
 * What an agent can ask the bot. The titles in the app manifest's command list are the canonical
 * spellings; a message is a command only when it is one of them as a whole (case and spacing aside),
 * so a sentence to a customer that starts with "help" is still a message to the customer.
 */
export type AgentCommand =
  | { kind: 'status'; presence: Extract<Presence, 'available' | 'away' | 'offline'> }
  | { kind: 'sessions' }
  | { kind: 'pickup' }
  | { kind: 'reset-rona' }
  | { kind: 'help' }
  | { kind: 'end' };

const COMMANDS: Record<string, AgentCommand> = {
  'status available': { kind: 'status', presence: 'available' },
  'status away': { kind: 'status', presence: 'away' },
  'status offline': { kind: 'status', presence: 'offline' },
  sessions: { kind: 'sessions' },
  'my sessions': { kind: 'sessions' },
  pickup: { kind: 'pickup' },
  'pickup queue': { kind: 'pickup' },
  'reset rona': { kind: 'reset-rona' },
  help: { kind: 'help' },
  end: { kind: 'end' },
  'end chat': { kind: 'end' },
};

export function parseCommand(text: string): AgentCommand | undefined {
  const normalized = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/^\//, '').replace(/[.!]$/, '');
  return COMMANDS[normalized];
}
