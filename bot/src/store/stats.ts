import type { EmbeddedRequestCounts } from './embedded';

/** Counts store requests, for benchmarks and for the conflict figures of the race tests. */
export class StoreStats {
  reads = 0;
  writes = 0;
  queries = 0;
  conflicts = 0;
  /** Point reads answered from the configuration cache (not requests). */
  cacheHits = 0;

  /**
   * @param http The HTTP requests the store's server received, counted there (embedded store only):
   * query plans and paged queries included, which the repository counts above do not see.
   */
  constructor(private readonly http?: () => EmbeddedRequestCounts) {}

  snapshot(): {
    reads: number;
    writes: number;
    queries: number;
    conflicts: number;
    cacheHits: number;
    total: number;
    http?: EmbeddedRequestCounts;
  } {
    return {
      reads: this.reads,
      writes: this.writes,
      queries: this.queries,
      conflicts: this.conflicts,
      cacheHits: this.cacheHits,
      total: this.reads + this.writes + this.queries,
      ...(this.http ? { http: this.http() } : {}),
    };
  }
}
