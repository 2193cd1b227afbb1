import { randomUUID } from 'node:crypto';
import { type Store, openStore } from '../../bot/src/store';
import { type EmbeddedCosmos, startEmbeddedCosmos } from '../../bot/src/store/embedded';

/**
 * A real store on its own embedded Cosmos server (in memory, random database name), so test files never
 * share state. Callers close it in afterAll.
 */
export async function openTestStore(): Promise<Store> {
  return openStore({
    kind: 'embedded',
    database: `test-${randomUUID().slice(0, 8)}`,
    dataDir: undefined,
    saveIntervalMs: 0,
  });
}

/** One embedded server for a test file, on which each test opens its own database. */
export async function startTestCosmos(): Promise<EmbeddedCosmos> {
  return startEmbeddedCosmos({ dataDir: undefined, saveIntervalMs: 0 });
}

/** A store on its own database of a shared embedded server: own timers, own lease, own data. */
export async function openStoreOn(cosmos: Pick<EmbeddedCosmos, 'endpoint' | 'key'>): Promise<Store> {
  return openStore({
    kind: 'cosmos',
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    database: `test-${randomUUID().slice(0, 8)}`,
  });
}

/** A document as read, without the fields the store adds (`_etag`, `_ts`): ready to be written again. */
export const withoutStoreFields = <T extends object>(doc: T & { _etag?: string; _ts?: number }): T => {
  const { _etag, _ts, ...rest } = doc;
  void _etag;
  void _ts;
  return rest as unknown as T;
};

/** A fresh tenant id per test: isolation without cleaning up. */
export const newTenantId = (): string => `t-${randomUUID().slice(0, 12)}`;

/**
 * One embedded Cosmos server for the test file, each test's worlds on their own database, closed after
 * the test. Registers the jest hooks; returns the factory tests call.
 */
export function worldsOnSharedCosmos<W extends { close(): Promise<void> }, O>(
  create: (cosmos: EmbeddedCosmos, opts?: O) => Promise<W>,
): (opts?: O) => Promise<W> {
  let cosmos: EmbeddedCosmos;
  const worlds: W[] = [];
  beforeAll(async () => {
    cosmos = await startTestCosmos();
  });
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((w) => w.close()));
  });
  afterAll(async () => {
    await cosmos.stop();
  });
  return async (opts) => {
    const world = await create(cosmos, opts);
    worlds.push(world);
    return world;
  };
}
