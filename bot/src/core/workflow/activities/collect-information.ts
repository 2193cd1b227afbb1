import { z } from 'zod/v4';
import { Email } from '../../model/common';
import { defineActivity, nonEmpty, render, unexpected } from '../activity';
import { CustomerTimeoutSeconds, ParameterName, TemplateText } from '../schemas';
import { clipParameter } from '../template';

export const InformationFormat = z.enum(['text', 'email', 'number', 'phone']);
export type InformationFormat = z.infer<typeof InformationFormat>;

const Settings = z.object({
  prompt: TemplateText.min(1),
  parameter: ParameterName,
  format: InformationFormat.default('text'),
  /** Further tries after the first invalid answer. */
  retries: z.number().int().min(0).max(5).default(2),
  retryPrompt: TemplateText.min(1).nullable().default(null),
  timeoutSeconds: CustomerTimeoutSeconds.default(300),
});

const RETRY_TEXT: Record<InformationFormat, string> = {
  text: 'Please type your answer.',
  email: 'That does not look like an email address. Please try again.',
  number: 'Please answer with a number.',
  phone: 'That does not look like a phone number. Please try again, for example +41 44 123 45 67.',
};

/** Checks an answer and returns it normalised (trimmed; numbers with "."; phone numbers digits only). */
export function validateAnswer(format: InformationFormat, raw: string): { ok: true; value: string } | { ok: false } {
  const text = raw.trim();
  if (text === '') return { ok: false };
  switch (format) {
    case 'text':
      return { ok: true, value: clipParameter(text) };
    case 'email':
      return Email.safeParse(text).success ? { ok: true, value: text } : { ok: false };
    case 'number': {
      const normalised = text.replace(/[\s']/g, '').replace(',', '.');
      return /^[+-]?\d+(\.\d+)?$/.test(normalised) ? { ok: true, value: normalised } : { ok: false };
    }
    case 'phone': {
      const compact = text.replace(/[\s().-]/g, '').replace(/^00/, '+');
      return /^\+?\d{6,15}$/.test(compact) ? { ok: true, value: compact } : { ok: false };
    }
  }
}

/**
 * Collect Information: asks, waits for the customer's answer, validates it and saves it to a parameter.
 * An invalid answer is asked again up to `retries` times; each question restarts the timeout.
 */
export const collectInformation = defineActivity({
  kind: 'collect-information',
  label: 'Collect Information',
  category: 'conversation',
  settings: Settings,
  exits: () => ['collected', 'invalid', 'timeout'],
  waits: () => true,
  templates: (s) => [s.prompt, ...(s.retryPrompt === null ? [] : [s.retryPrompt])],
  writes: (s) => [s.parameter],
  run(ctx, input) {
    const s = ctx.settings;
    const attempts = typeof ctx.memory.attempts === 'number' ? ctx.memory.attempts : 0;
    switch (input.kind) {
      case 'enter':
        return {
          type: 'command',
          command: { kind: 'send-message', text: nonEmpty(render(s.prompt, ctx.values)) },
          memory: { attempts: 0 },
        };
      case 'result':
        if (input.result.kind !== 'sent') return unexpected('Collect Information', input);
        return {
          type: 'wait',
          forCustomer: true,
          timeoutMs: s.timeoutSeconds * 1000,
          afterSeq: input.result.seq,
          memory: { attempts },
        };
      case 'customer-message': {
        const answer = validateAnswer(s.format, input.text);
        if (answer.ok) return { type: 'exit', exit: 'collected', params: { [s.parameter]: answer.value } };
        if (attempts >= s.retries) return { type: 'exit', exit: 'invalid', note: `${attempts + 1} invalid answers` };
        const text = s.retryPrompt === null ? RETRY_TEXT[s.format] : nonEmpty(render(s.retryPrompt, ctx.values));
        return { type: 'command', command: { kind: 'send-message', text }, memory: { attempts: attempts + 1 } };
      }
      case 'timeout':
        return { type: 'exit', exit: 'timeout' };
    }
  },
});
