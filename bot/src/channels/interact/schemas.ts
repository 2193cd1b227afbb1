import { z } from 'zod/v4';
import { Id, MAX_MESSAGE_LENGTH } from '../../core/model';

/** The public Interact API's inputs and outputs; the OpenAPI document is generated from these. */
export const ContactParams = z.object({ contactId: Id });
export const ChatParams = ContactParams.extend({ chatId: Id });
export const KeyQuery = z.object({ key: z.string().min(1).max(128) });

export const ContactConfig = z.object({
  contactId: z.string(),
  displayName: z.string(),
  kind: z.enum(['service', 'user']),
  chat: z.boolean(),
  audioVideo: z.boolean(),
  privacyPolicyUrl: z.string().nullable(),
  form: z.object({
    displayName: z.object({ required: z.literal(true), maxLength: z.number() }),
    email: z.object({ required: z.literal(true) }),
    consent: z.object({ required: z.literal(true) }),
    message: z.object({ required: z.literal(false), maxLength: z.number() }),
  }),
});

export const CreateChatBody = z.object({
  key: z.string().min(1).max(128),
  displayName: z.string().trim().min(1, 'Please enter your name.').max(100, 'Your name can be at most 100 characters.'),
  email: z.email('Please enter a valid email address.').max(254),
  consent: z.literal(true, 'Please accept the privacy policy.'),
  message: z.string().trim().max(MAX_MESSAGE_LENGTH, `Your message can be at most ${MAX_MESSAGE_LENGTH} characters.`).optional(),
});

export const CreateChatResponse = z.object({
  chatId: z.string(),
  token: z.string().describe('Visitor token: send as "Authorization: Bearer <token>", or as ?token= on the event stream.'),
  expiresAt: z.number().int().describe('Milliseconds since the epoch.'),
});

export const PostMessageBody = z.object({
  text: z.string().trim().min(1, 'A message cannot be empty.').max(MAX_MESSAGE_LENGTH, `A message can be at most ${MAX_MESSAGE_LENGTH} characters.`),
});
export const PostMessageResponse = z.object({ seq: z.number().int(), at: z.number().int() });
export const TypingBody = z.object({ typing: z.boolean() });
export const EndChatResponse = z.object({ ended: z.boolean() });

export const EventsQuery = z.object({
  token: z.string().min(1).max(2048).optional(),
  lastEventId: z.coerce.number().int().min(0).optional(),
});

/** What the event stream sends: `event: message` and `event: status` carry `id: <seq>`; typing has none. */
export const MessageEvent = z.object({ seq: z.number().int(), at: z.number().int(), from: z.enum(['customer', 'agent', 'system']), authorName: z.string(), text: z.string() });
export const StatusEvent = z.object({
  seq: z.number().int(),
  at: z.number().int(),
  state: z.enum(['waiting', 'connected', 'ended']),
  position: z.number().int().nullable(),
  estimatedWaitSeconds: z.number().int().nullable(),
  agentName: z.string().nullable(),
});
export const TypingEvent = z.object({ from: z.enum(['customer', 'agent']), typing: z.boolean() });

export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
