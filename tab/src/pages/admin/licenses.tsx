import {
  Button,
  Caption1,
  Field,
  ProgressBar,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableRow,
} from '@fluentui/react-components';
import { useState } from 'react';
import { LicensesView, Services, Users } from '../../../../bot/src/contracts';
import { ItemOptions } from '../../components/fields';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { useAction, useLoad } from '../../use-load';
import { AdminPage, LoadErrorPage, useAdminStyles } from './admin-ui';
import { PrivacyPolicyCard } from './privacy-policy';
import { TenantSwitches } from './tenant-switches';

type Pool = LicensesView['pools'][number];

const purpose: Record<Pool['kind'], string> = {
  contactCenter: 'Services: enables the Interact and WhatsApp channels and IM workflows.',
  interactService: 'Services: the Interact tab (snippet and restrictions). Needs Contact Center.',
  imModality: 'Users: receive Instant Messaging tasks of their services.',
  interactUser: 'Users: reachable directly from a website; enables their Interact tab.',
};

/** Licenses: each pool with who holds one, assigned and returned within what the tenant bought. */
export function LicensesPage() {
  const { api } = useApp();
  const data = useLoad(async () => {
    const [licenses, users, services] = await Promise.all([
      api.get(LicensesView, '/admin/licenses'),
      api.get(Users, '/admin/users'),
      api.get(Services, '/admin/services'),
    ]);
    return { licenses, users: users.users, services: services.services };
  }, [api]);
  if (data.error && !data.data) return <LoadErrorPage title="Licenses" loaded={data} />;
  if (!data.data) return <Loading label="Loading licenses…" />;
  const { licenses, users, services } = data.data;
  const holders = (pool: Pool) =>
    pool.holder === 'user'
      ? users.map((u) => ({ id: u.id, name: u.displayName }))
      : services.map((s) => ({ id: s.id, name: s.name }));
  return (
    <AdminPage
      title="Licenses"
      description="Interact licenses stay assigned when Interact is switched off for a user or service."
    >
      <TenantSwitches tenant={licenses.tenant} />
      <PrivacyPolicyCard />
      {licenses.pools.map((pool) => (
        <PoolCard
          key={pool.kind}
          pool={pool}
          candidates={holders(pool).filter((h) => !pool.assignees.some((a) => a.id === h.id))}
          onChanged={(next) => data.setData({ ...data.data!, licenses: next })}
        />
      ))}
    </AdminPage>
  );
}

function PoolCard({
  pool,
  candidates,
  onChanged,
}: {
  pool: Pool;
  candidates: { id: string; name: string }[];
  onChanged: (next: LicensesView) => void;
}) {
  const styles = useAdminStyles();
  const { api, notify } = useApp();
  const [holderId, setHolderId] = useState('');
  const action = useAction();
  const change = async (kind: 'assign' | 'unassign', id: string, name: string) => {
    const next = await action.run(() =>
      api.call(LicensesView, 'POST', `/admin/licenses/${kind}`, { kind: pool.kind, holderId: id }),
    );
    if (next) {
      onChanged(next);
      setHolderId('');
      notify(
        kind === 'assign' ? `${pool.label} license assigned to ${name}` : `${pool.label} license returned from ${name}`,
      );
    }
  };
  const headingId = `pool-${pool.kind}`;
  return (
    <section className={styles.card} aria-labelledby={headingId}>
      <div>
        <Subtitle2 block as="h2" id={headingId}>
          {pool.label}
        </Subtitle2>
        <Caption1 block>{purpose[pool.kind]}</Caption1>
      </div>
      <Field label={`${pool.assigned} of ${pool.total} assigned`} validationState="none">
        <ProgressBar
          value={pool.total === 0 ? 0 : pool.assigned / pool.total}
          thickness="large"
          aria-label={`${pool.assigned} of ${pool.total} ${pool.label} licenses assigned`}
        />
      </Field>
      {pool.assignees.length === 0 ? (
        <Empty title="Nobody holds this license" />
      ) : (
        <Table size="small" aria-label={`Holders of ${pool.label}`}>
          <TableBody>
            {pool.assignees.map((a) => (
              <TableRow key={a.id}>
                <TableCell>{a.name}</TableCell>
                <TableCell style={{ width: 160, textAlign: 'right' }}>
                  <Button
                    size="small"
                    disabled={action.busy}
                    onClick={() => void change('unassign', a.id, a.name)}
                    aria-label={`Return ${pool.label} license of ${a.name}`}
                  >
                    Remove
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <form
        className={styles.row}
        onSubmit={(e) => {
          e.preventDefault();
          const holder = candidates.find((c) => c.id === holderId);
          if (holder) void change('assign', holder.id, holder.name);
        }}
      >
        <Field label={`Assign to a ${pool.holder}`} className={styles.grow}>
          <Select value={holderId} onChange={(_, d) => setHolderId(d.value)} disabled={candidates.length === 0}>
            <option value="">
              {candidates.length > 0
                ? `Choose a ${pool.holder}`
                : pool.assignees.length > 0
                  ? `Every ${pool.holder} holds one`
                  : `No ${pool.holder}s yet`}
            </option>
            <ItemOptions items={candidates} />
          </Select>
        </Field>
        <Button type="submit" appearance="primary" disabled={!holderId || action.busy}>
          Assign
        </Button>
      </form>
      {action.error && <ErrorBar error={action.error} onDismiss={action.clear} />}
    </section>
  );
}
