import { z } from 'zod/v4';
import { defineActivity, render, unexpected } from '../activity';
import { ParameterName, TemplateText } from '../schemas';

export const Comparison = z.enum([
  'equals',
  'not-equals',
  'contains',
  'starts-with',
  'is-empty',
  'is-not-empty',
  'greater-than',
  'less-than',
]);
export type Comparison = z.infer<typeof Comparison>;

const Settings = z.object({
  parameter: ParameterName,
  operator: Comparison,
  /** What to compare with (a template); unused by is-empty / is-not-empty. */
  value: TemplateText.default(''),
  caseSensitive: z.boolean().default(false),
});

const asNumber = (text: string): number | undefined => {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
};

/** Compares a parameter's value; numeric comparisons are false when either side is not a number. */
export function compare(actual: string, operator: Comparison, expected: string, caseSensitive: boolean): boolean {
  const a = caseSensitive ? actual.trim() : actual.trim().toLowerCase();
  const b = caseSensitive ? expected.trim() : expected.trim().toLowerCase();
  switch (operator) {
    case 'equals':
      return a === b;
    case 'not-equals':
      return a !== b;
    case 'contains':
      return a.includes(b);
    case 'starts-with':
      return a.startsWith(b);
    case 'is-empty':
      return a === '';
    case 'is-not-empty':
      return a !== '';
    case 'greater-than':
    case 'less-than': {
      const x = asNumber(a);
      const y = asNumber(b);
      if (x === undefined || y === undefined) return false;
      return operator === 'greater-than' ? x > y : x < y;
    }
  }
}

/** Check Parameter: leaves by "match" when the parameter passes the comparison, else by "no-match". */
export const checkParameter = defineActivity({
  kind: 'check-parameter',
  label: 'Check Parameter',
  category: 'check',
  settings: Settings,
  exits: () => ['match', 'no-match'],
  templates: (s) => [s.value],
  reads: (s) => [s.parameter],
  run(ctx, input) {
    if (input.kind !== 'enter') return unexpected('Check Parameter', input);
    const s = ctx.settings;
    const matched = compare(ctx.params[s.parameter] ?? '', s.operator, render(s.value, ctx.values), s.caseSensitive);
    return { type: 'exit', exit: matched ? 'match' : 'no-match' };
  },
});
