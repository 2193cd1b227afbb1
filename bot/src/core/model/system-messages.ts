import { z } from 'zod/v4';
import { DisplayName, unitOwned } from './common';

const MessageText = z.string().trim().min(1).max(1000);

/**
 * Direct System Messages (Admin > Configuration > Instant Messaging): how the agent's name appears to
 * the customer and which messages each side gets at each step.
 */
export const SystemMessages = unitOwned('systemMessages').extend({
  name: DisplayName,
  agentDisplayName: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('fullName') }),
    z.object({ mode: z.literal('firstName') }),
    z.object({ mode: z.literal('custom'), text: DisplayName }),
  ]),
  toAgent: z.object({
    onAccept: MessageText.optional(),
    onEnd: MessageText.optional(),
  }),
  toCustomer: z.object({
    onCreate: MessageText.optional(),
    onAccept: MessageText.optional(),
    onEnd: MessageText.optional(),
    onUnavailable: MessageText.optional(),
  }),
});
export type SystemMessages = z.infer<typeof SystemMessages>;

/** The name the customer sees for an agent. */
export function agentNameForCustomer(
  messages: Pick<SystemMessages, 'agentDisplayName'> | null,
  agentDisplayName: string,
): string {
  const mode = messages?.agentDisplayName;
  if (!mode || mode.mode === 'fullName') return agentDisplayName;
  if (mode.mode === 'firstName') return agentDisplayName.trim().split(/\s+/)[0] ?? agentDisplayName;
  return mode.text;
}
