import { webRequest } from '../../../../bot/src/core/workflow/activities/web-request';
import { FACTS, activityUnder, enter, result } from '../activity-harness';

describe('Web Request', () => {
  const run = activityUnder(webRequest, { webRequestId: 'wr-crm' }, { params: { order: '42' } });
  it('asks for the configured request with the current values', () => {
    const step = run(enter);
    expect(step).toMatchObject({
      type: 'command',
      command: {
        kind: 'web-request',
        webRequestId: 'wr-crm',
        values: { params: { order: '42' }, system: { 'customer.name': FACTS.customerName } },
      },
    });
  });
  it('"success" saves the mapped values', () => {
    expect(
      run(result({ kind: 'web-response', outcome: 'success', values: { tier: 'gold' }, status: 200, detail: null })),
    ).toEqual({ type: 'exit', exit: 'success', params: { tier: 'gold' }, note: 'HTTP 200' });
  });
  it('"failure" and "timeout" save nothing', () => {
    expect(
      run(result({ kind: 'web-response', outcome: 'failure', values: {}, status: 500, detail: 'HTTP 500' })),
    ).toMatchObject({ exit: 'failure', params: {} });
    expect(
      run(
        result({ kind: 'web-response', outcome: 'timeout', values: {}, status: null, detail: 'no answer within 5 s' }),
      ),
    ).toMatchObject({ exit: 'timeout', params: {} });
  });
});
