import { Badge, Caption1, Link } from '@fluentui/react-components';
import { Users } from '../../../../bot/src/contracts';
import { ItemList } from '../../components/item-list';
import { href } from '../../router';
import { useGet } from '../../use-load';
import { AdminPage, unitNameIn, useUnits } from './admin-ui';
import { DirectoryImport } from './directory-import';

const licenseShort = {
  contactCenter: 'Contact Center',
  interactService: 'Interact service',
  imModality: 'Instant Messaging',
  interactUser: 'Interact user',
} as const;

/** Users with their licenses; those with the Interact user license have an Interact tab to configure. */
export function UsersPage() {
  const list = useGet(Users, '/admin/users');
  const units = useUnits();
  const unitName = unitNameIn(units.data?.items);
  return (
    <AdminPage
      title="Users"
      description="Licenses are assigned on the Licenses page. The Interact tab of a user exists only with the Interact user license."
    >
      <DirectoryImport onImported={() => void list.reload()} />
      <ItemList
        list={list}
        items={list.data?.users}
        loadingLabel="Loading users…"
        emptyTitle="No users yet"
        label="Users"
        columns={['Name', 'Organization unit', 'Licenses', 'Interact']}
        cells={(u) => [
          <>
            {u.displayName} {u.isAdmin && <Badge appearance="outline">Admin</Badge>}{' '}
            {!u.active && (
              <Badge
                appearance="tint"
                color="subtle"
                title="Removed or disabled in Entra ID: kept with their history, offered no work"
              >
                Inactive
              </Badge>
            )}
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
