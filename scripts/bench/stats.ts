/** Latency samples in milliseconds, summarised as the bench prints them. */
export class Samples {
  private readonly values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  percentile(p: number): number | null {
    if (this.values.length === 0) return null;
    const sorted = [...this.values].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[index]!;
  }

  summary(): { count: number; p50: number | null; p95: number | null; p99: number | null } {
    const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    return {
      count: this.count,
      p50: round(this.percentile(50)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
    };
  }
}

export const ratio = (value: number | null, floor: number | null): number | null =>
  value === null || floor === null || floor <= 0 ? null : Math.round((value / floor) * 10) / 10;
