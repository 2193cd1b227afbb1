import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod/v4';

/** What a visitor token proves: this browser created this chat, through this contact, of this tenant. */
export const VisitorClaims = z.object({
  tid: z.string().min(1),
  chat: z.string().min(1),
  contact: z.string().min(1),
  /** Expiry, milliseconds since the epoch. */
  exp: z.number().int(),
});
export type VisitorClaims = z.infer<typeof VisitorClaims>;

export type TokenCheck = { ok: true; claims: VisitorClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const PREFIX = 'v1';
const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest();

/** A compact HMAC-SHA256 token: v1.<claims as base64url JSON>.<signature>. */
export function signVisitorToken(claims: VisitorClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(VisitorClaims.parse(claims))).toString('base64url');
  return `${PREFIX}.${payload}.${mac(secret, payload).toString('base64url')}`;
}

export function verifyVisitorToken(token: string, secret: string, now: number): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(parts[2], 'base64url');
  const expected = mac(secret, parts[1]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let claims: VisitorClaims;
  try {
    claims = VisitorClaims.parse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.exp <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
