import { z } from 'zod/v4';
import { defineActivity, unexpected } from '../activity';

/** Disconnect: the system ends the conversation; the session's outcome is "handled by system". */
export const disconnect = defineActivity({
  kind: 'disconnect',
  label: 'Disconnect',
  category: 'conversation',
  settings: z.object({}),
  exits: () => [],
  run(_ctx, input) {
    if (input.kind === 'enter')
      return { type: 'command', command: { kind: 'end-session', outcome: 'handled-by-system', reason: 'Disconnect' } };
    if (input.kind === 'result' && input.result.kind === 'ended') return { type: 'stop', reason: 'disconnected' };
    return unexpected('Disconnect', input);
  },
});
