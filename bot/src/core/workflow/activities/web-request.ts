import { z } from 'zod/v4';
import { Id } from '../../model/common';
import { defineActivity, unexpected } from '../activity';

/** Web Request: runs a configured web request and saves values from its response to parameters. */
export const webRequest = defineActivity({
  kind: 'web-request',
  label: 'Web Request',
  category: 'conversation',
  settings: z.object({ webRequestId: Id }),
  exits: () => ['success', 'failure', 'timeout'],
  references: (s) => ({ webRequests: [s.webRequestId] }),
  run(ctx, input) {
    if (input.kind === 'enter')
      return {
        type: 'command',
        command: { kind: 'web-request', webRequestId: ctx.settings.webRequestId, values: ctx.values },
      };
    if (input.kind === 'result' && input.result.kind === 'web-response') {
      const r = input.result;
      return {
        type: 'exit',
        exit: r.outcome,
        params: r.outcome === 'success' ? r.values : {},
        note: r.detail ?? (r.status === null ? undefined : `HTTP ${r.status}`),
      };
    }
    return unexpected('Web Request', input);
  },
});
