import type { BaseDoc, Stored } from './repository';

/** A document just written: what it is now and, when known, what it was before the write. */
export type StoreChange<T extends BaseDoc = BaseDoc> = { doc: Stored<T>; before: Stored<T> | undefined };

type Listener = (change: StoreChange) => void;

/**
 * Tells the process about written documents of the types it announces (configuration whose change
 * can change a routing decision). Listeners run after the write was acknowledged; a listener that
 * throws is reported and never fails the write.
 */
export class StoreChanges {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly onListenerError: (err: unknown, type: string) => void = () => undefined) {}

  /** Listens to writes of one document type; returns the function that stops listening. */
  on<T extends BaseDoc>(type: T['type'], listener: (change: StoreChange<T>) => void): () => void {
    const set = this.listeners.get(type) ?? new Set<Listener>();
    this.listeners.set(type, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
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
