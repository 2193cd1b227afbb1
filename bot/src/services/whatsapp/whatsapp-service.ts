import type { Logger } from 'pino';
import { z } from 'zod/v4';
import { serviceReachableByWhatsApp } from '../../core/licensing';
import {
  type Chat,
  type ChatEvent,
  DELIVERY_RANK,
  type DeliveryStatus,
  E164,
  type MessageDelivery,
  type WhatsAppConnector,
  threadId,
} from '../../core/model';
import {
  DEFAULT_RETRY_POLICY,
  type RateWindow,
  WHATSAPP_SENDER_LIMITS,
  WHATSAPP_TEXT_LIMITS,
  splitText,
} from '../../core/relay';
import {
  AlreadyExistsError,
  type Store,
  WHATSAPP_INBOUND_SCOPE,
  chatScope,
  queueScope,
  whatsappThreadScope,
} from '../../store';
import type { ChatService } from '../chat/chat-service';
import { DeliveryLane, type DeliveryTiming, SendFailure, type Turn, systemTiming } from '../delivery';
import type { Routing } from '../routing';
import type { Clock } from '../routing/clock';
import { signToken, verifyToken } from '../security/signed-token';
import type { TwilioClient } from './twilio-client';
import { type Result, ok, refuse } from '../../core/result';

const isTwilioMediaUrl = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.port === '' && /(^|\.)twilio\.com$/.test(parsed.hostname);
  } catch {
    return false;
  }
};

/** Twilio's resource ids: two letters naming the kind (SM, MM, AC) and 32 hex digits. */
const TwilioSid = z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, 'must be a Twilio id');

/** The inbound webhook's fields we read; Twilio adds fields over time, so the rest is accepted. */
export const InboundMessage = z
  .object({
    MessageSid: TwilioSid,
    AccountSid: TwilioSid,
    From: z.string().regex(/^whatsapp:\+\d{7,15}$/),
    To: z.string().regex(/^whatsapp:\+\d{7,15}$/),
    Body: z.string().max(4096).default(''),
    NumMedia: z.coerce.number().int().min(0).max(10).default(0),
    ProfileName: z.string().max(100).optional(),
  })
  .passthrough();

export const StatusCallback = z
  .object({
    MessageSid: TwilioSid,
    MessageStatus: z.string().min(1).max(30),
    ErrorCode: z.string().max(20).optional(),
  })
  .passthrough();

export type InboundResult = 'new-chat' | 'appended' | 'duplicate' | 'unknown-sender' | 'not-reachable' | 'empty';

export type WhatsAppOptions = {
  /** Sends per message part: the first try and the retries the delivery lane's retry rule allows. */
  attempts: number;
  /** The backoff's base: the first retry waits up to this long (full jitter), each next one up to twice as long. */
  baseDelayMs: number;
  /** Longest body one WhatsApp message carries; longer agent messages are split. */
  maxBodyLength: number;
  /** Twilio's throughput per WhatsApp sender number, shared by all of its chats. */
  senderLimits: readonly RateWindow[];
  mediaMaxBytes: number;
  windowMs: number;
  /** How the delivery lane waits and draws its jitter (tests pass their own). */
  timing?: Partial<DeliveryTiming>;
};

export const defaultWhatsAppOptions: WhatsAppOptions = {
  attempts: 5,
  baseDelayMs: 500,
  maxBodyLength: WHATSAPP_TEXT_LIMITS.maxChars,
  senderLimits: WHATSAPP_SENDER_LIMITS,
  mediaMaxBytes: 16 * 1024 * 1024,
  windowMs: 24 * 3600 * 1000,
};

const MediaClaims = z.object({ tid: z.string(), chat: z.string(), media: z.string(), exp: z.number().int() });
const MEDIA_PREFIX = 'wm1';

const STATUS_MAP: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  queued: 'queued',
  scheduled: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'undelivered',
  canceled: 'failed',
};

/** A delivery's id in its chat's partition: one per chat event sent to WhatsApp. */
const deliveryId = (seq: number): string => `d-${seq}`;

