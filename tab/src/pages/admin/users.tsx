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

type UserRow = Users['users'][number];

/** What Graph said when the app was installed for the user, as admins read it. */
function appInstallText(install: NonNullable<UserRow['appInstall']>): string {
  switch (install.state) {
    case 'pending':
      return 'App install: pending';
    case 'installed':
      return 'App install: already installed';
    case 'failed':
      return `App install: failed: ${install.reason ?? 'unknown reason'}`;
    case 'skipped':
      return `App install: skipped: ${install.reason ?? 'not configured'}`;
  }
}

/** Whether the bot can reach an IM-licensed user in Teams, and how installing the app for them went. */
function TeamsAppCell({ user }: { user: UserRow }) {
  if (!user.licenses.includes('imModality')) return <>—</>;
  if (user.teamsApp === 'installed') return <>Installed</>;
  return (
    <>
      <Badge appearance="tint" color="warning" title="The bot cannot offer them chats until the app is installed">
        App not installed
      </Badge>
      {user.appInstall && (
        <>
          {' '}
          <Caption1>{appInstallText(user.appInstall)}</Caption1>
        </>
      )}
    </>
  );
}

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
        columns={['Name', 'Organization unit', 'Licenses', 'Teams app', 'Interact']}
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
          <TeamsAppCell user={u} />,
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
