import type { Calendar } from '../../../bot/src/core/model';
import type { Command, CommandResult, TaskView } from '../../../bot/src/core/workflow';

export const CALENDAR: Calendar = {
  id: 'cal',
  tenantId: 't-1',
  type: 'calendar',
  unitId: 'unit-1',
  name: 'Office hours',
  timeZone: 'Europe/Zurich',
  weekly: [{ day: 'mon', ranges: [{ from: '08:00', to: '18:00' }] }],
  specialDays: [],
  holidays: [],
};

/** A deterministic pseudo-random source (mulberry32), so a failing property replays exactly. */
export function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Answers workflow commands the way the runner could: any answer the real services can give. */
export function simulatedAnswer(command: Command, random: () => number, seq: { value: number }): CommandResult {
  switch (command.kind) {
    case 'accept':
      return { kind: 'done' };
    case 'send-message':
      return { kind: 'sent', seq: random() < 0.95 ? ++seq.value : null };
    case 'read-calendars':
      return { kind: 'calendars', primary: random() < 0.9 ? CALENDAR : null, secondary: null };
    case 'read-availability':
      return random() < 0.1
        ? { kind: 'availability', availability: null }
        : {
            kind: 'availability',
            availability: {
              available: pick(random, [0, 1, 3]),
              busy: pick(random, [0, 2]),
              inactive: 1,
              availableUserIds: [],
            },
          };
    case 'read-queue-position':
      return {
        kind: 'queue-position',
        position:
          random() < 0.8
            ? {
                position: 1 + Math.floor(random() * 5),
                queueLength: 6,
                estimatedWaitSeconds: random() < 0.5 ? null : 90,
              }
            : null,
      };
    case 'read-task-state':
      return {
        kind: 'task-state',
        state: pick<TaskView>(random, ['queued', 'queued', 'offered', 'not-queued', 'connected', 'ended']),
      };
    case 'enqueue':
      return { kind: 'enqueued', ok: random() < 0.9 };
    case 'set-priority':
      return { kind: 'priority-set', queued: random() < 0.5 };
    case 'transfer':
      return { kind: 'transferred', ok: random() < 0.5, reason: null };
    case 'web-request': {
      const outcome = pick(random, ['success', 'failure', 'timeout'] as const);
      return {
        kind: 'web-response',
        outcome,
        values: outcome === 'success' ? { p1: 'x'.repeat(5) } : {},
        status: outcome === 'timeout' ? null : 200,
        detail: null,
      };
    }
    case 'end-session':
    case 'finish':
      return { kind: 'ended' };
  }
}

/** Things a customer might write to a question. */
export const CUSTOMER_LINES = [
  '1',
  '2',
  'yes',
  'casey@example.com',
  '+41 44 123 45 67',
  '42',
  'no idea',
  '',
  'I want to buy',
  'help me',
];
