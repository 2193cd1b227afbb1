import { z } from 'zod/v4';
import { MAX_MESSAGE_LENGTH } from '../core/model';

// The public Interact API the widget calls: what it sends and what it is answered. The OpenAPI document
// is generated from these; the widget takes them as types only (its bundle carries no zod).

/**
 * Whether a chat started now could reach anyone, said before the form: open; closed by the opening
 * hours the contact's workflow checks first (with the next opening when the calendar says it within
 * two weeks); or no member who could ever take it (none licensed and active).
 */
export const ContactAvailability = z.discriminatedUnion('state', [
  z.object({ state: z.literal('open') }),
  z.object({
    state: z.literal('closed'),
    nextOpeningAt: z.number().int().nullable().describe('Milliseconds since the epoch.'),
  }),
  z.object({ state: z.literal('no-agents') }),
]);
export type ContactAvailability = z.infer<typeof ContactAvailability>;

/** What the widget shows of a contact: its name, whether it takes chats now, and the form's rules. */
export const ContactConfig = z.object({
  contactId: z.string(),
  displayName: z.string(),
  kind: z.enum(['service', 'user']),
  chat: z.boolean(),
  audioVideo: z.boolean(),
  privacyPolicyUrl: z
    .string()
    .nullable()
    .describe(
      "The privacy policy the form's consent links to: the contact's own when set, else the organization's; null when neither is set.",
    ),
  availability: ContactAvailability,
  form: z.object({
    displayName: z.object({ required: z.literal(true), maxLength: z.number() }),
    email: z.object({ required: z.literal(true) }),
    consent: z.object({ required: z.literal(true) }),
    message: z.object({ required: z.literal(false), maxLength: z.number() }),
  }),
});
export type ContactConfig = z.infer<typeof ContactConfig>;

/** The form that starts a chat. */
export const CreateChatBody = z.object({
  key: z.string().min(1).max(128),
  displayName: z.string().trim().min(1, 'Please enter your name.').max(100, 'Your name can be at most 100 characters.'),
  email: z.email('Please enter a valid email address.').max(254),
  consent: z.literal(true, 'Please accept the privacy policy.'),
  message: z
    .string()
    .trim()
    .max(MAX_MESSAGE_LENGTH, `Your message can be at most ${MAX_MESSAGE_LENGTH} characters.`)
    .optional(),
});
export type CreateChatBody = z.input<typeof CreateChatBody>;

/** The chat the form started, with the visitor token every later call of this chat carries. */
export const CreateChatResponse = z.object({
  chatId: z.string(),
  token: z
    .string()
    .describe('Visitor token: send as "Authorization: Bearer <token>", or as ?token= on the event stream.'),
  expiresAt: z.number().int().describe('Milliseconds since the epoch.'),
});
export type CreateChatResponse = z.infer<typeof CreateChatResponse>;

export const PostMessageBody = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'A message cannot be empty.')
    .max(MAX_MESSAGE_LENGTH, `A message can be at most ${MAX_MESSAGE_LENGTH} characters.`),
});
export type PostMessageBody = z.input<typeof PostMessageBody>;

export const PostMessageResponse = z.object({ seq: z.number().int(), at: z.number().int() });
export type PostMessageResponse = z.infer<typeof PostMessageResponse>;

export const TypingBody = z.object({ typing: z.boolean() });
export type TypingBody = z.input<typeof TypingBody>;

export const EndChatResponse = z.object({ ended: z.boolean() });
export type EndChatResponse = z.infer<typeof EndChatResponse>;

/**
 * The beacon a page sends when it goes away (`pagehide`: closed or reloaded), as a form (sendBeacon
 * sends it without a preflight): the visitor token, as no header can be set.
 */
export const LeaveBeaconBody = z.object({ token: z.string().min(1).max(2048) });
export type LeaveBeaconBody = z.input<typeof LeaveBeaconBody>;
