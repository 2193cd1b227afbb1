import { z } from 'zod/v4';
import { defineActivity, nonEmpty, render, unexpected } from '../activity';
import { CustomerTimeoutSeconds, ExitName, TemplateText } from '../schemas';

const RESERVED_EXITS = ['no-match', 'timeout'];

export const Choice = z.object({
  /** The exit this choice leaves by. */
  exit: ExitName,
  label: z.string().trim().min(1).max(100),
  /** Words that select the choice when the customer's answer contains them (case-insensitive, whole words). */
  keywords: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
});
export type Choice = z.infer<typeof Choice>;

const Settings = z
  .object({
    prompt: TemplateText.min(1),
    choices: z.array(Choice).min(1).max(10),
    /** Lists the choices as "1. Label" lines under the prompt. */
    listChoices: z.boolean().default(true),
    timeoutSeconds: CustomerTimeoutSeconds.default(300),
  })
  .refine((s) => new Set(s.choices.map((c) => c.exit)).size === s.choices.length, {
    message: 'two choices leave by the same exit',
    path: ['choices'],
  })
  .refine((s) => !s.choices.some((c) => RESERVED_EXITS.includes(c.exit)), {
    message: 'a choice may not use the exit "no-match" or "timeout"',
    path: ['choices'],
  });

const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const containsWord = (text: string, word: string): boolean =>
  new RegExp(`(^|[^\\p{L}\\p{N}])${escape(normalise(word))}($|[^\\p{L}\\p{N}])`, 'u').test(text);

/** The choice an answer selects: its number, its label, or one of its keywords; the first choice wins. */
export function matchChoice(choices: readonly Choice[], answer: string): Choice | undefined {
  const text = normalise(answer).replace(/[.!?]+$/, '');
  return (
    choices.find((c, i) => text === String(i + 1) || text === normalise(c.label)) ??
    choices.find((c) => c.keywords.some((k) => containsWord(text, k)))
  );
}

/** Input Customer: offers choices, waits for the answer and leaves by the chosen choice's exit. */
export const inputCustomer = defineActivity({
  kind: 'input-customer',
  label: 'Input Customer',
  category: 'conversation',
  settings: Settings,
  exits: (s) => [...s.choices.map((c) => c.exit), ...RESERVED_EXITS],
  waits: () => true,
  templates: (s) => [s.prompt],
  run(ctx, input) {
    const s = ctx.settings;
    switch (input.kind) {
      case 'enter': {
        const list = s.listChoices ? `\n${s.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}` : '';
        return {
          type: 'command',
          command: { kind: 'send-message', text: nonEmpty(render(s.prompt, ctx.values) + list) },
        };
      }
      case 'result':
        if (input.result.kind !== 'sent') return unexpected('Input Customer', input);
        return { type: 'wait', forCustomer: true, timeoutMs: s.timeoutSeconds * 1000, afterSeq: input.result.seq };
      case 'customer-message': {
        const choice = matchChoice(s.choices, input.text);
        return choice ? { type: 'exit', exit: choice.exit } : { type: 'exit', exit: 'no-match' };
      }
      case 'timeout':
        return { type: 'exit', exit: 'timeout' };
    }
  },
});
