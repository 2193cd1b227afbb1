import { randomUUID } from 'node:crypto';
import { type Store, openStore } from '../../bot/src/store';

/**
 * A real store on its own embedded Cosmos server (in memory, random database name), so test files never
 * share state. Callers close it in afterAll.
 */
export async function openTestStore(): Promise<Store> {
  return openStore({ kind: 'embedded', database: `test-${randomUUID().slice(0, 8)}`, dataDir: undefined, saveIntervalMs: 0 });
}

/** A fresh tenant id per test: isolation without cleaning up. */
export const newTenantId = (): string => `t-${randomUUID().slice(0, 12)}`;
