import { Badge, Caption1, Link } from '@fluentui/react-components';
import { Users } from '../../../../bot/src/contracts';
import { useApp } from '../../context';
import { href } from '../../router';
import { useLoad } from '../../use-load';
import { AdminPage, ItemTable, ListStatus, unitNameIn, useUnits } from './admin-ui';

const licenseShort = {
  contactCenter: 'Contact Center',
  interactService: 'Interact service',
  imModality: 'Instant Messaging',
  interactUser: 'Interact user',
} as const;

/** Users with their licenses; those with the Interact user license have an Interact tab to configure. */
export function UsersPage() {
  const { api } = useApp();
  const list = useLoad(() => api.get(Users, '/admin/users'), [api]);
  const units = useUnits();
  const unitName = unitNameIn(units.data?.items);
  return (
    <AdminPage
      title="Users"
      description="Licenses are assigned on the Licenses page. The Interact tab of a user exists only with the Interact user license."
    >
      <ListStatus list={list} items={list.data?.users} loadingLabel="Loading users…" emptyTitle="No users yet" />
      <ItemTable
        label="Users"
        columns={['Name', 'Organization unit', 'Licenses', 'Interact']}
        items={list.data?.users}
        cells={(u) => [
          <>
            {u.displayName} {u.isAdmin && <Badge appearance="outline">Admin</Badge>}
          </>,
          unitName(u.unitId),
          u.licenses.length === 0 ? '—' : u.licenses.map((l) => licenseShort[l]).join(', '),
          u.interactTab.allowed ? (
            <Link href={href('admin', 'users', u.id, 'interact')} aria-label={`Interact settings of ${u.displayName}`}>
              Interact settings
            </Link>
          ) : (
            <Caption1>No Interact user license</Caption1>
          ),
        ]}
      />
    </AdminPage>
  );
}
