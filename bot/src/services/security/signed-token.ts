import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod/v4';
import { type Result, ok, refuse } from '../../core/result';

export type TokenCheck<T> = Result<T, 'malformed' | 'bad-signature' | 'expired'>;

const mac = (secret: string, prefix: string, payload: string) =>
  createHmac('sha256', secret).update(`${prefix}.${payload}`).digest();

/**
 * A compact HMAC-SHA256 token: <prefix>.<claims as base64url JSON>.<signature>. The prefix names the
 * token's purpose and is signed too, so a token of one kind is never accepted as another.
 */
export function signToken<T extends { exp: number }>(claims: T, secret: string, prefix: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${prefix}.${payload}.${mac(secret, prefix, payload).toString('base64url')}`;
}

export function verifyToken<T extends { exp: number }>(
  token: string,
  secret: string,
  prefix: string,
  schema: z.ZodType<T>,
  now: number,
): TokenCheck<T> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== prefix || !parts[1] || !parts[2]) return refuse('malformed');
  const given = Buffer.from(parts[2], 'base64url');
  const expected = mac(secret, prefix, parts[1]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('bad-signature');
  let claims: T;
  try {
    claims = schema.parse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
  } catch {
    return refuse('malformed');
  }
  if (claims.exp <= now) return refuse('expired');
  return ok(claims);
}
