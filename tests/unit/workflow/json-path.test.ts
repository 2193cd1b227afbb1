import { evaluateJsonPath, jsonValueAsText, parseJsonPath } from '../../../bot/src/core/workflow';

const pick = (doc: unknown, path: string) => {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) throw new Error(parsed.refusal);
  return evaluateJsonPath(doc, parsed.value);
};

describe('JSON paths of web-request mappings', () => {
  const doc = { customer: { tier: 'gold', 'full name': 'Ann', orders: [{ id: 7 }, { id: 9 }], vip: true, note: null } };
  it('picks keys, quoted keys and indexes', () => {
    expect(pick(doc, '$.customer.tier')).toEqual({ found: true, value: 'gold' });
    expect(pick(doc, "$.customer['full name']")).toEqual({ found: true, value: 'Ann' });
    expect(pick(doc, '$.customer.orders[1].id')).toEqual({ found: true, value: 9 });
    expect(pick(doc, '$')).toEqual({ found: true, value: doc });
  });
  it('finds nothing past the end of the document', () => {
    expect(pick(doc, '$.customer.orders[5]')).toEqual({ found: false });
    expect(pick(doc, '$.customer.tier.x')).toEqual({ found: false });
    expect(pick(doc, '$.toString')).toEqual({ found: false });
  });
  it('refuses paths it cannot read', () => {
    for (const bad of ['customer.tier', '$.', '$[x]', '$..a', '$.a b']) expect(parseJsonPath(bad).ok).toBe(false);
  });
  it('turns values into parameter text', () => {
    expect([
      jsonValueAsText('x'),
      jsonValueAsText(7),
      jsonValueAsText(true),
      jsonValueAsText(null),
      jsonValueAsText({ a: [1] }),
    ]).toEqual(['x', '7', 'true', '', '{"a":[1]}']);
  });
});
