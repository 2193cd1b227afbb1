import { z } from 'zod/v4';
import { Id } from '../../core/model';

/** What the Interact API reads from URLs; bodies and answers are the contract's (bot/src/contracts/interact). */
export const ContactParams = z.object({ contactId: Id });
export const ChatParams = ContactParams.extend({ chatId: Id });
export const KeyQuery = z.object({ key: z.string().min(1).max(128) });

export const EventsQuery = z.object({
  token: z.string().min(1).max(2048).optional(),
  lastEventId: z.coerce.number().int().min(0).optional(),
});
