import { message } from '../../../../bot/src/core/workflow/activities/message';
import { activityUnder, enter, result, timeout } from '../activity-harness';

describe('Message', () => {
  it('sends the rendered text at once and leaves by "next"', () => {
    const run = activityUnder(
      message,
      { text: 'Hi {{customer.name}}, you are number {{queue.position}} ({{param.topic}}).' },
      { facts: { queuePosition: 3 }, params: { topic: '<b>billing</b>' } },
    );
    expect(run(enter)).toEqual({
      type: 'command',
      command: { kind: 'send-message', text: 'Hi Casey Customer, you are number 3 (<b>billing</b>).' },
    });
    expect(run(result({ kind: 'sent', seq: 2 }))).toEqual({ type: 'exit', exit: 'next' });
  });

  it('with a delay, waits first and then sends', () => {
    const run = activityUnder(message, { text: 'Still there?', delaySeconds: 5 });
    expect(run(enter)).toEqual({ type: 'wait', forCustomer: false, timeoutMs: 5000, afterSeq: null });
    expect(run(timeout)).toEqual({ type: 'command', command: { kind: 'send-message', text: 'Still there?' } });
    expect(message.waits(message.settings.parse({ text: 'x', delaySeconds: 5 }))).toBe(true);
    expect(message.waits(message.settings.parse({ text: 'x' }))).toBe(false);
  });

  it('never sends an empty message', () => {
    const run = activityUnder(message, { text: '{{param.empty}}' }, { params: { empty: '' } });
    expect(run(enter)).toMatchObject({ command: { text: '…' } });
  });
});
