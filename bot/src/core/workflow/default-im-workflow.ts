import { WorkflowDefinition, type WorkflowDefinitionInput } from './model';

export type DefaultWorkflowOptions = {
  id: string;
  tenantId: string;
  unitId: string;
  /** The opening-hours calendar the service answers by. */
  calendarId: string;
  name?: string;
  timeZone?: string;
  /** Seconds between queue position updates. */
  updateEverySeconds?: number;
  /** How long a customer waits at most before the task ends ("max queue time"); 30 minutes. */
  maxQueueSeconds?: number;
};

/**
 * The IM workflow a new service starts with: accept, welcome, check the opening hours (closed: say so
 * and disconnect), queue the task for at most 30 minutes, then until an agent accepts: wait, check the
 * task, and tell the customer their place in the queue whenever it changes.
 */
export function defaultImWorkflow(options: DefaultWorkflowOptions): WorkflowDefinition {
  const input: WorkflowDefinitionInput = {
    id: options.id,
    tenantId: options.tenantId,
    type: 'workflow',
    unitId: options.unitId,
    name: options.name ?? 'Default IM workflow',
    timeZone: options.timeZone ?? 'UTC',
    start: 'accept',
    nodes: [
      { id: 'accept', name: 'Accept', kind: 'accept', settings: {}, exits: { next: 'welcome' } },
      {
        id: 'welcome',
        name: 'Welcome',
        kind: 'message',
        settings: { text: 'Hello {{customer.name}}, welcome to {{service.name}}.' },
        exits: { next: 'opening-hours' },
      },
      {
        id: 'opening-hours',
        name: 'Opening hours',
        kind: 'check-opening-hours',
        settings: { primaryCalendarId: options.calendarId },
        exits: { open: 'queue', 'special-day': 'queue', closed: 'closed-message' },
      },
      {
        id: 'closed-message',
        name: 'Closed',
        kind: 'message',
        settings: { text: 'We are closed right now. Please contact us again during our opening hours.' },
        exits: { next: 'disconnect' },
      },
      { id: 'disconnect', name: 'Disconnect', kind: 'disconnect', settings: {}, exits: {} },
      // A bound on waiting: a customer who walked away without closing the chat does not wait forever.
      {
        id: 'queue',
        name: 'Queue',
        kind: 'queue-task',
        settings: { distribution: 'direct', maxQueueSeconds: options.maxQueueSeconds ?? 1800 },
        exits: { next: 'wait' },
      },
      {
        id: 'wait',
        name: 'Wait',
        kind: 'delay',
        settings: { seconds: options.updateEverySeconds ?? 30 },
        exits: { next: 'check-task' },
      },
      {
        id: 'check-task',
        name: 'Check task',
        kind: 'check-task',
        settings: {},
        exits: { queued: 'position', offered: 'wait', 'not-queued': 'queue' },
      },
      {
        id: 'position',
        name: 'Queue position',
        kind: 'get-queue-position',
        // The customer hears their place when it changes, not the same number every few seconds.
        settings: { unchangedExit: true },
        exits: { queued: 'tell-position', unchanged: 'wait', 'not-queued': 'wait' },
      },
      {
        id: 'tell-position',
        name: 'Tell position',
        kind: 'message',
        settings: { text: 'You are number {{queue.position}} in the queue. Thank you for waiting.' },
        exits: { next: 'wait' },
      },
    ],
  };
  return WorkflowDefinition.parse(input);
}
