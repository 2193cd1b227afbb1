/**
 * Token buckets per key (an IP, a chat): `burst` requests at once, refilled at `perMinute`. In memory
 * per process; behind several instances each enforces its own share.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perMinute: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token; when none is left, says how many seconds until one is. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    const tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * ratePerMs);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000)) };
    }
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    // Oldest keys go first when memory is bounded (Map keeps insertion order).
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return { ok: true };
  }
}
