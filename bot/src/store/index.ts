import type { StoreConfig } from '../config';
import { type CosmosConnection, type CosmosStore, openCosmosStore } from './cosmos';
import { type EmbeddedCosmos, startEmbeddedCosmos } from './embedded';
import { type Repositories, createRepositories } from './repositories';
import { StoreChanges } from './changes';
import { StoreStats } from './stats';
import { TimerStore } from './timers';
import { InstanceStore } from './instances';
import { DirectoryStore } from './directory';

export type Store = {
  kind: StoreConfig['kind'];
  cosmos: CosmosStore;
  repos: Repositories;
  timers: TimerStore;
  /** The live server instances (in the `timers` container). */
  instances: InstanceStore;
  directory: DirectoryStore;
  stats: StoreStats;
  /** Writes of announced document types (tenants, users, services), for the routing to react to. */
  changes: StoreChanges;
  /** Present in embedded mode: the loopback server and its persistence. */
  embedded: EmbeddedCosmos | undefined;
  /** Saves embedded data (if any) and releases connections. */
  close(): Promise<void>;
};

/** Opens the configured store: a Cosmos account, or the embedded server restored from the data directory. */
export async function openStore(
  config: StoreConfig,
  hooks: { onSaveError?: (err: unknown) => void; onChangeListenerError?: (err: unknown, type: string) => void } = {},
): Promise<Store> {
  let embedded: EmbeddedCosmos | undefined;
  let connection: CosmosConnection;
  if (config.kind === 'embedded') {
    embedded = await startEmbeddedCosmos({
      dataDir: config.dataDir,
      saveIntervalMs: config.saveIntervalMs,
      journal: config.journal,
      onSaveError: hooks.onSaveError,
    });
    connection = { endpoint: embedded.endpoint, key: embedded.key, database: config.database };
  } else {
    connection = { endpoint: config.endpoint, key: config.key, database: config.database };
  }
  try {
    const cosmos = await openCosmosStore(connection);
    const stats = new StoreStats(embedded?.requests);
    const changes = new StoreChanges(hooks.onChangeListenerError);
    return {
      kind: config.kind,
      cosmos,
      repos: createRepositories(cosmos, stats, changes),
      timers: new TimerStore(cosmos.containers.timers, stats),
      instances: new InstanceStore(cosmos.containers.timers, stats),
      directory: new DirectoryStore(cosmos.containers.directory, stats),
      stats,
      changes,
      embedded,
      close: async () => {
        cosmos.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}

export * from './errors';
export * from './partition-keys';
export type { Stored, Repository } from './repository';
export { storeCache } from './repository';
export type { Repositories, TeamsRepositories, WorkflowRepositories } from './repositories';
export { StoreStats } from './stats';
export { StoreChanges, type StoreChange } from './changes';
export type { PresenceSubscription } from './presence-repositories';
export type { DueTimer, Timer, TimerPayload } from './timers';
export type { InstanceDoc } from './instances';
