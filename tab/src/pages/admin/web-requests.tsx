import { Link } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { WebRequestCheck, WebRequestSaved, WebRequests } from '../../../../bot/src/contracts';
import { ItemList } from '../../components/item-list';
import { Loading } from '../../components/status';
import { useApp } from '../../context';
import { href, navigate } from '../../router';
import { useGet } from '../../use-load';
import { AdminPage, LoadErrorPage, NewIdForm, useEditedJson, useUnits } from './admin-ui';
import { JsonEditor, checkAt, editableJson } from './json-editor';

const DESCRIPTION =
  'Web requests call another system from a workflow\u2019s Web Request activity: the method, the URL and body with {{placeholders}}, headers, authentication, a timeout, and which values of the JSON answer go into workflow parameters.';

/** Web requests: the list; each opens in the web request editor. */
export function WebRequestsPage() {
  const list = useGet(WebRequests, '/admin/web-requests');
  return (
    <AdminPage title="Web requests" description={DESCRIPTION}>
      <ItemList
        list={list}
        items={list.data?.items}
        loadingLabel="Loading web requests…"
        emptyTitle="No web requests yet"
        emptyText="Create one below, then name its id in a Web Request activity of a workflow."
        label="Web requests"
        columns={['Name', 'Id', 'Request']}
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

/** One web request in a JSON editor that shows the server's validation errors while you type. */
export function WebRequestEditor({ id }: { id: string }) {
  const { api, notify } = useApp();
  const units = useUnits();
  const path = `/admin/web-requests/${encodeURIComponent(id)}`;
  const loaded = useEditedJson(path);
  const [isNew, setIsNew] = useState<boolean>();

  const check = useMemo(() => checkAt(api, WebRequestCheck, path, (e) => e.field), [api, path]);
  const save = async (parsed: unknown) => {
    const saved = await api.call(WebRequestSaved, 'PUT', path, parsed);
    setIsNew(false);
    notify(`Web request ${saved.name} saved`);
  };

  if (loaded.error && !loaded.data) return <LoadErrorPage title="Web request" loaded={loaded} />;
  if (!loaded.data || (loaded.data.isNew && !units.data && !units.error))
    return <Loading label="Loading the web request…" />;

  const initial = loaded.data.definition
    ? editableJson(loaded.data.definition)
    : JSON.stringify(starter(id, units.data?.items[0]?.id ?? 'unit-id'), null, 2);

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
