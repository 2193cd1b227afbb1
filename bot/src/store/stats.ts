/** Counts store requests, for benchmarks and for the conflict figures of the race tests. */
export class StoreStats {
  reads = 0;
  writes = 0;
  queries = 0;
  conflicts = 0;
  /** Point reads answered from the configuration cache (not requests). */
  cacheHits = 0;

  snapshot(): { reads: number; writes: number; queries: number; conflicts: number; cacheHits: number; total: number } {
    return {
      reads: this.reads,
      writes: this.writes,
      queries: this.queries,
      conflicts: this.conflicts,
      cacheHits: this.cacheHits,
      total: this.reads + this.writes + this.queries,
    };
  }
}
