import {
  AlreadyExistsError,
  ConcurrencyError,
  InvalidDocumentError,
  NotFoundError,
  type Store,
  userScope,
} from '../../../bot/src/store';
import { service, tenant, user, userSession } from '../../helpers/fixtures';
import { newTenantId, openTestStore } from '../../helpers/store';
import { openForAll } from '../../helpers/hooks';

let store: Store;
openForAll(async () => (store = await openTestStore()));

describe('repository over the embedded Cosmos server', () => {
  it('creates, reads back and finds nothing for an unknown id', async () => {
    const tenantId = newTenantId();
    const created = await store.repos.users.create(user(tenantId, 'u1'));
    expect(created._etag).toEqual(expect.any(String));

    const read = await store.repos.users.get(tenantId, 'u1');
    expect(read).toMatchObject({ id: 'u1', tenantId, displayName: 'User u1' });
    expect(read).not.toHaveProperty('pk');

    expect(await store.repos.users.find(tenantId, 'missing')).toBeUndefined();
    await expect(store.repos.users.get(tenantId, 'missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to create a document twice', async () => {
    const tenantId = newTenantId();
    await store.repos.users.create(user(tenantId, 'u1'));
    await expect(store.repos.users.create(user(tenantId, 'u1'))).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('does not return a document of another type that shares the id', async () => {
    const tenantId = newTenantId();
    await store.repos.services.create(service(tenantId, 'same-id'));
    expect(await store.repos.users.find(tenantId, 'same-id')).toBeUndefined();
  });

  it('rejects a conditional write on a stale etag and keeps the newer data', async () => {
    const tenantId = newTenantId();
    const original = await store.repos.users.create(user(tenantId, 'u1'));
    const first = await store.repos.users.replaceIfUnchanged(
      { ...original, displayName: 'First writer' },
      original._etag,
    );
    expect(first?.displayName).toBe('First writer');

    const stale = await store.repos.users.replaceIfUnchanged(
      { ...original, displayName: 'Second writer' },
      original._etag,
    );
    expect(stale).toBeUndefined();
    expect((await store.repos.users.get(tenantId, 'u1')).displayName).toBe('First writer');
  });

  it('re-reads and re-applies a mutation when another writer got there first', async () => {
    const tenantId = newTenantId();
    await store.repos.tenants.create(tenant(tenantId, { licenses: { imModality: { total: 5, assignees: [] } } }));
    let calls = 0;
    const result = await store.repos.tenants.update(tenantId, tenantId, async (current) => {
      calls++;
      if (calls === 1) {
        // Another actor assigns a license between our read and our write.
        await store.repos.tenants.upsert({
          ...current,
          licenses: { ...current.licenses, imModality: { total: 5, assignees: ['other'] } },
        });
      }
      return {
        ...current,
        licenses: {
          ...current.licenses,
          imModality: { total: 5, assignees: [...current.licenses.imModality.assignees, 'mine'] },
        },
      };
    });
    expect(calls).toBe(2);
    expect(result.licenses.imModality.assignees).toEqual(['other', 'mine']);
  });

  it('applies 20 concurrent increments exactly once each', async () => {
    const tenantId = newTenantId();
    await store.repos.tenants.create(tenant(tenantId, { licenses: { imModality: { total: 100, assignees: [] } } }));
    const before = store.stats.conflicts;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.repos.tenants.update(
          tenantId,
          tenantId,
          (t) => ({
            ...t,
            licenses: {
              ...t.licenses,
              imModality: { ...t.licenses.imModality, assignees: [...t.licenses.imModality.assignees, `u${i}`] },
            },
          }),
          { maxAttempts: 50 },
        ),
      ),
    );
    const final = await store.repos.tenants.get(tenantId, tenantId);
    expect([...final.licenses.imModality.assignees].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `u${i}`).sort(),
    );
    // Twenty writers on one document must have collided; every collision was retried, none lost.
    expect(store.stats.conflicts).toBeGreaterThan(before);
  });

  it('gives up with a typed error when the document keeps changing', async () => {
    const tenantId = newTenantId();
    await store.repos.users.create(user(tenantId, 'u1'));
    const attempt = store.repos.users.update(
      tenantId,
      'u1',
      async (current) => {
        // Someone else changes the user every time, between our read and our write.
        await store.repos.users.upsert({ ...current, displayName: `${current.displayName}?` });
        return { ...current, displayName: `${current.displayName}!` };
      },
      { maxAttempts: 3 },
    );
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('leaves a document alone when the mutation returns nothing', async () => {
    const tenantId = newTenantId();
    const created = await store.repos.users.create(user(tenantId, 'u1'));
    const same = await store.repos.users.update(tenantId, 'u1', () => undefined);
    expect(same._etag).toBe(created._etag);
  });

  it('scopes queries to one tenant: tenant A never sees tenant B', async () => {
    const a = newTenantId();
    const b = newTenantId();
    await Promise.all([
      store.repos.users.create(user(a, 'alice')),
      store.repos.users.create(user(a, 'anna')),
      store.repos.users.create(user(b, 'bob')),
      store.repos.services.create(service(a, 'svc-a')),
    ]);
    const aUsers = await store.repos.users.query(a);
    expect(aUsers.map((u) => u.id).sort()).toEqual(['alice', 'anna']);
    expect(aUsers.every((u) => u.tenantId === a)).toBe(true);

    // Even a condition that names tenant B stays inside tenant A's partition.
    const crafted = await store.repos.users.query(a, {
      where: 'c.tenantId = @b OR true',
      parameters: [{ name: '@b', value: b }],
    });
    expect(crafted.map((u) => u.id).sort()).toEqual(['alice', 'anna']);

    expect(await store.repos.users.find(a, 'bob')).toBeUndefined();
    expect((await store.repos.users.query(b)).map((u) => u.id)).toEqual(['bob']);
  });

  it('scopes queries to one partition inside a tenant: one queue never sees another', async () => {
    const tenantId = newTenantId();
    await Promise.all([
      store.repos.userSessions.upsert(userSession(tenantId, 's-a1', 'agent-a')),
      store.repos.userSessions.upsert(userSession(tenantId, 's-a2', 'agent-a')),
      store.repos.userSessions.upsert(userSession(tenantId, 's-b1', 'agent-b')),
    ]);
    expect((await store.repos.userSessions.query(tenantId, {}, userScope('agent-a'))).map((s) => s.id).sort()).toEqual([
      's-a1',
      's-a2',
    ]);
    expect((await store.repos.userSessions.query(tenantId, {}, userScope('agent-b'))).map((s) => s.id)).toEqual([
      's-b1',
    ]);
  });

  it('supports a filtered, ordered, limited query inside the tenant', async () => {
    const tenantId = newTenantId();
    await Promise.all(
      ['c', 'a', 'b'].map((id) => store.repos.users.create(user(tenantId, id, { displayName: `Name ${id}` }))),
    );
    const top2 = await store.repos.users.query(tenantId, {
      where: 'c.displayName != @x',
      parameters: [{ name: '@x', value: 'Name b' }],
      orderBy: 'c.id',
      top: 2,
    });
    expect(top2.map((u) => u.id)).toEqual(['a', 'c']);
  });

  it('refuses to write a document that does not match its schema, and writes nothing', async () => {
    const tenantId = newTenantId();
    const bad = { ...user(tenantId, 'u1'), email: 'not-an-email' };
    await expect(store.repos.users.create(bad)).rejects.toBeInstanceOf(InvalidDocumentError);
    expect(await store.repos.users.find(tenantId, 'u1')).toBeUndefined();
  });

  it('reports a stored document that no longer matches its schema instead of returning it', async () => {
    const tenantId = newTenantId();
    await store.cosmos.containers.config.items.create({
      id: 'broken',
      tenantId,
      type: 'user',
      pk: tenantId,
      displayName: 42,
    });
    await expect(store.repos.users.get(tenantId, 'broken')).rejects.toBeInstanceOf(InvalidDocumentError);
  });

  it('deletes, and only with a matching etag when one is given', async () => {
    const tenantId = newTenantId();
    const created = await store.repos.users.create(user(tenantId, 'u1'));
    await store.repos.users.replaceIfUnchanged({ ...created, displayName: 'Changed' }, created._etag);
    await expect(store.repos.users.delete(tenantId, 'u1', { etag: created._etag })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect(await store.repos.users.delete(tenantId, 'u1')).toBe(true);
    expect(await store.repos.users.delete(tenantId, 'u1')).toBe(false);
  });
});
