import type { BaseDoc, Stored } from './repository';

/**
 * A document just written: what it is now and, when known, what it was before the write. `local`: this
 * process wrote it (announced types only); `remote`: another instance did, as the change feed told.
 */
export type StoreChange<T extends BaseDoc = BaseDoc> = {
  doc: Stored<T>;
  before: Stored<T> | undefined;
  origin: 'local' | 'remote';
};

type Listener = (change: StoreChange) => void;

/**
 * Tells the process about written documents of the types it announces (configuration whose change
 * can change a routing decision), and remembers which versions it wrote itself so the change feed
 * can leave them out. Listeners run after the write was acknowledged; a listener that throws is
 * reported and never fails the write.
 */
export class StoreChanges {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Etags of this process's latest writes, oldest first: the change feed skips what this process wrote. */
  private readonly local = new Set<string>();
  static readonly LOCAL_WRITES_KEPT = 20_000;

  constructor(private readonly onListenerError: (err: unknown, type: string) => void = () => undefined) {}

  /** Listens to writes of one document type; returns the function that stops listening. */
  on<T extends BaseDoc>(type: T['type'], listener: (change: StoreChange<T>) => void): () => void {
    const set = this.listeners.get(type) ?? new Set<Listener>();
    this.listeners.set(type, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  /** Notes a write this process made (every repository, announced or not). */
  wroteLocally(etag: string): void {
    this.local.add(etag);
    if (this.local.size > StoreChanges.LOCAL_WRITES_KEPT) this.local.delete(this.local.values().next().value!);
  }

  /** Whether a document version (by its etag) was written by this process, as far as it remembers. */
  isLocal(etag: string): boolean {
    return this.local.has(etag);
  }

  emit(change: StoreChange): void {
    for (const listener of this.listeners.get(change.doc.type) ?? []) {
      try {
        listener(change);
      } catch (err) {
        this.onListenerError(err, change.doc.type);
      }
    }
  }
}
