import { z } from 'zod/v4';
import { Id } from './common';

/** A code is one short label from the agent's vocabulary ("refund", "complaint"); tags are free labels. */
export const WrapUpLabel = z.string().trim().min(1).max(40);

/**
 * What an agent adds to one of their sessions after the conversation: a code, tags and a note. Kept
 * next to the agent's session reports (same partition), keyed by the task, so one query shows both.
 */
export const SessionWrapUp = z.object({
  id: Id,
  tenantId: Id,
  type: z.literal('sessionWrapUp'),
  userId: Id,
  taskId: Id,
  code: WrapUpLabel.nullable(),
  tags: z
    .array(WrapUpLabel)
    .max(20)
    .refine((tags) => new Set(tags.map((t) => t.toLowerCase())).size === tags.length, {
      message: 'a tag is listed twice',
    }),
  note: z.string().trim().max(2000).nullable(),
  updatedAt: z.number().int(),
});
export type SessionWrapUp = z.infer<typeof SessionWrapUp>;

export const wrapUpId = (taskId: string): string => `wrap-${taskId}`;
