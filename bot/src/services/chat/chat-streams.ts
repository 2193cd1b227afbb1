import type { Logger } from 'pino';
import type { ChatService } from './chat-service';
import { type Result, ok, refuse } from '../../core/result';

/** Who watches a chat: its customer (widget) or an agent (tab). */
export type ChatViewer = 'customer' | 'agent';

export type ChatStreamLimits = {
  /** Open streams of one chat for one viewer side (tabs of one browser, a reconnect racing its predecessor). */
  perChat: number;
  /** Open streams of one owner: a client address for the widget, a user for the tab. */
  perOwner: number;
};

export const defaultChatStreamLimits: ChatStreamLimits = { perChat: 3, perOwner: 20 };

export type ChatStreamsOptions = {
  heartbeatMs: number;
  /**
   * Whether each heartbeat reads the chat to pick up what other instances stored. Off when the change
   * feed brings their events: the heartbeat is then a ping only and idle streams cost no request.
   */
  readOnHeartbeat: boolean;
  limits: ChatStreamLimits;
  log: Logger;
  /** The customer's first stream of a chat opened, or their last one closed. */
  onCustomerPresence?: (tenantId: string, chatId: string, present: boolean) => void;
};

/** One open stream: pinged once per heartbeat, with the chat's last sequence number when it was read. */
export type ChatStreamHandle = {
  /** `chatEnded`: the customer did not leave, the chat is over. */ close(chatEnded?: boolean): void;
};
export type OpenStream = Result<ChatStreamHandle, 'too-many-chat-streams' | 'too-many-client-streams'>;

type Listener = { viewer: ChatViewer; owner: string; beat: (lastSeq: number | undefined) => void };
type Watched = { tenantId: string; chatId: string; listeners: Set<Listener>; timer: NodeJS.Timeout };

/**
 * Every open event stream of this process, grouped by chat. The streams of a chat share one heartbeat;
 * without the change feed it is one point read of the chat per interval, whatever the number of
 * streams, that tells each of them whether another process stored something new. Streams per chat and
 * per owner are capped, so a token or an address cannot hold an unbounded number of sockets and timers.
 */
export class ChatStreams {
  private readonly watched = new Map<string, Watched>();
  private readonly perOwner = new Map<string, number>();

  constructor(
    private readonly chats: ChatService,
    private readonly options: ChatStreamsOptions,
  ) {}

  open(
    tenantId: string,
    chatId: string,
    viewer: ChatViewer,
    owner: string,
    beat: (lastSeq: number | undefined) => void,
  ): OpenStream {
    const key = `${tenantId}/${chatId}`;
    const existing = this.watched.get(key);
    const sameSide = existing ? [...existing.listeners].filter((l) => l.viewer === viewer).length : 0;
    if (sameSide >= this.options.limits.perChat) return refuse('too-many-chat-streams');
    if ((this.perOwner.get(owner) ?? 0) >= this.options.limits.perOwner) return refuse('too-many-client-streams');

    const watched = existing ?? this.watch(key, tenantId, chatId);
    const listener: Listener = { viewer, owner, beat };
    watched.listeners.add(listener);
    this.perOwner.set(owner, (this.perOwner.get(owner) ?? 0) + 1);
    if (viewer === 'customer' && sameSide === 0) this.options.onCustomerPresence?.(tenantId, chatId, true);

    let closed = false;
    const close = (chatEnded = false) => {
      if (closed) return;
      closed = true;
      watched.listeners.delete(listener);
      const left = (this.perOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.perOwner.set(owner, left);
      else this.perOwner.delete(owner);
      if (watched.listeners.size === 0) {
        clearInterval(watched.timer);
        this.watched.delete(key);
      }
      if (viewer === 'customer' && !chatEnded && ![...watched.listeners].some((l) => l.viewer === 'customer'))
        this.options.onCustomerPresence?.(tenantId, chatId, false);
    };
    return ok({ close });
  }

  /** Streams open in this process (for tests and local stats). */
  get size(): number {
    let n = 0;
    for (const w of this.watched.values()) n += w.listeners.size;
    return n;
  }

  /** Whether this process has a stream of the chat's customer open. */
  customerPresent(tenantId: string, chatId: string): boolean {
    return [...(this.watched.get(`${tenantId}/${chatId}`)?.listeners ?? [])].some((l) => l.viewer === 'customer');
  }

  private watch(key: string, tenantId: string, chatId: string): Watched {
    const watched: Watched = {
      tenantId,
      chatId,
      listeners: new Set(),
      timer: setInterval(() => this.beat(watched), this.options.heartbeatMs),
    };
    watched.timer.unref();
    this.watched.set(key, watched);
    return watched;
  }

  private beat(watched: Watched): void {
    if (!this.options.readOnHeartbeat) {
      for (const listener of watched.listeners) listener.beat(undefined);
      return;
    }
    this.chats
      .get(watched.tenantId, watched.chatId)
      .then((chat) => {
        for (const listener of watched.listeners) listener.beat(chat?.lastSeq ?? 0);
      })
      .catch((err: unknown) =>
        this.options.log.warn({ err, chatId: watched.chatId }, 'event stream heartbeat read failed'),
      );
  }
}
