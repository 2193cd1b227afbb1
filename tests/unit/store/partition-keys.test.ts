import {
  partitionKey,
  parseQueueScope,
  queueScope,
  serviceOfQueue,
  timerIds,
} from '../../../bot/src/store/partition-keys';

describe('partition keys', () => {
  it('a queue scope names its target, and parses back to it', () => {
    for (const target of [
      { kind: 'service', serviceId: 'svc-sales' } as const,
      { kind: 'user', userId: 'agent-1@contoso.com' } as const,
    ]) {
      expect(parseQueueScope(queueScope(target))).toEqual(target);
    }
    expect(queueScope({ kind: 'service', serviceId: 's' })).toBe('svc:s');
    expect(queueScope({ kind: 'user', userId: 'u' })).toBe('usr:u');
  });

  it('anything that is not a queue scope parses to nothing (forged card data, other scopes)', () => {
    for (const scope of [
      '',
      'svc:',
      'svc',
      'chat:c1',
      'agents',
      'svc:a|b',
      'svc:a b',
      `svc:${'x'.repeat(129)}`,
      'tenant|svc:s',
    ]) {
      expect(parseQueueScope(scope)).toBeUndefined();
    }
  });

  it('tells a service queue from a user queue', () => {
    expect(serviceOfQueue('svc:s1')).toBe('s1');
    expect(serviceOfQueue('usr:u1')).toBeUndefined();
  });

  it('a key is the tenant, or the tenant and one scope', () => {
    expect(partitionKey('t1')).toBe('t1');
    expect(partitionKey('t1', 'chat:c1')).toBe('t1|chat:c1');
  });

  it('timer ids are one per purpose and carry the tenant', () => {
    expect(timerIds.offer('t1', 'o1')).not.toBe(timerIds.offer('t2', 'o1'));
    expect(
      new Set([
        timerIds.offer('t', 'x'),
        timerIds.maxQueue('t', 'x'),
        timerIds.rona('t', 'x'),
        timerIds.finalize('t', 'x'),
        timerIds.workflow('t', 'x'),
        timerIds.customerAway('t', 'x'),
      ]).size,
    ).toBe(6);
  });
});
