import {
  Badge,
  Caption1,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { Users } from '../../../../bot/src/contracts';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { href } from '../../router';
import { useLoad } from '../../use-load';
import { AdminPage, useUnits } from './admin-ui';

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
  const unitName = (id: string) => units.data?.items.find((u) => u.id === id)?.name ?? id;
  return (
    <AdminPage
      title="Users"
      description="Licenses are assigned on the Licenses page. The Interact tab of a user exists only with the Interact user license."
    >
      {list.error && <ErrorBar error={list.error} onRetry={() => void list.reload()} />}
      {!list.data && !list.error && <Loading label="Loading users…" />}
      {list.data && list.data.users.length === 0 && <Empty title="No users yet" />}
      {list.data && list.data.users.length > 0 && (
        <Table aria-label="Users" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Organization unit</TableHeaderCell>
              <TableHeaderCell>Licenses</TableHeaderCell>
              <TableHeaderCell>Interact</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.users.map((u) => (
              <TableRow key={u.id}>
                <TableCell>
                  {u.displayName} {u.isAdmin && <Badge appearance="outline">Admin</Badge>}
                </TableCell>
                <TableCell>{unitName(u.unitId)}</TableCell>
                <TableCell>
                  {u.licenses.length === 0 ? '—' : u.licenses.map((l) => licenseShort[l]).join(', ')}
                </TableCell>
                <TableCell>
                  {u.interactTab.allowed ? (
                    <Link
                      href={href('admin', 'users', u.id, 'interact')}
                      aria-label={`Interact settings of ${u.displayName}`}
                    >
                      Interact settings
                    </Link>
                  ) : (
                    <Caption1>No Interact user license</Caption1>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </AdminPage>
  );
}
