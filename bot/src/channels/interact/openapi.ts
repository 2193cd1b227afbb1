import { z } from 'zod/v4';
import {
  ContactConfig,
  CreateChatBody,
  CreateChatResponse,
  CustomerMessageEvent,
  CustomerStatusEvent,
  EndChatResponse,
  ErrorResponse,
  LeaveBeaconBody,
  PostMessageBody,
  PostMessageResponse,
  ResetEvent,
  TypingBody,
  TypingEvent,
} from '../../contracts';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const json = (schema: z.ZodType) => ({ 'application/json': { schema: schemaOf(schema) } });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [String(code), { description: statusText[code], content: json(ErrorResponse) }]),
  );
const statusText: Record<number, string> = {
  400: 'The request is not valid (details name the fields).',
  401: 'The visitor token is missing, malformed, forged or expired.',
  403: 'Refused: wrong widget key, origin not allowed, or the contact is not available.',
  404: 'No such contact or chat.',
  409: 'The chat has ended.',
  429: 'Too many requests; Retry-After says when to try again.',
};
const contactId = { name: 'contactId', in: 'path', required: true, schema: { type: 'string' } };
const chatId = { name: 'chatId', in: 'path', required: true, schema: { type: 'string' } };
const bearer = [{ visitorToken: [] }];

/** The OpenAPI 3.1 document of the public Interact API, generated from the same zod schemas. */
export function buildOpenApi(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Interact public API',
      version: '1',
      description:
        'What the chat widget calls. Every call is subject to the contact’s domain whitelist and rate limits.',
    },
    servers: [{ url: `${serverUrl}/interact/v1` }],
    components: {
      securitySchemes: {
        visitorToken: { type: 'http', scheme: 'bearer', description: 'The token returned when the chat was created.' },
      },
    },
    paths: {
      '/contacts/{contactId}': {
        get: {
          summary: 'Public configuration of a contact (what the widget shows)',
          description:
            '`availability` says before the form whether a chat could reach anyone now: `open`, `closed` by the opening hours (with `nextOpeningAt`), or `no-agents`. A refusal (403, 404) may be read by any page, so the widget can show its reason.',
          parameters: [contactId, { name: 'key', in: 'query', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The contact', content: json(ContactConfig) },
            ...errors(400, 403, 404, 429),
          },
        },
      },
      '/contacts/{contactId}/chats': {
        post: {
          summary: 'Start a chat from the form',
          parameters: [contactId],
          requestBody: { required: true, content: json(CreateChatBody) },
          responses: {
            '201': { description: 'The chat and its visitor token', content: json(CreateChatResponse) },
            ...errors(400, 403, 404, 429),
          },
        },
      },
      '/contacts/{contactId}/chats/{chatId}/messages': {
        post: {
          summary: 'Send a message as the customer',
          security: bearer,
          parameters: [contactId, chatId],
          requestBody: { required: true, content: json(PostMessageBody) },
          responses: {
            '201': { description: 'Stored, with its sequence number', content: json(PostMessageResponse) },
            ...errors(400, 401, 403, 404, 409, 429),
          },
        },
      },
      '/contacts/{contactId}/chats/{chatId}/typing': {
        post: {
          summary: 'Tell the agent the customer is typing',
          security: bearer,
          parameters: [contactId, chatId],
          requestBody: { required: true, content: json(TypingBody) },
          responses: { '204': { description: 'Relayed' }, ...errors(400, 401, 403, 429) },
        },
      },
      '/contacts/{contactId}/chats/{chatId}/end': {
        post: {
          summary: 'End the chat as the customer',
          security: bearer,
          parameters: [contactId, chatId],
          responses: {
            '200': { description: 'Ended (false if it already had)', content: json(EndChatResponse) },
            ...errors(401, 403, 404),
          },
        },
      },
      '/beacons/contacts/{contactId}/chats/{chatId}/leave': {
        post: {
          summary: 'The customer’s page is going away (closed or reloaded)',
          description:
            'Sent with navigator.sendBeacon on `pagehide`, as a form carrying the visitor token (a beacon cannot set headers). The chat ends as "customer left" unless an event stream of it opens within CUSTOMER_LEAVE_GRACE_SECONDS, as it does after a reload. The page’s origin and the rate limits are checked like every widget call.',
          parameters: [contactId, chatId],
          requestBody: {
            required: true,
            content: { 'application/x-www-form-urlencoded': { schema: schemaOf(LeaveBeaconBody) } },
          },
          responses: { '204': { description: 'Noted' }, ...errors(400, 401, 403, 404, 429) },
        },
      },
      '/contacts/{contactId}/chats/{chatId}/events': {
        get: {
          summary: 'Server-sent events of the chat',
          description:
            'text/event-stream. `event: message` and `event: status` carry `id: <sequence>`; reconnect with the Last-Event-ID header (or ?lastEventId=) to get everything after it, starting with that event again. `event: typing` has no id. `event: reset` (no id) says the log is shorter than where the client resumed: forget what is shown, the whole log follows. Comments (`: ping`) are heartbeats. The stream closes after the status "ended".',
          security: bearer,
          parameters: [
            contactId,
            chatId,
            {
              name: 'token',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: 'The visitor token, for EventSource clients that cannot set headers.',
            },
            { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'integer' } },
          ],
          responses: {
            '200': {
              description: 'The stream',
              content: {
                'text/event-stream': {
                  schema: {
                    oneOf: [CustomerMessageEvent, CustomerStatusEvent, TypingEvent, ResetEvent].map((schema) =>
                      z.toJSONSchema(schema),
                    ),
                  },
                },
              },
            },
            ...errors(401, 403, 404),
          },
        },
      },
    },
  };
}
