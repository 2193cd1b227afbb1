import type { ImChannel } from '../model';
import type { SystemField, TemplateValues } from './template';
import { zonedParts } from './zoned-time';

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

/** Date (YYYY-MM-DD) and time (HH:MM) of an instant in a time zone. */
export function localDateTime(instant: number, timeZone: string): { date: string; time: string } {
  const parts = zonedParts(instant, timeZone);
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
