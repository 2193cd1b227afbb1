import type { Logger } from 'pino';
import type { ChatEvent } from '../../core/model';
import type { Store } from '../../store';
import { type ChangeFeedOptions, ChangeFeedReader, type FeedDocument } from '../../store/change-feed';
import { type BaseDoc, Repository } from '../../store/repository';
import type { ChatService } from '../chat/chat-service';

/** Every repository of the store by the document type it holds (found by walking the repositories). */
function repositoriesByType(repos: object): Map<string, Repository<BaseDoc>> {
  const found = new Map<string, Repository<BaseDoc>>();
  const walk = (value: unknown) => {
    if (value instanceof Repository) found.set(value.type, value as Repository<BaseDoc>);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  walk(repos);
  return found;
}

export type ChangeFanout = { reader: ChangeFeedReader; stop(): Promise<void> };

/**
 * Makes this instance see what other instances write, through the Cosmos change feed of the chats,
 * routing and config containers: a chat event reaches this instance's event streams of that chat; a
 * task or agent change reaches the tabs watching it (as a remote store change); a configuration or
 * Teams document drops the cached copy it replaces. What this instance wrote itself is skipped (it
 * already told its listeners). Returns once the feeds are pinned at "now".
 */
export async function startChangeFanout(
  store: Store,
  chats: ChatService,
  log: Logger,
  options: ChangeFeedOptions,
): Promise<ChangeFanout> {
  const byType = repositoriesByType(store.repos);
  const { chats: chatsContainer, routing, config } = store.cosmos.containers;
  const deliver = (_container: string, docs: FeedDocument[]) => {
    for (const raw of docs) {
      if (store.changes.isLocal(raw._etag)) continue;
      const repo = typeof raw.type === 'string' ? byType.get(raw.type) : undefined;
      const doc = repo?.fromFeed(raw);
      if (!doc) continue;
      if (doc.type === 'chatEvent') chats.deliverRemote(doc as unknown as ChatEvent);
      store.changes.emit({ doc, before: undefined, origin: 'remote' });
    }
  };
  const reader = new ChangeFeedReader(
    { chats: chatsContainer, routing, config },
    deliver,
    log.child({ component: 'change-feed' }),
    options,
  );
  await reader.start();
  return { reader, stop: () => reader.stop() };
}
