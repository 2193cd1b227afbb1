import type { ApiClient } from './client';
import { ApiError } from './client';

export type StreamEvent = { id: number | undefined; event: string; data: string };

/** Splits a server-sent event stream into events (comments and the retry line are skipped). */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
      let index: number;
      while ((index = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        const event: StreamEvent = { id: undefined, event: 'message', data: '' };
        let hasData = false;
        for (const line of frame.split('\n')) {
          if (line.startsWith('id:')) event.id = Number(line.slice(3).trim());
          else if (line.startsWith('event:')) event.event = line.slice(6).trim();
          else if (line.startsWith('data:')) {
            event.data += line.slice(5).trimStart();
            hasData = true;
          }
        }
        if (hasData) yield event;
      }
    }
  } finally {
    // Left early (a restart) or aborted: let go of the connection.
    reader.cancel().catch(() => undefined);
  }
}

export type FollowOptions = {
  signal: AbortSignal;
  /** Returns "restart" to drop this connection and open a new one at once (from `lastEventId()` again). */
  onEvent: (e: StreamEvent) => void | 'restart';
  /** Where to resume after a reconnect (the last event id handled). */
  lastEventId?: () => number | undefined;
  /** Called with true when connected, false while reconnecting. */
  onConnection?: (connected: boolean) => void;
  /** The server closed the stream for good (the chat ended): no reconnect. */
  isFinal?: (e: StreamEvent) => boolean;
  /** A refusal that retrying cannot fix. */
  onFatal?: (err: ApiError) => void;
};

/** Follows a stream until aborted, reconnecting with backoff and resuming after the last event id. */
export async function followStream(client: ApiClient, path: string, options: FollowOptions): Promise<void> {
  let delay = 1000;
  let restarts = 0;
  while (!options.signal.aborted) {
    let final = false;
    let restart = false;
    // One controller per connection, so a restart can drop this one without stopping the whole follow.
    const connection = new AbortController();
    const abort = () => connection.abort();
    options.signal.addEventListener('abort', abort);
    try {
      const res = await client.stream(path, connection.signal, options.lastEventId?.());
      options.onConnection?.(true);
      delay = 1000;
      for await (const event of readEvents(res.body!)) {
        if (options.onEvent(event) === 'restart') {
          restart = true;
          break;
        }
        restarts = 0;
        if (options.isFinal?.(event)) final = true;
      }
    } catch (err) {
      if (options.signal.aborted) return;
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
        options.onFatal?.(err);
        return;
      }
    } finally {
      options.signal.removeEventListener('abort', abort);
      connection.abort();
    }
    if (final || options.signal.aborted) return;
    // A restart reconnects at once; one that keeps coming back right away waits like a reconnect.
    if (restart && restarts++ === 0) continue;
    if (!restart) options.onConnection?.(false);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 15_000);
  }
}
