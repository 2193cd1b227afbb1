import { z } from 'zod/v4';
import { type TokenCheck, signToken, verifyToken } from '../security/signed-token';

/** What a visitor token proves: this browser created this chat, through this contact, of this tenant. */
export const VisitorClaims = z.object({
  tid: z.string().min(1),
  chat: z.string().min(1),
  contact: z.string().min(1),
  /** Expiry, milliseconds since the epoch. */
  exp: z.number().int(),
});
export type VisitorClaims = z.infer<typeof VisitorClaims>;

const PREFIX = 'v1';

export function signVisitorToken(claims: VisitorClaims, secret: string): string {
  return signToken(VisitorClaims.parse(claims), secret, PREFIX);
}

export function verifyVisitorToken(token: string, secret: string, now: number): TokenCheck<VisitorClaims> {
  return verifyToken(token, secret, PREFIX, VisitorClaims, now);
}
