import { inputCustomer, matchChoice } from '../../../../bot/src/core/workflow/activities/input-customer';
import { activityUnder, enter, result, says, timeout } from '../activity-harness';

const settings = {
  prompt: 'How can we help, {{customer.name}}?',
  choices: [
    { exit: 'sales', label: 'Buy something', keywords: ['buy', 'price'] },
    { exit: 'support', label: 'Get help', keywords: ['broken', 'help me'] },
  ],
  timeoutSeconds: 60,
};

describe('Input Customer', () => {
  const run = activityUnder(inputCustomer, settings);

  it('asks, listing the choices, and waits for the answer after the question', () => {
    expect(run(enter)).toEqual({
      type: 'command',
      command: { kind: 'send-message', text: 'How can we help, Casey Customer?\n1. Buy something\n2. Get help' },
    });
    expect(run(result({ kind: 'sent', seq: 4 }))).toEqual({
      type: 'wait',
      forCustomer: true,
      timeoutMs: 60_000,
      afterSeq: 4,
    });
  });

  it('leaves by the exit of the choice picked by number, label or keyword', () => {
    expect(run(says('2'))).toEqual({ type: 'exit', exit: 'support' });
    expect(run(says('buy something!'))).toEqual({ type: 'exit', exit: 'sales' });
    expect(run(says('What is the PRICE of it?'))).toEqual({ type: 'exit', exit: 'sales' });
    expect(run(says('my phone is broken, help me'))).toEqual({ type: 'exit', exit: 'support' });
  });

  it('"no-match" for anything else, "timeout" without an answer', () => {
    expect(run(says('buying'))).toEqual({ type: 'exit', exit: 'no-match' });
    expect(run(says('3'))).toEqual({ type: 'exit', exit: 'no-match' });
    expect(run(timeout)).toEqual({ type: 'exit', exit: 'timeout' });
  });

  it('has one exit per choice plus "no-match" and "timeout"', () => {
    expect(inputCustomer.exits(inputCustomer.settings.parse(settings))).toEqual([
      'sales',
      'support',
      'no-match',
      'timeout',
    ]);
  });

  it('refuses choices that share an exit or take a reserved one', () => {
    expect(
      inputCustomer.settings.safeParse({
        ...settings,
        choices: [settings.choices[0], { ...settings.choices[1], exit: 'sales' }],
      }).success,
    ).toBe(false);
    expect(inputCustomer.settings.safeParse({ ...settings, choices: [{ exit: 'timeout', label: 'x' }] }).success).toBe(
      false,
    );
  });

  it('matches keywords as whole words, the first choice winning', () => {
    const choices = inputCustomer.settings.parse(settings).choices;
    expect(matchChoice(choices, 'I want to buy and it is broken')?.exit).toBe('sales');
    expect(matchChoice(choices, 'rebuy')).toBeUndefined();
  });
});