type Content = { body: string } | { contentSid: string };

export type WhatsAppServiceDeps = {
  store: Store;
  chats: ChatService;
  routing: Routing;
  clock: Clock;
  log: Logger;
  twilio: TwilioClient;
  baseUrl: string;
  mediaSecret: string;
  startServiceTask: (ref: { tenantId: string; queue: string; taskId: string }) => Promise<void>;
  options: WhatsAppOptions;
};

/**
 * WhatsApp through Twilio. Inbound messages join the open chat of that number with that service, or
 * open one with a task and the service's workflow; each MessageSid is processed once. Agent and
 * workflow messages of WhatsApp chats go out through the delivery lane: in order per chat, within the
 * sender number's rate, retried by the lane's rule; a message that still fails, or that the 24-hour
 * customer-service window forbids, is recorded and the agent is told.
 */
export class WhatsAppService {
  private readonly lane: DeliveryLane;
  private stop: (() => void) | undefined;

  constructor(private readonly deps: WhatsAppServiceDeps) {
    const { options, clock } = deps;
    this.lane = new DeliveryLane({
      // Per chat only the order; the rate limit is the sender's, over its chats.
      windows: [],
      groupWindows: options.senderLimits,
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: options.attempts, baseDelayMs: options.baseDelayMs },
      clock,
      ...systemTiming,
      ...options.timing,
    });
  }

  /** Starts relaying agent and workflow messages of WhatsApp chats to Twilio. */
  start(): void {
    this.stop ??= this.deps.chats.subscribeAll((e) => {
      if (e.type !== 'event' || e.event.kind !== 'message' || e.event.from === 'customer' || e.event.audience !== 'all')
        return;
      // The chat came with the event: a website chat's messages are none of WhatsApp's business.
      if (e.chat && e.chat.channel !== 'whatsapp') return;
      this.enqueue(e.tenantId, e.chatId, e.event);
    });
  }

  /** Waits until every queued send is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.lane.idle();
  }

  /** Stops taking new messages; what is queued still goes out (`idle` waits for it), so the lane stays open. */
  close(): void {
    this.stop?.();
    this.stop = undefined;
  }

  async connector(connectorId: string): Promise<WhatsAppConnector | undefined> {
    const tenantId = await this.deps.store.directory.findConnector(connectorId);
    return tenantId ? this.deps.store.repos.whatsappConnectors.find(tenantId, connectorId) : undefined;
  }

  async inbound(
    connector: WhatsAppConnector,
    message: z.infer<typeof InboundMessage>,
    raw: Record<string, string>,
  ): Promise<InboundResult> {
    const tenantId = connector.tenantId;
    const to = message.To.slice('whatsapp:'.length);
    const from = E164.parse(message.From.slice('whatsapp:'.length));
    const sender = connector.senders.find((s) => s.number === to);
    if (!sender) return 'unknown-sender';
    const [tenant, service] = await Promise.all([
      this.deps.store.repos.tenants.find(tenantId, tenantId),
      this.deps.store.repos.services.find(tenantId, sender.serviceId),
    ]);
    if (
      !tenant ||
      !service ||
      !service.im.enabled ||
      !service.im.channels.whatsapp ||
      !serviceReachableByWhatsApp(tenant, service).allowed
    ) {
      this.deps.log.warn(
        { tenantId, serviceId: sender.serviceId },
        'WhatsApp message for a service that is not reachable by WhatsApp',
      );
      return 'not-reachable';
    }
    try {
      await this.deps.store.repos.whatsappInbound.create({
        id: message.MessageSid,
        tenantId,
        type: 'whatsappInbound',
        chatId: null,
        at: this.deps.clock.now(),
      });
    } catch (err) {
      if (err instanceof AlreadyExistsError) return 'duplicate';
      throw err;
    }
    try {
      return await this.deliverInbound(connector, service.id, sender.number, from, message, raw);
    } catch (err) {
      // Let Twilio's retry process the message again rather than lose it.
      await this.deps.store.repos.whatsappInbound
        .delete(tenantId, message.MessageSid, { scope: WHATSAPP_INBOUND_SCOPE })
        .catch(() => undefined);
      throw err;
    }
  }

  private async deliverInbound(
    connector: WhatsAppConnector,
    serviceId: string,
    senderNumber: string,
    from: string,
    message: z.infer<typeof InboundMessage>,
    raw: Record<string, string>,
  ): Promise<InboundResult> {
    const tenantId = connector.tenantId;
    const now = this.deps.clock.now();
    const id = threadId(serviceId, from);
    const thread = await this.deps.store.repos.whatsappThreads.find(tenantId, id, whatsappThreadScope(serviceId));
    const open = thread ? await this.deps.chats.get(tenantId, thread.chatId) : undefined;
    const customer = { displayName: (message.ProfileName || from).slice(0, 100), email: null, address: from };
    const chat: Chat =
      open && open.state === 'open'
        ? open
        : await this.deps.chats.open({
            tenantId,
            target: { kind: 'service', serviceId },
            channel: 'whatsapp',
            contactId: null,
            customer,
            channelRef: id,
          });

    const mediaLines: string[] = [];
    for (let i = 0; i < message.NumMedia; i++) {
      const url = raw[`MediaUrl${i}`];
      // Only Twilio's own media links: the server fetches them with the account's credentials.
      if (!url || !isTwilioMediaUrl(url)) continue;
      const contentType = (raw[`MediaContentType${i}`] ?? 'application/octet-stream').slice(0, 100);
      const mediaId = `m-${message.MessageSid}-${i}`;
      await this.deps.store.repos.inboundMedia.upsert({
        id: mediaId,
        tenantId,
        type: 'inboundMedia',
        chatId: chat.id,
        url,
        contentType,
      });
      mediaLines.push(`[${contentType}] ${this.mediaLink(tenantId, chat.id, mediaId)}`);
    }
    const text = [message.Body.trim(), ...mediaLines].filter(Boolean).join('\n');
    await this.deps.store.repos.whatsappThreads.upsert({
      id,
      tenantId,
      type: 'whatsappThread',
      serviceId,
      address: from,
      chatId: chat.id,
      connectorId: connector.id,
      senderNumber,
      lastInboundAt: now,
    });
    if (!text) return 'empty';
    await this.deps.store.repos.whatsappInbound.upsert({
      id: message.MessageSid,
      tenantId,
      type: 'whatsappInbound',
      chatId: chat.id,
      at: now,
    });

    if (chat === open) {
      await this.deps.chats.postCustomerMessage(tenantId, chat.id, text);
      return 'appended';
    }
    const task = await this.deps.routing.tasks.create({
      tenantId,
      target: { kind: 'service', serviceId },
      channel: 'whatsapp',
      chatId: chat.id,
      customer,
      firstMessage: text.slice(0, 4000),
    });
    const ref = { tenantId, queue: queueScope(task.target), taskId: task.id };
    await this.deps.chats.update(tenantId, chat.id, (c) => ({ ...c, task: { id: task.id, queue: ref.queue } }));
    await this.deps.chats.postCustomerMessage(tenantId, chat.id, text);
    await this.deps.startServiceTask(ref);
    this.deps.log.info({ tenantId, chatId: chat.id, taskId: task.id, serviceId }, 'WhatsApp chat created');
    return 'new-chat';
  }

  /** A signed link through our server to one inbound media item (valid 7 days). */
  mediaLink(tenantId: string, chatId: string, mediaId: string): string {
    const token = signToken(
      { tid: tenantId, chat: chatId, media: mediaId, exp: this.deps.clock.now() + 7 * 24 * 3600 * 1000 },
      this.deps.mediaSecret,
      MEDIA_PREFIX,
    );
    return `${this.deps.baseUrl}/whatsapp/v1/media/${token}`;
  }

  async fetchMedia(
    token: string,
  ): Promise<
    Result<{ contentType: string; body: Buffer }, 'invalid-link' | 'not-found' | 'too-large' | 'unavailable'>
  > {
    const check = verifyToken(token, this.deps.mediaSecret, MEDIA_PREFIX, MediaClaims, this.deps.clock.now());
    if (!check.ok) return refuse('invalid-link');
    const { tid, chat, media } = check.value;
    const item = await this.deps.store.repos.inboundMedia.find(tid, media, chatScope(chat));
    const chatDoc = await this.deps.chats.get(tid, chat);
    const connectorId = chatDoc?.channelRef ? (await this.threadOf(tid, chatDoc))?.connectorId : undefined;
    const connector = connectorId ? await this.deps.store.repos.whatsappConnectors.find(tid, connectorId) : undefined;
    if (!item || !connector) return refuse('not-found');
    return this.deps.twilio.fetchMedia(connector, item.url, this.deps.options.mediaMaxBytes);
  }

  /** Twilio reports a message's fate; statuses only move forward (a late "sent" never hides "read"). */
  async status(
    connector: WhatsAppConnector,
    chatId: string,
    seq: number,
    callback: z.infer<typeof StatusCallback>,
  ): Promise<boolean> {
    const tenantId = connector.tenantId;
    const next = STATUS_MAP[callback.MessageStatus];
    if (!next) return false;
    let failedNow = false;
    const existing = await this.deps.store.repos.deliveries.find(tenantId, deliveryId(seq), chatScope(chatId));
    if (!existing) return false;
    await this.deps.store.repos.deliveries.update(
      tenantId,
      deliveryId(seq),
      (d) => {
        if (DELIVERY_RANK[next] < DELIVERY_RANK[d.status] || d.status === next) return undefined;
        failedNow = next === 'failed' || next === 'undelivered';
        return { ...d, status: next, errorCode: callback.ErrorCode ?? d.errorCode, updatedAt: this.deps.clock.now() };
      },
      { scope: chatScope(chatId) },
    );
    if (failedNow)
      await this.deps.chats.postAgentNote(
        tenantId,
        chatId,
        `A WhatsApp message was not delivered (error ${callback.ErrorCode ?? 'unknown'}).`,
      );
    return true;
  }

  /** Sends the connector's approved template: the way back to a customer outside the 24-hour window. */
  async sendTemplate(
    tenantId: string,
    chatId: string,
  ): Promise<Result<null, 'not-whatsapp' | 'no-template' | 'chat-ended'>> {
    const chat = await this.deps.chats.get(tenantId, chatId);
    if (!chat || chat.channel !== 'whatsapp') return refuse('not-whatsapp');
    if (chat.state === 'ended') return refuse('chat-ended');
    const thread = await this.threadOf(tenantId, chat);
    const connector = thread
      ? await this.deps.store.repos.whatsappConnectors.find(tenantId, thread.connectorId)
      : undefined;
    if (!thread || !connector?.templateContentSid) return refuse('no-template');
    const note = await this.deps.chats.postAgentNote(
      tenantId,
      chatId,
      'The approved WhatsApp template was sent to the customer.',
    );
    if (!note.ok) return refuse('chat-ended');
    this.enqueueSend(
      tenantId,
      chatId,
      note.value.seq,
      { contentSid: connector.templateContentSid },
      { checkWindow: false },
    );
    return ok(null);
  }

  private async threadOf(tenantId: string, chat: Chat) {
    if (!chat.channelRef) return undefined;
    const m = /^wa-(.+)-\d+$/.exec(chat.channelRef);
    return m
      ? this.deps.store.repos.whatsappThreads.find(tenantId, chat.channelRef, whatsappThreadScope(m[1]!))
      : undefined;
  }

  private enqueue(tenantId: string, chatId: string, event: Extract<ChatEvent, { kind: 'message' }>): void {
    this.enqueueSend(tenantId, chatId, event.seq, { body: event.text }, { checkWindow: true });
  }

  /** One lane turn per message keeps a chat's messages in order; different chats send in parallel. */
  private enqueueSend(
    tenantId: string,
    chatId: string,
    seq: number,
    content: Content,
    opts: { checkWindow: boolean },
  ): void {
    this.lane
      .run(`${tenantId}|${chatId}`, (turn) => this.send(turn, tenantId, chatId, seq, content, opts))
      .catch((err: unknown) => this.deps.log.error({ err, tenantId, chatId, seq }, 'WhatsApp send failed'));
  }

  private async send(
    turn: Turn,
    tenantId: string,
    chatId: string,
    seq: number,
    content: Content,
    opts: { checkWindow: boolean },
  ): Promise<void> {
    const chat = await this.deps.chats.get(tenantId, chatId);
    if (!chat || chat.channel !== 'whatsapp') return;
    const thread = await this.threadOf(tenantId, chat);
    const connector = thread
      ? await this.deps.store.repos.whatsappConnectors.find(tenantId, thread.connectorId)
      : undefined;
    const record = (patch: Partial<MessageDelivery>) =>
      this.deps.store.repos.deliveries.upsert({
        id: deliveryId(seq),
        tenantId,
        type: 'delivery',
        chatId,
        seq,
        channel: 'whatsapp',
        providerMessageId: null,
        status: 'pending',
        errorCode: null,
        reason: null,
        attempts: 0,
        updatedAt: this.deps.clock.now(),
        ...patch,
      });
    if (!thread || !connector) {
      await record({ status: 'not-sent', reason: 'no WhatsApp connector for this chat' });
      await this.deps.chats.postAgentNote(
        tenantId,
        chatId,
        'This message was not sent: the WhatsApp connection of this chat is not configured any more.',
      );
      return;
    }
    if (opts.checkWindow && this.deps.clock.now() - thread.lastInboundAt > this.deps.options.windowMs) {
      await record({ status: 'not-sent', reason: 'outside the 24-hour customer-service window' });
      const hint = connector.templateContentSid
        ? ' Send the approved template instead.'
        : ' No approved template is configured for this connection.';
      await this.deps.chats.postAgentNote(
        tenantId,
        chatId,
        `Not sent: the customer last wrote more than 24 hours ago, and WhatsApp allows only approved templates after that.${hint}`,
      );
      return;
    }
    await record({ status: 'pending' });
    const parts: Content[] =
      'body' in content
        ? splitText(content.body, { maxChars: this.deps.options.maxBodyLength }).map((body) => ({ body }))
        : [content];
    const statusCallback = `${this.deps.baseUrl}/whatsapp/v1/status/${connector.id}?chat=${encodeURIComponent(chatId)}&seq=${seq}`;
    // The sender's rate is shared by every chat of that number.
    const sender = `${tenantId}|${thread.senderNumber}`;
    let attempts = 0;
    for (const part of parts) {
      const result = await turn.send(
        async () => {
          const outcome = await this.deps.twilio.send(connector, {
            from: thread.senderNumber,
            to: thread.address,
            statusCallback,
            ...part,
          });
          if (!outcome.ok) throw new SendFailure(outcome.failure);
          return outcome.sid;
        },
        { group: sender },
      );
      attempts += result.attempts;
      if (!result.ok) {
        const { code, message } = result.failure;
        await record({ status: 'failed', errorCode: code ?? null, reason: message.slice(0, 300), attempts });
        await this.deps.chats.postAgentNote(
          tenantId,
          chatId,
          `This message could not be sent to WhatsApp: ${message}${code ? ` (error ${code})` : ''}.`,
        );
        return;
      }
      // A status callback may already have moved this delivery further; never move it back.
      const sent = attempts;
      const sid = result.value;
      await this.deps.store.repos.deliveries.update(
        tenantId,
        deliveryId(seq),
        (d) => ({
          ...d,
          providerMessageId: sid,
          attempts: sent,
          status: DELIVERY_RANK[d.status] > DELIVERY_RANK.queued ? d.status : 'queued',
          updatedAt: this.deps.clock.now(),
        }),
        { scope: chatScope(chatId) },
      );
    }
  }
}
