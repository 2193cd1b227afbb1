import {
  type Chat,
  type ChatEvent,
  type Customer,
  type ImChannel,
  type MessageAuthor,
  type TaskTarget,
  chatEventId,
} from '../../core/model';
import { NotFoundError, type Store, type Stored, chatScope } from '../../store';
import { type IdSource, systemIds } from '../ids';
import type { Clock } from '../routing/clock';
import { type Result, ok, refuse } from '../../core/result';

/** Live notifications of one process: stored events, and typing (which is never stored). */
export type ChatLiveEvent =
  /** `chat`: the chat as this event left it (its `lastSeq` is the event's), so listeners need not read it. */
  | { type: 'event'; tenantId: string; chatId: string; event: ChatEvent; chat?: Stored<Chat> }
  | { type: 'typing'; tenantId: string; chatId: string; from: 'customer' | 'agent'; typing: boolean };

type Listener = (e: ChatLiveEvent) => void;

export type NewChat = {
  tenantId: string;
  target: TaskTarget;
  channel: ImChannel;
  contactId: string | null;
  customer: Customer;
  channelRef?: string | null;
};

export type StatusUpdate = Pick<
  Extract<ChatEvent, { kind: 'status' }>,
  'state' | 'position' | 'estimatedWaitSeconds' | 'agentName'
>;

export type AppendResult = Result<ChatEvent, 'chat-not-found' | 'chat-ended'>;

/**
 * Chats and their event logs. Every message and status change is stored with the next sequence number
 * of its chat (an atomic increment on the chat document) before anyone is told about it, so a client
 * that reconnects with its last event id misses nothing and sees everything in order.
 */
