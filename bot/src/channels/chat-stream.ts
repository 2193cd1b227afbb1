import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import type { ChatEvent } from '../core/model';
import type { ChatService } from '../services/chat/chat-service';

export type ChatStreamOptions = {
  chats: ChatService;
  log: Logger;
  tenantId: string;
  chatId: string;
  /** Send what comes after this sequence number (Last-Event-ID). */
  after: number;
  heartbeatMs: number;
  /** The side whose typing this viewer sees (the customer sees the agent's, and the other way round). */
  typingOf: 'agent' | 'customer';
  /** Events this viewer may see (the customer never sees notes meant for the agent). */
  visible: (event: ChatEvent) => boolean;
  /** The public shape of an event for this viewer. */
  view: (event: ChatEvent) => unknown;
};

/**
 * Streams one chat's log as server-sent events: what the client missed after its last event id, then
 * live events in sequence order. A gap (an event stored by another process, or two stored out of
 * order) is filled from the store. The heartbeat keeps proxies from closing the stream and picks up
 * what other processes stored: a point read of the chat says whether anything is new, so an idle
 * stream costs one cheap read per interval. The stream ends after the chat's "ended" status.
 */
export async function streamChatLog(req: Request, res: Response, o: ChatStreamOptions): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');

  let lastSent = o.after;
  let closed = false;
  let chain = Promise.resolve();
  const write = (text: string) => {
    if (!closed) res.write(text);
  };
  const send = (event: ChatEvent) => {
    if (event.seq <= lastSent) return;
    lastSent = event.seq;
    if (o.visible(event)) write(`id: ${event.seq}\nevent: ${event.kind}\ndata: ${JSON.stringify(o.view(event))}\n\n`);
    if (event.kind === 'status' && event.state === 'ended') close();
  };
  const catchUp = () => {
    chain = chain
      .then(async () => {
        if (closed) return;
        for (const event of await o.chats.eventsAfter(o.tenantId, o.chatId, lastSent)) send(event);
      })
      .catch((err: unknown) => o.log.warn({ err, chatId: o.chatId }, 'event stream catch-up failed'));
  };
  const unsubscribe = o.chats.subscribe(o.tenantId, o.chatId, (e) => {
    if (e.type === 'typing') {
      if (e.from === o.typingOf) write(`event: typing\ndata: ${JSON.stringify({ from: e.from, typing: e.typing })}\n\n`);
      return;
    }
    chain = chain.then(() => {
      if (e.event.seq === lastSent + 1) send(e.event);
      else if (e.event.seq > lastSent) catchUp();
    });
  });
  const heartbeat = setInterval(() => {
    write(': ping\n\n');
    o.chats
      .get(o.tenantId, o.chatId)
      .then((chat) => {
        if (chat && chat.lastSeq > lastSent) catchUp();
      })
      .catch((err: unknown) => o.log.warn({ err, chatId: o.chatId }, 'event stream heartbeat read failed'));
  }, o.heartbeatMs);
  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  }
  req.on('close', close);
  catchUp();
  await new Promise<void>((resolve) => req.on('close', () => resolve()));
}
