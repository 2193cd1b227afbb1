import {
  Button,
  Field,
  Input,
  Link,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { EditedJson, WebRequestCheck, WebRequestSaved, WebRequests } from '../../../../bot/src/contracts';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { href, navigate, useRoute } from '../../router';
import { useLoad } from '../../use-load';
import { AdminPage, useAdminStyles, useUnits } from './admin-ui';
import { JsonEditor } from './json-editor';
import { ID } from './workflows';

const DESCRIPTION =
  'Web requests call another system from a workflow\u2019s Web Request activity: the method, the URL and body with {{placeholders}}, headers, authentication, a timeout, and which values of the JSON answer go into workflow parameters.';

/** Web requests: the list, and a JSON editor that shows the server's validation errors while you type. */
export function WebRequestsPage() {
  const [, , id] = useRoute();
  return id ? <WebRequestEditor key={id} id={id} /> : <WebRequestList />;
}

function WebRequestList() {
  const styles = useAdminStyles();
  const { api } = useApp();
  const list = useLoad(() => api.get(WebRequests, '/admin/web-requests'), [api]);
  const [newId, setNewId] = useState('');
  return (
    <AdminPage title="Web requests" description={DESCRIPTION}>
      {list.error && <ErrorBar error={list.error} onRetry={() => void list.reload()} />}
      {!list.data && !list.error && <Loading label="Loading web requests…" />}
      {list.data && list.data.items.length === 0 && (
        <Empty title="No web requests yet">
          Create one below, then name its id in a Web Request activity of a workflow.
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table aria-label="Web requests" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Id</TableHeaderCell>
              <TableHeaderCell>Request</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.items.map((w) => (
              <TableRow key={w.id}>
                <TableCell>
                  <Link href={href('admin', 'web-requests', w.id)}>{w.name}</Link>
                </TableCell>
                <TableCell>{w.id}</TableCell>
                <TableCell>{`${w.method} ${w.url}`}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <form
        className={styles.card}
        aria-labelledby="new-web-request"
        onSubmit={(e) => {
          e.preventDefault();
          if (ID.test(newId)) navigate('admin', 'web-requests', newId);
        }}
      >
        <Subtitle2 block as="h2" id="new-web-request">
          New web request
        </Subtitle2>
        <div className={styles.row}>
          <Field
            label="Id"
            hint="Letters, digits and . _ : @ -"
            className={styles.grow}
            validationMessage={newId && !ID.test(newId) ? 'Use only letters, digits and . _ : @ -' : undefined}
          >
            <Input value={newId} onChange={(_, d) => setNewId(d.value.trim())} />
          </Field>
          <Button type="submit" appearance="primary" disabled={!ID.test(newId)}>
            Create
          </Button>
        </div>
      </form>
    </AdminPage>
  );
}

/** What a new web request starts from: a GET with one placeholder and one mapped value, no authentication. */
const starter = (name: string, unitId: string) => ({
  name,
  unitId,
  method: 'GET',
  url: 'https://api.example.com/orders/{{param.orderId}}',
  headers: [{ name: 'Accept', value: 'application/json' }],
  body: null,
  contentType: 'application/json',
  auth: { kind: 'none' },
  timeoutSeconds: 10,
  responseMappings: [{ path: '$.status', parameter: 'orderStatus' }],
});

function WebRequestEditor({ id }: { id: string }) {
  const { api, notify } = useApp();
  const units = useUnits();
  const path = `/admin/web-requests/${encodeURIComponent(id)}`;
  const loaded = useLoad(async () => {
    try {
      return { definition: await api.get(EditedJson, path), isNew: false };
    } catch (err) {
      if (err instanceof Error && 'status' in err && (err as { status: number }).status === 404)
        return { definition: undefined, isNew: true };
      throw err;
    }
  }, [api, path]);
  const [isNew, setIsNew] = useState<boolean>();

  const check = useCallback(
    async (parsed: unknown) =>
      (await api.call(WebRequestCheck, 'POST', `${path}/check`, parsed)).errors.map((e) => ({
        where: e.field,
        message: e.message,
      })),
    [api, path],
  );
  const save = useCallback(
    async (parsed: unknown) => {
      const saved = await api.call(WebRequestSaved, 'PUT', path, parsed);
      setIsNew(false);
      notify(`Web request ${saved.name} saved`);
    },
    [api, path, notify],
  );

  if (loaded.error && !loaded.data)
    return (
      <AdminPage title="Web request">
        <ErrorBar error={loaded.error} onRetry={() => void loaded.reload()} />
      </AdminPage>
    );
  if (!loaded.data || (loaded.data.isNew && !units.data && !units.error))
    return <Loading label="Loading the web request…" />;

  let initial: string;
  if (loaded.data.definition) {
    const { id: _id, tenantId: _t, type: _type, ...rest } = loaded.data.definition;
    initial = JSON.stringify(rest, null, 2);
  } else initial = JSON.stringify(starter(id, units.data?.items[0]?.id ?? 'unit-id'), null, 2);

  return (
    <AdminPage
      title={`Web request ${id}${(isNew ?? loaded.data.isNew) ? ' (new)' : ''}`}
      description="Edit the web request as JSON. Placeholders: {{param.<name>}} and the system fields such as {{customer.name}}. Authentication: none, an API key in a header, or OAuth 2.0 client credentials. A stored API key or client secret shows as ******** : leave it so to keep it, or type a new one."
    >
      <Link href={href('admin', 'web-requests')}>All web requests</Link>
      <JsonEditor
        name="Web request editor"
        label="Web request (JSON)"
        hint='Auth examples: {"kind": "api-key", "header": "X-Api-Key", "value": "…"} or {"kind": "oauth2-client-credentials", "tokenUrl": "https://…", "clientId": "…", "clientSecret": "…", "scope": null}'
        initial={initial}
        check={check}
        save={save}
      />
    </AdminPage>
  );
}
