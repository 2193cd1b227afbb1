/** Counts store requests, for benchmarks and for the conflict figures of the race tests. */
export class StoreStats {
  reads = 0;
  writes = 0;
  queries = 0;
  conflicts = 0;

  snapshot(): { reads: number; writes: number; queries: number; conflicts: number; total: number } {
    return {
      reads: this.reads,
      writes: this.writes,
      queries: this.queries,
      conflicts: this.conflicts,
      total: this.reads + this.writes + this.queries,
    };
  }
}
