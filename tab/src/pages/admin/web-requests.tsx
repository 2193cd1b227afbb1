import { Link } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { WebRequestCheck, WebRequestSaved, WebRequests } from '../../../../bot/src/contracts';
import { Loading } from '../../components/status';
import { useApp } from '../../context';
import { href, navigate, useRoute } from '../../router';
import { useLoad } from '../../use-load';
import { AdminPage, ItemTable, ListStatus, LoadErrorPage, NewIdForm, useEditedJson, useUnits } from './admin-ui';
import { JsonEditor } from './json-editor';

const DESCRIPTION =
  'Web requests call another system from a workflow\u2019s Web Request activity: the method, the URL and body with {{placeholders}}, headers, authentication, a timeout, and which values of the JSON answer go into workflow parameters.';

/** Web requests: the list, and a JSON editor that shows the server's validation errors while you type. */
export function WebRequestsPage() {
  const [, , id] = useRoute();
  return id ? <WebRequestEditor key={id} id={id} /> : <WebRequestList />;
}

function WebRequestList() {
  const { api } = useApp();
  const list = useLoad(() => api.get(WebRequests, '/admin/web-requests'), [api]);
  return (
    <AdminPage title="Web requests" description={DESCRIPTION}>
      <ListStatus
        list={list}
        items={list.data?.items}
        loadingLabel="Loading web requests…"
        emptyTitle="No web requests yet"
        emptyText="Create one below, then name its id in a Web Request activity of a workflow."
      />
      <ItemTable
        label="Web requests"
        columns={['Name', 'Id', 'Request']}
        items={list.data?.items}
        cells={(w) => [<Link href={href('admin', 'web-requests', w.id)}>{w.name}</Link>, w.id, `${w.method} ${w.url}`]}
      />
      <NewIdForm
        headingId="new-web-request"
        heading="New web request"
        onCreate={(id) => navigate('admin', 'web-requests', id)}
      />
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
  const loaded = useEditedJson(path);
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

  if (loaded.error && !loaded.data) return <LoadErrorPage title="Web request" loaded={loaded} />;
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
