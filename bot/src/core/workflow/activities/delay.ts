import { z } from 'zod/v4';
import { defineActivity, unexpected } from '../activity';

/** Delay: waits on a durable timer, so a restart does not lose or shorten it. */
export const delay = defineActivity({
  kind: 'delay',
  label: 'Delay',
  category: 'conversation',
  settings: z.object({
    seconds: z
      .number()
      .int()
      .min(1)
      .max(24 * 3600),
  }),
  exits: () => ['next'],
  waits: () => true,
  run(ctx, input) {
    if (input.kind === 'enter')
      return { type: 'wait', forCustomer: false, timeoutMs: ctx.settings.seconds * 1000, afterSeq: null };
    if (input.kind === 'timeout') return { type: 'exit', exit: 'next' };
    return unexpected('Delay', input);
  },
});
