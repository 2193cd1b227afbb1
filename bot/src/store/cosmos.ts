import { type Container, CosmosClient, type Database } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import { type ContainerId, PARTITION_KEY_PATH, containerSpecs } from './containers';

export type CosmosConnection = {
  endpoint: string;
  /** Account key; without one the managed identity (DefaultAzureCredential) is used. */
  key: string | undefined;
  database: string;
};

export type CosmosStore = {
  client: CosmosClient;
  database: Database;
  containers: Record<ContainerId, Container>;
  /** A cheap round trip for health checks. */
  ping(): Promise<void>;
  close(): void;
};

export function createCosmosClient(conn: Pick<CosmosConnection, 'endpoint' | 'key'>): CosmosClient {
  return new CosmosClient({
    endpoint: conn.endpoint,
    ...(conn.key ? { key: conn.key } : { aadCredentials: new DefaultAzureCredential() }),
    // The embedded server and single-region accounts have no other endpoints to discover.
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}

/** Connects and creates the database and containers when missing (idempotent, safe on every boot). */
export async function openCosmosStore(conn: CosmosConnection): Promise<CosmosStore> {
  const client = createCosmosClient(conn);
  const { database } = await client.databases.createIfNotExists({ id: conn.database });
  const entries = await Promise.all(
    containerSpecs.map(async (spec) => {
      const { container } = await database.containers.createIfNotExists({
        id: spec.id,
        partitionKey: { paths: [PARTITION_KEY_PATH] },
      });
      return [spec.id, container] as const;
    }),
  );
  return {
    client,
    database,
    containers: Object.fromEntries(entries) as Record<ContainerId, Container>,
    ping: async () => {
      await database.read();
    },
    close: () => client.dispose(),
  };
}
