import {
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
} from '@fluentui/react-components';
import { useState } from 'react';
import { DirectoryStatus, DirectorySyncResult } from '../../../../bot/src/contracts';
import { ErrorBar } from '../../components/status';
import { useApp } from '../../context';
import { useAction, useGet } from '../../use-load';
import { formatDateTime } from '../sessions/labels';
import { useAdminStyles } from './admin-ui';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const what = (r: Pick<DirectorySyncResult, 'kind' | 'groupId'>) =>
  r.kind === 'group' ? `members of group ${r.groupId ?? ''}` : r.kind === 'delta' ? 'changes' : 'all users';

const counts = (r: DirectorySyncResult) =>
  `${r.created} created, ${r.updated} updated, ${r.deactivated} made inactive` +
  (r.skipped > 0 ? `, ${r.skipped} skipped` : '') +
  ` (${r.pages} ${r.pages === 1 ? 'page' : 'pages'} read).`;

/**
 * Imports the organization's people from Entra ID (every user, or one group's members) and shows how
 * the last import went. The server reads Entra ID with the app's own credentials; without them the
 * button is off and the reason shown.
 */
export function DirectoryImport({ onImported }: { onImported: () => void }) {
  const styles = useAdminStyles();
  const { api, notify } = useApp();
  const status = useGet(DirectoryStatus, '/admin/directory');
  const action = useAction();
  const [groupId, setGroupId] = useState('');
  const [result, setResult] = useState<DirectorySyncResult>();
  const trimmed = groupId.trim();
  const groupInvalid = trimmed !== '' && !GUID.test(trimmed);
  const view = status.data;
  const running = action.busy || (view?.running ?? null) !== null;

  const start = async () => {
    setResult(undefined);
    const done = await action.run(() =>
      api.call(DirectorySyncResult, 'POST', '/admin/directory/sync', trimmed ? { groupId: trimmed } : {}),
    );
    void status.reload();
    if (done) {
      setResult(done);
      notify(`Imported from Entra ID: ${counts(done)}`, 'success');
      onImported();
    }
  };

  return (
    <section className={styles.card} aria-labelledby="directory-import">
      <div>
        <Subtitle2 block as="h2" id="directory-import">
          Import from Entra ID
        </Subtitle2>
        <Caption1 block>
          New people become users without licenses. Later imports bring only what changed; people removed or disabled in
          Entra ID stay listed as inactive, with their history.
        </Caption1>
      </div>
      {view && !view.available && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{view.unavailableReason}</MessageBarBody>
        </MessageBar>
      )}
      <form
        className={styles.row}
        onSubmit={(e) => {
          e.preventDefault();
          if (!groupInvalid) void start();
        }}
      >
        <Field
          label="Group id (optional)"
          hint="Import only the members of this group: its object id in Entra ID."
          validationMessage={
            groupInvalid ? 'A group id is a GUID, such as 9f8e7d6c-5b4a-4392-8180-7f6e5d4c3b2a.' : undefined
          }
          className={styles.grow}
        >
          <Input value={groupId} onChange={(_, d) => setGroupId(d.value)} disabled={running} />
        </Field>
        <Button type="submit" appearance="primary" disabled={running || groupInvalid || view?.available === false}>
          Import from Entra ID
        </Button>
      </form>
      {running && <Spinner size="small" label="Importing from Entra ID…" labelPosition="after" />}
      {result && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Imported {what(result)}</MessageBarTitle>
            {counts(result)}
          </MessageBarBody>
        </MessageBar>
      )}
      {action.error && <ErrorBar error={action.error} title="The import did not finish" onDismiss={action.clear} />}
      {status.error && <ErrorBar error={status.error} onRetry={() => void status.reload()} />}
      {view?.last && !action.busy && (
        <Caption1 block>
          Last import ({what(view.last)}) {view.last.outcome === 'succeeded' ? 'finished' : 'failed'}{' '}
          {formatDateTime(view.last.finishedAt)}
          {view.last.outcome === 'succeeded' ? `: ${counts(view.last)}` : `: ${view.last.error ?? ''}`}
        </Caption1>
      )}
    </section>
  );
}
