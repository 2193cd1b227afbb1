import { saveToParameter } from '../../../../bot/src/core/workflow/activities/save-to-parameter';
import { activityUnder, enter } from '../activity-harness';

describe('Save to Parameter', () => {
  it('saves the rendered value and leaves by "next"', () => {
    const run = activityUnder(
      saveToParameter,
      { parameter: 'greeting', value: '{{customer.name}} via {{channel}}: {{param.x}}' },
      { params: { x: '{{customer.email}}' } },
    );
    // A value is inserted as text: the placeholder inside the parameter is not expanded again.
    expect(run(enter)).toEqual({
      type: 'exit',
      exit: 'next',
      params: { greeting: 'Casey Customer via Interact: {{customer.email}}' },
    });
  });
  it('writes the parameter it names', () => {
    expect(saveToParameter.writes({ parameter: 'p', value: '' })).toEqual(['p']);
  });
});
