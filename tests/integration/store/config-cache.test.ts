import { randomUUID } from 'node:crypto';
import { type Store, chatScope, openStore, storeCache } from '../../../bot/src/store';
import type { EmbeddedCosmos } from '../../../bot/src/store/embedded';
import { service } from '../../helpers/fixtures';
import { openForAll } from '../../helpers/hooks';
import { newTenantId, startTestCosmos } from '../../helpers/store';

// Two instances of the product on one Cosmos database: each has its own cache.
let cosmos: EmbeddedCosmos;
let here: Store;
let there: Store;
openForAll(async () => {
  cosmos = await startTestCosmos();
  const database = `cache-${randomUUID().slice(0, 8)}`;
  const open = () => openStore({ kind: 'cosmos', endpoint: cosmos.endpoint, key: cosmos.key, database });
  here = await open();
  there = await open();
  return [here, there, { close: () => cosmos.stop() }];
});

let now = Date.now();
beforeEach(() => {
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  storeCache.ttlMs = 5_000;
});
afterEach(() => jest.restoreAllMocks());

const reads = (s: Store) => s.stats.reads;

describe('the configuration cache', () => {
  it('answers repeated point reads of configuration from memory, as copies', async () => {
    const tenantId = newTenantId();
    await here.repos.services.create(service(tenantId, 'svc'));
    const before = reads(here);
    const first = await here.repos.services.get(tenantId, 'svc');
    first.name = 'changed by a caller';
    const second = await here.repos.services.get(tenantId, 'svc');
    // Written here: already in memory, no read at all.
    expect(reads(here) - before).toBe(0);
    expect(second.name).toBe('Service svc');
  });

  it('shows this instance its own writes at once', async () => {
    const tenantId = newTenantId();
    await here.repos.services.create(service(tenantId, 'svc'));
    await here.repos.services.update(tenantId, 'svc', (s) => ({ ...s, name: 'Renamed' }));
    expect((await here.repos.services.get(tenantId, 'svc')).name).toBe('Renamed');
    await here.repos.services.delete(tenantId, 'svc');
    expect(await here.repos.services.find(tenantId, 'svc')).toBeUndefined();
  });

  it('shows another instance’s write once the time to live is over, and never later', async () => {
    const tenantId = newTenantId();
    await here.repos.services.create(service(tenantId, 'svc'));
    expect((await there.repos.services.get(tenantId, 'svc')).name).toBe('Service svc');
    await here.repos.services.update(tenantId, 'svc', (s) => ({ ...s, name: 'Renamed here' }));

    now += 4_999;
    expect((await there.repos.services.get(tenantId, 'svc')).name).toBe('Service svc');
    now += 2;
    expect((await there.repos.services.get(tenantId, 'svc')).name).toBe('Renamed here');
  });

  it('never loses a write over a stale entry: the conditional write fails, and the retry reads afresh', async () => {
    const tenantId = newTenantId();
    await here.repos.services.create(service(tenantId, 'svc'));
    await there.repos.services.get(tenantId, 'svc');
    await here.repos.services.update(tenantId, 'svc', (s) => ({ ...s, name: 'First' }));
    const conflicts = there.stats.conflicts;
    // There still holds the old etag: its first attempt is refused, its second sees "First".
    const seen: string[] = [];
    const updated = await there.repos.services.update(tenantId, 'svc', (s) => {
      seen.push(s.name);
      return { ...s, name: `${s.name} then second` };
    });
    expect(there.stats.conflicts - conflicts).toBe(1);
    expect(seen).toEqual(['Service svc', 'First']);
    expect(updated.name).toBe('First then second');
    expect((await here.repos.services.find(tenantId, 'svc'))?._etag).not.toBe(updated._etag);
    now += 5_001;
    expect((await here.repos.services.get(tenantId, 'svc')).name).toBe('First then second');
  });

  it('is off with a time to live of 0: every read goes to the store', async () => {
    storeCache.ttlMs = 0;
    const tenantId = newTenantId();
    await here.repos.services.create(service(tenantId, 'svc'));
    const before = reads(here);
    await here.repos.services.get(tenantId, 'svc');
    await here.repos.services.get(tenantId, 'svc');
    expect(reads(here) - before).toBe(2);
  });

  it('leaves live documents (tasks, chats) uncached', async () => {
    const tenantId = newTenantId();
    const chat = await here.repos.chats.create({
      id: 'chat-1',
      tenantId,
      type: 'chat',
      target: { kind: 'service', serviceId: 'svc' },
      channel: 'interact',
      contactId: null,
      customer: { displayName: 'Casey', email: null, address: null },
      state: 'open',
      createdAt: now,
      endedAt: null,
      endedBy: null,
      task: null,
      agent: null,
      channelRef: null,
      parameters: {},
      lastSeq: 0,
    });
    const before = reads(here);
    await here.repos.chats.find(tenantId, chat.id, chatScope(chat.id));
    await here.repos.chats.find(tenantId, chat.id, chatScope(chat.id));
    expect(reads(here) - before).toBe(2);
  });
});
