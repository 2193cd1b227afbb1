import { z } from 'zod/v4';
import { defineActivity, unexpected } from '../activity';

/** Accept: takes the customer's conversation in, so the chat shows it is being handled. */
export const accept = defineActivity({
  kind: 'accept',
  label: 'Accept',
  category: 'conversation',
  settings: z.object({}),
  exits: () => ['next'],
  run(_ctx, input) {
    if (input.kind === 'enter') return { type: 'command', command: { kind: 'accept' } };
    if (input.kind === 'result' && input.result.kind === 'done') return { type: 'exit', exit: 'next' };
    return unexpected('Accept', input);
  },
});
