import type { Calendar } from '../model';
import type { NotSelectableReason } from '../routing/selectability';
import { type MembersInput, memberSelectability } from './availability';
import type { WorkflowDefinition, WorkflowNode } from './model';
import { evaluateOpeningHours } from './opening-hours';

/** What a chat started now meets, as the widget says it before the form. */
export type ContactAvailability =
  { state: 'open' } | { state: 'closed'; nextOpeningAt: number | null } | { state: 'no-agents' };

/** Activities that neither decide nor end: a chat passes them on its way to the first decision. */
const PASS_THROUGH: ReadonlySet<WorkflowNode['kind']> = new Set([
  'accept',
  'message',
  'save-to-parameter',
  'distribution-priority',
]);
/** Activities that end the chat: a path reaching one without queuing says "we are closed". */
const ENDS: ReadonlySet<WorkflowNode['kind']> = new Set(['disconnect', 'cancel-task']);
const MAX_STEPS = 50;

type OpeningGate = { primaryCalendarId: string; secondaryCalendarId: string | null };

/**
 * The Check Opening Hours every chat of this workflow meets first, when its "closed" exit only ends
 * the chat (with a message, say): then "closed" can be told before the form. A decision before it
 * (a web request, a parameter check) or a "closed" path that still queues or transfers means the
 * workflow may take the chat after all, and nothing is said.
 */
export function openingGate(workflow: WorkflowDefinition): OpeningGate | null {
  const nodes = new Map(workflow.nodes.map((n) => [n.id, n]));
  const walk = (from: string | null | undefined): WorkflowNode | null => {
    let node = from ? nodes.get(from) : undefined;
    for (let step = 0; node && step < MAX_STEPS; step++) {
      if (!PASS_THROUGH.has(node.kind)) return node;
      node = node.exits.next ? nodes.get(node.exits.next) : undefined;
    }
    return null;
  };
  const gate = walk(workflow.start);
  if (gate?.kind !== 'check-opening-hours') return null;
  const closedPath = gate.exits.closed;
  const end = closedPath ? walk(closedPath) : null;
  // An exit to nothing ends the workflow, and a task that is not queued ends with it.
  if (closedPath && (!end || !ENDS.has(end.kind))) return null;
  return {
    primaryCalendarId: gate.settings.primaryCalendarId,
    secondaryCalendarId: gate.settings.secondaryCalendarId ?? null,
  };
}

const MINUTE = 60_000;
const STEP = 15 * MINUTE;

/**
 * The first minute within `horizonMs` at which the calendars are open again (their ranges start on
 * whole minutes): found in quarter-hour steps, then to the minute. Null: not within the horizon.
 */
export function nextOpening(
  primary: Calendar,
  secondary: Calendar | null,
  from: number,
  horizonMs = 14 * 24 * 60 * MINUTE,
): number | null {
  const open = (t: number) => evaluateOpeningHours(primary, secondary, t).exit !== 'closed';
  const start = Math.ceil(from / MINUTE) * MINUTE;
  for (let t = start; t <= start + horizonMs; t += STEP) {
    if (!open(t)) continue;
    let first = t;
    for (let m = Math.max(start, t - STEP + MINUTE); m < t; m += MINUTE)
      if (open(m)) {
        first = m;
        break;
      }
    return first;
  }
  return null;
}

/** Reasons only an admin (or the directory) changes: a member held back by one never takes a chat by themselves. */
const NEVER: ReadonlySet<NotSelectableReason> = new Set([
  'tenant-im-disabled',
  'unknown-user',
  'user-inactive',
  'no-im-license',
  'im-disabled',
  'not-member',
  'inactive-member',
]);

/**
 * Whether any member of the service could take a chat, now or once they are available: offline,
 * busy or away members could; unlicensed, switched-off or inactive ones cannot.
 */
export function anyMemberCouldTake(input: MembersInput): boolean {
  return memberSelectability(input).some(({ sel }) => sel.selectable || !NEVER.has(sel.reason));
}

/**
 * What a customer would meet now: a workflow closed by its opening hours (`closed`: null when it is
 * open or decides later), else nobody who could ever take the chat, else open.
 */
export function contactAvailability(input: {
  closed: { nextOpeningAt: number | null } | null;
  anyMember: boolean;
}): ContactAvailability {
  if (input.closed) return { state: 'closed', nextOpeningAt: input.closed.nextOpeningAt };
  if (!input.anyMember) return { state: 'no-agents' };
  return { state: 'open' };
}
