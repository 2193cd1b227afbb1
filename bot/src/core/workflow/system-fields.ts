import type { ImChannel } from '../model';
import type { SystemField, TemplateValues } from './template';

/** What the runner knows about the task when it steps a workflow. */
export type SystemFacts = {
  customerName: string;
  customerEmail: string | null;
  channel: ImChannel;
  firstMessage: string | null;
  serviceName: string;
};

/** What the workflow itself learned while running (Get Queue Position, Distribution Priority). */
export type QueueFacts = { queuePosition: number | null; estimatedWaitSeconds: number | null };

const CHANNEL_LABEL: Record<ImChannel, string> = { interact: 'Interact', whatsapp: 'WhatsApp' };

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

/** Date (YYYY-MM-DD) and time (HH:MM) of an instant in a time zone. */
export function localDateTime(instant: number, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The estimated wait as a customer reads it: whole minutes, rounded up; empty when nothing is known yet. */
export function formatEstimatedWait(seconds: number | null): string {
  if (seconds === null) return '';
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export function systemValues(
  facts: SystemFacts,
  queue: QueueFacts,
  now: number,
  timeZone: string,
): Record<SystemField, string> {
  const { date, time } = localDateTime(now, timeZone);
  return {
    'customer.name': facts.customerName,
    'customer.email': facts.customerEmail ?? '',
    channel: CHANNEL_LABEL[facts.channel],
    firstMessage: facts.firstMessage ?? '',
    'service.name': facts.serviceName,
    'queue.position': queue.queuePosition === null ? '' : String(queue.queuePosition),
    'queue.estimatedWait': formatEstimatedWait(queue.estimatedWaitSeconds),
    date,
    time,
  };
}

export const templateValues = (
  facts: SystemFacts,
  queue: QueueFacts,
  params: Record<string, string>,
  now: number,
  timeZone: string,
): TemplateValues => ({
  system: systemValues(facts, queue, now, timeZone),
  params,
});
