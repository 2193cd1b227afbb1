/**
 * The local dev sign-in's token, kept for this browser tab only (sessionStorage), so a reload keeps
 * the person signed in and a second tab can act as someone else.
 */
const KEY = 'contact-center:dev-sign-in';

export type DevSession = { token: string; tenantId: string; userId: string };

export function loadDevSession(): DevSession | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<DevSession>;
    return typeof value.token === 'string' && typeof value.tenantId === 'string' && typeof value.userId === 'string'
      ? { token: value.token, tenantId: value.tenantId, userId: value.userId }
      : undefined;
  } catch {
    return undefined;
  }
}

export function saveDevSession(session: DevSession): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearDevSession(): void {
  sessionStorage.removeItem(KEY);
}
