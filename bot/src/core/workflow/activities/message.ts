import { z } from 'zod/v4';
import { defineActivity, nonEmpty, render, unexpected } from '../activity';
import { TemplateText } from '../schemas';

/** Message: sends templated text to the customer, optionally after a delay (which is a durable timer). */
export const message = defineActivity({
  kind: 'message',
  label: 'Message',
  category: 'conversation',
  settings: z.object({ text: TemplateText.min(1), delaySeconds: z.number().int().min(0).max(3600).default(0) }),
  exits: () => ['next'],
  waits: (s) => s.delaySeconds > 0,
  templates: (s) => [s.text],
  run(ctx, input) {
    const send = {
      type: 'command',
      command: { kind: 'send-message', text: nonEmpty(render(ctx.settings.text, ctx.values)) },
    } as const;
    switch (input.kind) {
      case 'enter':
        return ctx.settings.delaySeconds > 0
          ? { type: 'wait', forCustomer: false, timeoutMs: ctx.settings.delaySeconds * 1000, afterSeq: null }
          : send;
      case 'timeout':
        return send;
      case 'result':
        return input.result.kind === 'sent' ? { type: 'exit', exit: 'next' } : unexpected('Message', input);
      default:
        return unexpected('Message', input);
    }
  },
});
