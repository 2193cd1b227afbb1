/**
 * A process that writes to an embedded store on a data directory and prints each write the moment it
 * is acknowledged, until it is killed: the crash test's victim. Every write kind the journal records:
 * create, replace with If-Match, upsert, patch (an increment, as chat sequence numbers are taken) and
 * delete.
 */
import { startEmbeddedCosmos } from '../../../bot/src/store/embedded';
import { createCosmosClient } from '../../../bot/src/store/cosmos';

async function main(): Promise<void> {
  const dataDir = process.argv[2]!;
  const cosmos = await startEmbeddedCosmos({ dataDir, saveIntervalMs: 0 });
  const client = createCosmosClient(cosmos);
  const { database } = await client.databases.createIfNotExists({ id: 'crash' });
  const { container } = await database.containers.createIfNotExists({ id: 'docs', partitionKey: { paths: ['/pk'] } });
  await container.items.upsert({ id: 'counter', pk: 'c', n: 0 });
  const ack = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
  ack({ ready: true });
  let i = 0;
  // Eight writers at a time, for ever: the parent kills this process in the middle of it.
  const writer = async () => {
    for (;;) {
      const id = `d-${i++}`;
      const created = await container.items.create({ id, pk: 'p', v: 'created' });
      ack({ id, v: 'created' });
      await container
        .item(id, 'p')
        .replace({ id, pk: 'p', v: 'replaced' }, { accessCondition: { type: 'IfMatch', condition: created.etag } });
      ack({ id, v: 'replaced' });
      await container.items.upsert({ id, pk: 'p', v: 'upserted' });
      ack({ id, v: 'upserted' });
      const { resource } = await container.item('counter', 'c').patch([{ op: 'incr', path: '/n', value: 1 }]);
      ack({ counter: (resource as { n: number }).n });
      if (Number(id.slice(2)) % 3 === 0) {
        await container.item(id, 'p').delete();
        ack({ id, v: 'deleted' });
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
}

void main();
