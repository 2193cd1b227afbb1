import { checkParameter, compare } from '../../../../bot/src/core/workflow/activities/check-parameter';
import { activityUnder, enter } from '../activity-harness';

describe('Check Parameter', () => {
  it('"match" when the parameter passes the comparison (value is a template)', () => {
    const run = activityUnder(
      checkParameter,
      { parameter: 'name', operator: 'equals', value: '{{customer.name}}' },
      { params: { name: 'casey customer' } },
    );
    expect(run(enter)).toEqual({ type: 'exit', exit: 'match' });
  });
  it('"no-match" otherwise; a missing parameter is empty', () => {
    expect(
      activityUnder(
        checkParameter,
        { parameter: 'tier', operator: 'equals', value: 'gold' },
        { params: { tier: 'silver' } },
      )(enter),
    ).toEqual({ type: 'exit', exit: 'no-match' });
    expect(activityUnder(checkParameter, { parameter: 'tier', operator: 'is-empty' })(enter)).toEqual({
      type: 'exit',
      exit: 'match',
    });
  });
  it.each([
    ['abc', 'contains', 'B', false, true],
    ['abc', 'contains', 'B', true, false],
    ['Order-7', 'starts-with', 'order', false, true],
    ['10', 'greater-than', '9', false, true],
    ['10', 'less-than', '9,5', false, false],
    ['ten', 'greater-than', '9', false, false],
    ['x', 'not-equals', 'y', false, true],
    [' ', 'is-not-empty', '', false, false],
  ] as const)('%j %s %j (case sensitive: %s) is %s', (actual, operator, expected, caseSensitive, outcome) => {
    expect(compare(actual, operator, expected, caseSensitive)).toBe(outcome);
  });
});
