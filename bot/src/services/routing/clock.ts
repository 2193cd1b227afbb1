/** Time is injected so tests can move it; production uses the system clock. */
export type Clock = {
  now(): number;
  /** A signal that aborts once `ms` have passed on this clock (a deadline for outbound calls). */
  timeout(ms: number): AbortSignal;
};
export const systemClock: Clock = { now: () => Date.now(), timeout: (ms) => AbortSignal.timeout(ms) };

/** A clock tests set by hand; its timeout signals abort when the clock is moved past their deadline. */
export class ManualClock implements Clock {
  private deadlines: { at: number; controller: AbortController }[] = [];

  constructor(private current = Date.UTC(2026, 0, 5, 9, 0, 0)) {}
  now(): number {
    return this.current;
  }
  timeout(ms: number): AbortSignal {
    const controller = new AbortController();
    this.deadlines.push({ at: this.current + ms, controller });
    return controller.signal;
  }
  advance(ms: number): void {
    this.set(this.current + ms);
  }
  set(ms: number): void {
    this.current = ms;
    const due = this.deadlines.filter((d) => d.at <= this.current);
    this.deadlines = this.deadlines.filter((d) => d.at > this.current);
    for (const d of due) d.controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  }
}
