/**
 * The outcome of an operation that may be refused for a reason the caller is expected to handle (not found,
 * not allowed, invalid input): a value, or a refusal that says why. Thrown errors stay for the unexpected.
 */
export type Ok<T> = { ok: true; value: T };
export type Refused<R> = { ok: false; refusal: R };
export type Result<T, R> = Ok<T> | Refused<R>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const refuse = <R>(refusal: R): Refused<R> => ({ ok: false, refusal });