export class ChatService {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly all = new Set<Listener>();
  private readonly remote = new Set<(event: ChatEvent) => void>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdSource = systemIds,
  ) {}

  async open(input: NewChat): Promise<Stored<Chat>> {
    return this.store.repos.chats.create({
      id: this.ids.uuid(),
      tenantId: input.tenantId,
      type: 'chat',
      target: input.target,
      channel: input.channel,
      contactId: input.contactId,
      customer: input.customer,
      state: 'open',
      createdAt: this.clock.now(),
      endedAt: null,
      endedBy: null,
      task: null,
      agent: null,
      channelRef: input.channelRef ?? null,
      parameters: {},
      lastSeq: 0,
    });
  }

  async get(tenantId: string, chatId: string): Promise<Stored<Chat> | undefined> {
    return this.store.repos.chats.find(tenantId, chatId, chatScope(chatId));
  }

  /** Stores a message as the next event of the chat; refused once the chat has ended. */
  async postMessage(
    tenantId: string,
    chatId: string,
    from: MessageAuthor,
    authorName: string,
    text: string,
  ): Promise<AppendResult> {
    return this.append(tenantId, chatId, (seq, at) => ({
      ...this.base(tenantId, chatId, seq, at),
      kind: 'message',
      from,
      authorName,
      text,
      audience: 'all',
    }));
  }

  /** A message of the chat's customer, under the name they gave (read with the chat, not again). */
  async postCustomerMessage(tenantId: string, chatId: string, text: string): Promise<AppendResult> {
    return this.append(tenantId, chatId, (seq, at, chat) => ({
      ...this.base(tenantId, chatId, seq, at),
      kind: 'message',
      from: 'customer',
      authorName: chat.customer.displayName,
      text,
      audience: 'all',
    }));
  }

  /** A note in the chat for the agent only (a failed delivery, a channel rule); customers never see it. */
  async postAgentNote(tenantId: string, chatId: string, text: string): Promise<AppendResult> {
    return this.append(
      tenantId,
      chatId,
      (seq, at) => ({
        ...this.base(tenantId, chatId, seq, at),
        kind: 'message',
        from: 'system',
        authorName: 'System',
        text,
        audience: 'agent',
      }),
      { allowEnded: true },
    );
  }

  /**
   * A supervisor's message: a whisper reaches the agent only (stored with audience "agent", which no
   * customer channel delivers); a barge-in goes to the customer under the supervisor's name.
   */
  async postSupervisorMessage(
    tenantId: string,
    chatId: string,
    supervision: 'whisper' | 'barge-in',
    authorName: string,
    text: string,
  ): Promise<AppendResult> {
    return this.append(tenantId, chatId, (seq, at) => ({
      ...this.base(tenantId, chatId, seq, at),
      kind: 'message',
      from: supervision === 'whisper' ? 'system' : 'agent',
      authorName,
      text,
      audience: supervision === 'whisper' ? 'agent' : 'all',
      supervision,
    }));
  }

  async postStatus(tenantId: string, chatId: string, status: StatusUpdate): Promise<AppendResult> {
    return this.append(
      tenantId,
      chatId,
      (seq, at) => ({ ...this.base(tenantId, chatId, seq, at), kind: 'status', ...status }),
      { allowEnded: status.state === 'ended' },
    );
  }

  /** Events after `afterSeq`, in order: one query inside the chat's partition. */
  async eventsAfter(tenantId: string, chatId: string, afterSeq: number): Promise<Stored<ChatEvent>[]> {
    return this.store.repos.chatEvents.after(tenantId, chatId, afterSeq);
  }

  async update(tenantId: string, chatId: string, mutate: (chat: Chat) => Chat | undefined): Promise<Stored<Chat>> {
    return this.store.repos.chats.update(tenantId, chatId, mutate, { scope: chatScope(chatId), maxAttempts: 20 });
  }

  /** Ends the chat once; returns false when it had already ended. */
  async end(tenantId: string, chatId: string, by: 'customer' | 'agent' | 'system'): Promise<boolean> {
    let ended = false;
    await this.update(tenantId, chatId, (chat) => {
      ended = chat.state === 'open';
      return ended ? { ...chat, state: 'ended', endedAt: this.clock.now(), endedBy: by } : undefined;
    });
    return ended;
  }

  typing(tenantId: string, chatId: string, from: 'customer' | 'agent', typing: boolean): void {
    this.publish({ type: 'typing', tenantId, chatId, from, typing });
  }

  /** Listens to one chat's live events in this process; returns the function that stops listening. */
  subscribe(tenantId: string, chatId: string, listener: Listener): () => void {
    const key = `${tenantId}|${chatId}`;
    const set = this.listeners.get(key) ?? new Set();
    set.add(listener);
    this.listeners.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Listens to every chat's live events in this process (relays to agents, workflows). */
  subscribeAll(listener: Listener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  /** Every event another instance stored, as the change feed brings it (not what this instance stored). */
  subscribeRemote(listener: (event: ChatEvent) => void): () => void {
    this.remote.add(listener);
    return () => this.remote.delete(listener);
  }

  private base(tenantId: string, chatId: string, seq: number, at: number) {
    return { id: chatEventId(seq), tenantId, type: 'chatEvent' as const, chatId, seq, at };
  }

  private async append(
    tenantId: string,
    chatId: string,
    build: (seq: number, at: number, chat: Chat) => ChatEvent,
    options: { allowEnded?: boolean } = {},
  ): Promise<AppendResult> {
    // One write numbers the event and checks the chat is open: no read before it.
    let numbered: Stored<Chat> | undefined;
    try {
      numbered = await this.store.repos.chats.incrementWhere(tenantId, chatId, 'lastSeq', 1, {
        scope: chatScope(chatId),
        where: options.allowEnded ? undefined : "c.state = 'open'",
      });
    } catch (err) {
      if (err instanceof NotFoundError) return refuse('chat-not-found');
      throw err;
    }
    if (!numbered) return refuse('chat-ended');
    const event = await this.store.repos.chatEvents.create(build(numbered.lastSeq, this.clock.now(), numbered));
    this.publish({ type: 'event', tenantId, chatId, event, chat: numbered });
    return ok(event);
  }

  /**
   * An event another instance stored (from the change feed): told to this chat's listeners here (its
   * event streams), never to the listeners of every chat, which act on what this instance stored.
   */
  deliverRemote(event: ChatEvent): void {
    const e: ChatLiveEvent = { type: 'event', tenantId: event.tenantId, chatId: event.chatId, event };
    for (const listener of [...(this.listeners.get(`${e.tenantId}|${e.chatId}`) ?? [])]) {
      try {
        listener(e);
      } catch {
        // As in publish: one closed connection does not stop the others.
      }
    }
    for (const listener of [...this.remote]) {
      try {
        listener(event);
      } catch {
        // A failing follower must not stop the others.
      }
    }
  }

  private publish(e: ChatLiveEvent): void {
    for (const listener of [...(this.listeners.get(`${e.tenantId}|${e.chatId}`) ?? []), ...this.all]) {
      try {
        listener(e);
      } catch {
        // A broken listener (a closed connection) must not stop delivery to the others.
      }
    }
  }
}
