import { transfer } from '../../../../bot/src/core/workflow/activities/transfer';
import { activityUnder, enter, result } from '../activity-harness';

describe('Transfer', () => {
  const run = activityUnder(transfer, { target: { kind: 'service', serviceId: 'svc-sales' } });
  it('transfers to the service; the workflow ends when the transfer is done', () => {
    expect(run(enter)).toEqual({ type: 'command', command: { kind: 'transfer', serviceId: 'svc-sales' } });
    expect(run(result({ kind: 'transferred', ok: true, reason: null }))).toEqual({
      type: 'stop',
      reason: 'transferred',
    });
  });
  it('"failed": the target does not take the chat', () => {
    expect(run(result({ kind: 'transferred', ok: false, reason: 'service svc-sales not found' }))).toEqual({
      type: 'exit',
      exit: 'failed',
      note: 'service svc-sales not found',
    });
  });
  it('fails the session for a transfer to a user (services only for Instant Messaging)', () => {
    expect(activityUnder(transfer, { target: { kind: 'user', userId: 'u-1' } })(enter)).toMatchObject({ type: 'fail' });
  });
});
