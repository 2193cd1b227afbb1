import { z } from 'zod/v4';
import { Id } from '../../model/common';
import { defineActivity, unexpected } from '../activity';

/**
 * The targets a Transfer can name. Instant Messaging transfers to services only (the compatibility
 * table says so); the other targets exist for workflows of other modalities and are refused for IM.
 */
export const TransferTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('service'), serviceId: Id }),
  z.object({ kind: z.literal('user'), userId: Id }),
  z.object({ kind: z.literal('external'), address: z.string().min(1).max(100) }),
]);

/** Transfer: the chat moves on to a new task in another service; this task ends as "transferred". */
export const transfer = defineActivity({
  kind: 'transfer',
  label: 'Transfer',
  category: 'conversation',
  settings: z.object({ target: TransferTarget }),
  exits: () => ['failed'],
  references: (s) => (s.target.kind === 'service' ? { services: [s.target.serviceId] } : {}),
  run(ctx, input) {
    const target = ctx.settings.target;
    switch (input.kind) {
      case 'enter':
        if (target.kind !== 'service')
          return { type: 'fail', reason: `Transfer to a ${target.kind} is not supported for Instant Messaging` };
        return { type: 'command', command: { kind: 'transfer', serviceId: target.serviceId } };
      case 'result':
        if (input.result.kind !== 'transferred') return unexpected('Transfer', input);
        return input.result.ok
          ? { type: 'stop', reason: 'transferred' }
          : { type: 'exit', exit: 'failed', note: input.result.reason ?? undefined };
      default:
        return unexpected('Transfer', input);
    }
  },
});
