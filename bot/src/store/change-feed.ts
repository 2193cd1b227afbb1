import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeFeedStartFrom, type ChangeFeedPullModelIterator, type Container, StatusCodes } from '@azure/cosmos';
import type { Logger } from 'pino';

/** A changed document as the feed returns it: its latest version, with its system properties. */
export type FeedDocument = { id: string; type?: unknown; _etag: string; _ts: number } & Record<string, unknown>;

export type ChangeFeedOptions = {
  /** How long to wait after a poll found nothing new (CHANGE_FEED_POLL_MS). */
  pollMs: number;
  /** Documents per request. */
  maxItemCount: number;
  /** The longest wait after failed polls (doubling from pollMs). */
  maxBackoffMs: number;
};

export const defaultChangeFeedOptions: ChangeFeedOptions = { pollMs: 500, maxItemCount: 100, maxBackoffMs: 10_000 };

export type ChangeFeedStats = { polls: number; documents: number; failures: number };

type Feed = { name: string; container: Container; iterator: ChangeFeedPullModelIterator<FeedDocument> };

/**
 * Reads the change feed of some containers (pull model, "latest version" mode, from the moment it
 * starts) and hands every batch of changed documents to `deliver`, in the order the feed gives them.
 * A container's loop polls again at once while the feed has more, waits `pollMs` when it answers 304,
 * and backs off on errors; the iterator keeps its continuation, so a failed poll is retried from the
 * same place and nothing is skipped. One loop per container, so a busy one does not delay the others.
 */
export class ChangeFeedReader {
  private readonly feeds: Feed[];
  private readonly loops: Promise<void>[] = [];
  private readonly abort = new AbortController();
  readonly stats: ChangeFeedStats = { polls: 0, documents: 0, failures: 0 };

  constructor(
    containers: Record<string, Container>,
    private readonly deliver: (container: string, docs: FeedDocument[]) => void | Promise<void>,
    private readonly log: Logger,
    private readonly options: ChangeFeedOptions = defaultChangeFeedOptions,
  ) {
    this.feeds = Object.entries(containers).map(([name, container]) => ({
      name,
      container,
      iterator: container.items.getChangeFeedIterator<FeedDocument>({
        changeFeedStartFrom: ChangeFeedStartFrom.Now(),
        maxItemCount: options.maxItemCount,
      }),
    }));
  }

  /**
   * Pins "now" with a first read of every feed, so every change after start() resolved is delivered;
   * then polls until stop().
   */
  async start(): Promise<void> {
    await Promise.all(this.feeds.map((feed) => this.poll(feed)));
    for (const feed of this.feeds) this.loops.push(this.run(feed));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  /** One request; whether the feed had something. */
  private async poll(feed: Feed): Promise<boolean> {
    this.stats.polls++;
    const response = await feed.iterator.readNext();
    if (response.statusCode === StatusCodes.NotModified || response.result.length === 0) return false;
    this.stats.documents += response.result.length;
    try {
      await this.deliver(feed.name, response.result);
    } catch (err) {
      // The documents are read: a listener that fails loses its own work, not the feed's position.
      this.log.error({ err, container: feed.name }, 'change feed listener failed');
    }
    return true;
  }

  private async run(feed: Feed): Promise<void> {
    const { signal } = this.abort;
    let backoff = this.options.pollMs;
    while (!signal.aborted) {
      let more: boolean;
      try {
        more = await this.poll(feed);
        backoff = this.options.pollMs;
      } catch (err) {
        this.stats.failures++;
        if (signal.aborted) return;
        this.log.warn({ err, container: feed.name }, 'change feed read failed; retrying');
        backoff = Math.min(this.options.maxBackoffMs, backoff * 2);
        await sleep(backoff, undefined, { signal }).catch(() => undefined);
        continue;
      }
      if (!more) await sleep(this.options.pollMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
