/** A minimal server-sent-events client over fetch, for API tests (browsers use EventSource). */
export type SseEvent = { id: string | undefined; event: string; data: string };

export type SseStream = {
  status: number;
  /** Waits for the next event (comments and the retry line are skipped). */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Collects events until `predicate` holds for one. */
  until(predicate: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
  /** Resolves when the server closed the stream. */
  ended: Promise<void>;
};

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const queue: SseEvent[] = [];
  const waiters: { resolve: (e: SseEvent) => void; reject: (err: Error) => void }[] = [];
  let buffer = '';
  let over = false;
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let index: number;
        while ((index = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, index);
          buffer = buffer.slice(index + 2);
          const event: SseEvent = { id: undefined, event: 'message', data: '' };
          let hasData = false;
          for (const line of frame.split('\n')) {
            if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              event.data += line.slice(6);
              hasData = true;
            }
          }
          if (!hasData) continue;
          const waiter = waiters.shift();
          if (waiter) waiter.resolve(event);
          else queue.push(event);
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      // Nothing more can come: whoever waits hears it now, not at their timeout.
      over = true;
      for (const waiter of waiters.splice(0)) waiter.reject(new Error('the stream ended'));
    }
  })();
  const next = (timeoutMs = 5000) =>
    new Promise<SseEvent>((resolve, reject) => {
      const queued = queue.shift();
      if (queued) return resolve(queued);
      if (over) return reject(new Error('the stream ended'));
      const timer = setTimeout(() => {
        // A waiter that gave up takes no event with it: the next one goes to the next caller.
        const at = waiters.indexOf(waiter);
        if (at >= 0) waiters.splice(at, 1);
        reject(new Error('no event in time'));
      }, timeoutMs);
      const waiter = {
        resolve: (e: SseEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      waiters.push(waiter);
    });
  return {
    status: res.status,
    next,
    async until(predicate, timeoutMs = 5000) {
      const seen: SseEvent[] = [];
      for (;;) {
        const e = await next(timeoutMs);
        seen.push(e);
        if (predicate(e)) return seen;
      }
    },
    close: () => controller.abort(),
    ended,
  };
}

/** A chat message a stream showed: its event id (the chat's sequence number) and text. */
export type StreamedMessage = { seq: number; text: string };

/**
 * Follows a chat's event stream in the background: the messages in arrival order, the status states,
 * and any sequence number shown twice. `done` settles when the stream ends or is quiet for `quietMs`.
 */
export function collectChat(stream: SseStream, quietMs = 120_000) {
  const messages: StreamedMessage[] = [];
  const states: string[] = [];
  const duplicates: number[] = [];
  const seen = new Set<number>();
  const done = (async () => {
    for (;;) {
      let e;
      try {
        e = await stream.next(quietMs);
      } catch {
        return;
      }
      if (e.event === 'status') states.push((JSON.parse(e.data) as { state: string }).state);
      if (e.event !== 'message' || !e.id) continue;
      const seq = Number(e.id);
      if (seen.has(seq)) duplicates.push(seq);
      seen.add(seq);
      messages.push({ seq, text: (JSON.parse(e.data) as { text: string }).text });
    }
  })();
  return { messages, states, duplicates, done };
}
