import { collectInformation, validateAnswer } from '../../../../bot/src/core/workflow/activities/collect-information';
import { activityUnder, enter, memoryOf, result, says, timeout } from '../activity-harness';

const settings = {
  prompt: 'Your email, {{customer.name}}?',
  parameter: 'email',
  format: 'email',
  retries: 1,
  timeoutSeconds: 120,
};

describe('Collect Information', () => {
  const run = activityUnder(collectInformation, settings);

  it('asks with the rendered prompt and waits for the customer after the question', () => {
    const asked = run(enter);
    expect(asked).toEqual({
      type: 'command',
      command: { kind: 'send-message', text: 'Your email, Casey Customer?' },
      memory: { attempts: 0 },
    });
    expect(run(result({ kind: 'sent', seq: 7 }), memoryOf(asked))).toEqual({
      type: 'wait',
      forCustomer: true,
      timeoutMs: 120_000,
      afterSeq: 7,
      memory: { attempts: 0 },
    });
  });

  it('"collected": a valid answer is saved to the parameter', () => {
    expect(run(says('  casey@example.com '), { attempts: 0 })).toEqual({
      type: 'exit',
      exit: 'collected',
      params: { email: 'casey@example.com' },
    });
  });

  it('asks again after an invalid answer, then "invalid" once the retries are used up', () => {
    const again = run(says('not an email'), { attempts: 0 });
    expect(again).toMatchObject({
      type: 'command',
      command: { kind: 'send-message', text: expect.stringContaining('email address') },
      memory: { attempts: 1 },
    });
    expect(run(says('still not'), memoryOf(again))).toMatchObject({ type: 'exit', exit: 'invalid' });
  });

  it('uses the retry prompt when there is one', () => {
    const custom = activityUnder(collectInformation, { ...settings, retryPrompt: 'Once more, {{customer.name}}' });
    expect(custom(says('nope'), { attempts: 0 })).toMatchObject({
      command: { kind: 'send-message', text: 'Once more, Casey Customer' },
    });
  });

  it('"timeout": no answer in time', () => {
    expect(run(timeout, { attempts: 0 })).toEqual({ type: 'exit', exit: 'timeout' });
  });

  it.each([
    ['text', ' anything ', 'anything'],
    ['number', '1 234,5', '1234.5'],
    ['number', '-42', '-42'],
    ['phone', '+41 (44) 123-45-67', '+41441234567'],
    ['phone', '0041 44 123 45 67', '+41441234567'],
    ['email', 'a.b@example.org', 'a.b@example.org'],
  ] as const)('validates %s answers: %j becomes %j', (format, raw, value) => {
    expect(validateAnswer(format, raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['text', '   '],
    ['number', 'twelve'],
    ['phone', '12'],
    ['phone', 'call me'],
    ['email', 'casey@'],
  ] as const)('refuses %s answer %j', (format, raw) => {
    expect(validateAnswer(format, raw)).toEqual({ ok: false });
  });
});
