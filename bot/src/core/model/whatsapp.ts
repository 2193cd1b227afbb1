import { z } from 'zod/v4';
import { Id, tenantScoped } from './common';

/** A phone number in E.164, as WhatsApp addresses carry it after "whatsapp:". */
export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a phone number in E.164 form, like +41791234567');

/** Twilio's API regions; the reporting model of some vendors knows only the United States. */
export const TwilioRegion = z.enum(['us1', 'ie1', 'au1']);
export type TwilioRegion = z.infer<typeof TwilioRegion>;

export const twilioApiBase = (region: TwilioRegion): string =>
  region === 'us1'
    ? 'https://api.twilio.com'
    : `https://api.${region === 'ie1' ? 'dublin' : 'sydney'}.${region}.twilio.com`;

/** A tenant's Twilio account and the WhatsApp senders that feed its services. */
export const WhatsAppConnector = tenantScoped('whatsappConnector').extend({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID (AC…)'),
  /** A secret: written by admins, never returned by any API. */
  authToken: z.string().min(16).max(128),
  region: TwilioRegion,
  senders: z.array(z.object({ number: E164, serviceId: Id })).max(50),
  /** An approved template (Content SID) that may be sent outside the 24-hour customer-service window. */
  templateContentSid: z
    .string()
    .regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content SID (HX…)')
    .nullable(),
});
export type WhatsAppConnector = z.infer<typeof WhatsAppConnector>;

/** The open conversation of one WhatsApp number with one service, and when the customer last wrote. */
export const WhatsAppThread = tenantScoped('whatsappThread').extend({
  serviceId: Id,
  address: E164,
  chatId: Id,
  connectorId: Id,
  senderNumber: E164,
  lastInboundAt: z.number().int(),
});
export type WhatsAppThread = z.infer<typeof WhatsAppThread>;

export const threadId = (serviceId: string, address: string) => `wa-${serviceId}-${address.replace(/^\+/, '')}`;

/** Marks an inbound MessageSid as processed: Twilio retries a webhook, we act once. */
export const WhatsAppInbound = tenantScoped('whatsappInbound').extend({ chatId: Id.nullable(), at: z.number().int() });
export type WhatsAppInbound = z.infer<typeof WhatsAppInbound>;

/** Delivery of one outbound chat message to a provider; the statuses Twilio reports back. */
export const DeliveryStatus = z.enum([
  'pending',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'undelivered',
  'not-sent',
]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const MessageDelivery = tenantScoped('delivery').extend({
  chatId: Id,
  seq: z.number().int().min(1),
  channel: z.literal('whatsapp'),
  providerMessageId: z.string().nullable(),
  status: DeliveryStatus,
  errorCode: z.string().max(20).nullable(),
  reason: z.string().max(300).nullable(),
  attempts: z.number().int().min(0),
  updatedAt: z.number().int(),
});
export type MessageDelivery = z.infer<typeof MessageDelivery>;

/** Order of statuses: a late "sent" callback never overwrites "delivered" or "read". */
export const DELIVERY_RANK: Record<DeliveryStatus, number> = {
  pending: 0,
  'not-sent': 5,
  queued: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
  undelivered: 5,
};

/** Inbound media, fetched through our server with the account's credentials when an agent opens it. */
export const InboundMedia = tenantScoped('inboundMedia').extend({
  chatId: Id,
  url: z.url(),
  contentType: z.string().max(100),
});
export type InboundMedia = z.infer<typeof InboundMedia>;
