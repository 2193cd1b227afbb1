import { failureKind, retryRule } from '../../../bot/src/core/relay';

describe('which failures are retried', () => {
  it.each([
    [429, 'retry'],
    [412, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [undefined, 'retry'],
    [400, 'give-up'],
    [401, 'give-up'],
    [403, 'give-up'],
    [404, 'give-up'],
    [501, 'give-up'],
  ] as const)('status %s → %s', (status, kind) => {
    expect(failureKind(status)).toBe(kind);
  });

  it('retries throttling whether or not it says when, server errors and a network failure', () => {
    expect(retryRule({ status: 429, retryAfterMs: 2_000, message: 'Too Many Requests' })).toBe('retry');
    expect(retryRule({ status: 429, message: 'Too Many Requests', code: '20429' })).toBe('retry');
    expect(retryRule({ status: 503, message: 'Service Unavailable' })).toBe('retry');
    expect(retryRule({ status: 408, message: 'Request Timeout' })).toBe('retry');
    expect(retryRule({ status: undefined, message: 'network: socket hang up' })).toBe('retry');
  });

  it('gives up on a refusal that will not change, and on a failure the attempt knows to be final', () => {
    expect(
      retryRule({
        status: 400,
        message: 'Twilio could not find a Channel with the specified From address',
        code: '63007',
      }),
    ).toBe('give-up');
    expect(retryRule({ status: 404, message: 'conversation not found' })).toBe('give-up');
    expect(retryRule({ status: 505, message: 'HTTP Version Not Supported' })).toBe('give-up');
    // A 2xx whose body cannot be read: another attempt could send the message twice.
    expect(retryRule({ status: 201, message: 'unexpected response', final: true })).toBe('give-up');
    expect(retryRule({ status: undefined, message: 'no activity to update', final: true })).toBe('give-up');
    expect(retryRule({ status: 503, message: 'final beats the status', final: true })).toBe('give-up');
  });
});
