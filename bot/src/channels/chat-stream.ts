import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import type { ChatEventView, CustomerMessageEvent, CustomerStatusEvent, ResetEvent, TypingEvent } from '../contracts';
import type { ChatEvent } from '../core/model';
import type { ChatService } from '../services/chat/chat-service';
import type { ChatStreams, ChatViewer } from '../services/chat/chat-streams';
import { HttpError } from '../http/errors';

export type ChatStreamOptions = {
  chats: ChatService;
  streams: ChatStreams;
  log: Logger;
  viewer: ChatViewer;
  /** Whose streams count together against the cap: the widget's client address, the tab's user. */
  owner: string;
  tenantId: string;
  chatId: string;
  /** Send what comes after this sequence number (Last-Event-ID). */
  after: number;
  /** The side whose typing this viewer sees (the customer sees the agent's, and the other way round). */
  typingOf: 'agent' | 'customer';
  /** Events this viewer may see (the customer never sees notes meant for the agent). */
  visible: (event: ChatEvent) => boolean;
  /** The public shape of an event for this viewer: the customer's (widget) or the agent's (tab). */
  view: (event: ChatEvent) => CustomerMessageEvent | CustomerStatusEvent | ChatEventView;
};

/** Starts an event stream: headers that keep proxies from buffering it, and the client's reconnect delay. */
export function openEventStream(res: Response): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
}

/**
 * Streams one chat's log as server-sent events: what the client missed after its last event id, then
 * live events in sequence order. A gap (an event stored by another process, or two stored out of
 * order) is filled from the store. Events other instances store arrive through the change feed (see
 * services/scale-out); the heartbeat keeps proxies from closing the stream, and without the change feed
 * it also picks up what other processes stored: one point read of the chat per interval, shared by all
 * its streams in this process, says whether anything is new. The stream ends after the chat's "ended" status. Too
 * many streams of one chat or one owner are refused with 429 before anything is written.
 */
export async function streamChatLog(req: Request, res: Response, o: ChatStreamOptions): Promise<void> {
  let lastSent = o.after;
  let closed = false;
  let chain = Promise.resolve();
  const opened = o.streams.open(o.tenantId, o.chatId, o.viewer, o.owner, (lastSeq) => {
    write(': ping\n\n');
    if (lastSeq !== undefined && lastSeq > lastSent) catchUp();
  });
  if (!opened.ok) {
    const what =
      opened.refusal === 'too-many-chat-streams'
        ? 'This chat has too many open connections.'
        : 'Too many open connections from here.';
    throw new HttpError(
      429,
      'too-many-streams',
      `${what} Close another window of this chat and try again.`,
      undefined,
      { 'retry-after': '10' },
    );
  }
  const stream = opened.value;
  openEventStream(res);

  const write = (text: string) => {
    if (!closed) res.write(text);
  };
  const send = (event: ChatEvent) => {
    if (event.seq <= lastSent) return;
    lastSent = event.seq;
    if (o.visible(event)) write(`id: ${event.seq}\nevent: ${event.kind}\ndata: ${JSON.stringify(o.view(event))}\n\n`);
    if (event.kind === 'status' && event.state === 'ended') close(true);
  };
  const catchUp = () => {
    chain = chain
      .then(async () => {
        if (closed) return;
        for (const event of await o.chats.eventsAfter(o.tenantId, o.chatId, lastSent)) send(event);
      })
      .catch((err: unknown) => o.log.warn({ err, chatId: o.chatId }, 'event stream catch-up failed'));
  };
  /**
   * A client that resumes after event `after` first gets that event again: it compares it with what it
   * showed, so a log that changed under it (a store restored from an older copy) makes it reload rather
   * than skip what it has not seen. A log shorter than the client's position answers `reset`, then the
   * whole log.
   */
  const resume = () => {
    chain = chain
      .then(async () => {
        if (closed) return;
        const events = await o.chats.eventsAfter(o.tenantId, o.chatId, o.after - 1);
        const checkpoint = events[0];
        if (checkpoint?.seq !== o.after) {
          // The client shows more than the log holds: it starts over, and gets the whole log on this stream.
          const lastSeq = events.at(-1)?.seq ?? (await o.chats.get(o.tenantId, o.chatId))?.lastSeq ?? 0;
          const reset: ResetEvent = { lastSeq };
          write(`event: reset\ndata: ${JSON.stringify(reset)}\n\n`);
          lastSent = 0;
          catchUp();
          return;
        }
        if (o.visible(checkpoint))
          write(`id: ${checkpoint.seq}\nevent: ${checkpoint.kind}\ndata: ${JSON.stringify(o.view(checkpoint))}\n\n`);
        for (const event of events.slice(1)) send(event);
      })
      .catch((err: unknown) => o.log.warn({ err, chatId: o.chatId }, 'event stream resume failed'));
  };
  const unsubscribe = o.chats.subscribe(o.tenantId, o.chatId, (e) => {
    if (e.type === 'typing') {
      if (e.from === o.typingOf) {
        const typing: TypingEvent = { from: e.from, typing: e.typing };
        write(`event: typing\ndata: ${JSON.stringify(typing)}\n\n`);
      }
      return;
    }
    chain = chain.then(() => {
      if (e.event.seq === lastSent + 1) send(e.event);
      else if (e.event.seq > lastSent) catchUp();
    });
  });
  function close(chatEnded = false) {
    if (closed) return;
    closed = true;
    stream.close(chatEnded);
    unsubscribe();
    res.end();
  }
  req.on('close', () => close());
  if (o.after > 0) resume();
  else catchUp();
  await new Promise<void>((resolve) => req.on('close', () => resolve()));
}
