import { Caption1, Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { defaultImWorkflow } from '../../../../bot/src/core/workflow/default-im-workflow';
import { Calendars, WorkflowCheck, WorkflowSaved, Workflows } from '../../../../bot/src/contracts';
import { Loading } from '../../components/status';
import { useApp } from '../../context';
import { href, navigate, useRoute } from '../../router';
import { useLoad } from '../../use-load';
import { AdminPage, ItemTable, ListStatus, LoadErrorPage, NewIdForm, useEditedJson, useUnits } from './admin-ui';
import { JsonEditor } from './json-editor';

/** IM workflows: the list, and a JSON editor that shows the engine's validation errors while you type. */
export function WorkflowsPage() {
  const [, , id] = useRoute();
  return id ? <WorkflowEditor key={id} id={id} /> : <WorkflowList />;
}

function WorkflowList() {
  const { api } = useApp();
  const list = useLoad(() => api.get(Workflows, '/admin/workflows'), [api]);
  return (
    <AdminPage
      title="Workflows"
      description="IM workflows run each task of a service: messages, opening hours, collecting information, queueing. A service chooses its workflow on its settings page."
    >
      <ListStatus
        list={list}
        items={list.data?.items}
        loadingLabel="Loading workflows…"
        emptyTitle="No workflows yet"
        emptyText="Services without a workflow queue their tasks directly with the default distribution."
      />
      <ItemTable
        label="Workflows"
        columns={['Name', 'Id']}
        items={list.data?.items}
        cells={(w) => [<Link href={href('admin', 'workflows', w.id)}>{w.name}</Link>, w.id]}
      />
      <NewIdForm
        headingId="new-workflow"
        heading="New workflow"
        onCreate={(id) => navigate('admin', 'workflows', id)}
      />
    </AdminPage>
  );
}

function WorkflowEditor({ id }: { id: string }) {
  const { api, me, notify } = useApp();
  const units = useUnits();
  const path = `/admin/workflows/${encodeURIComponent(id)}`;
  const loaded = useEditedJson(path);
  const calendars = useLoad(() => api.get(Calendars, '/admin/calendars'), [api]);
  const [text, setText] = useState<string>();
  const [warnings, setWarnings] = useState<string[]>([]);

  // A new workflow starts from the default IM workflow of the first unit and calendar.
  useEffect(() => {
    if (text !== undefined || !loaded.data) return;
    if (loaded.data.definition) {
      const { id: _id, tenantId: _t, type: _type, ...rest } = loaded.data.definition;
      setText(JSON.stringify(rest, null, 2));
    } else if (units.data && calendars.data) {
      const {
        id: _id,
        tenantId: _t,
        type: _type,
        version: _v,
        updatedAt: _u,
        ...rest
      } = defaultImWorkflow({
        id,
        tenantId: me.tenantId,
        unitId: units.data.items[0]?.id ?? 'unit',
        calendarId: calendars.data.items[0]?.id ?? 'calendar-id',
        name: id,
      });
      setText(JSON.stringify(rest, null, 2));
    }
  }, [loaded.data, units.data, calendars.data, text, id, me.tenantId]);

  const check = useCallback(
    async (parsed: unknown) =>
      (await api.call(WorkflowCheck, 'POST', `${path}/check`, parsed)).errors.map((e) => ({
        where: e.nodeId,
        message: e.message,
      })),
    [api, path],
  );
  const save = useCallback(
    async (parsed: unknown) => {
      const saved = await api.call(WorkflowSaved, 'PUT', path, parsed);
      setWarnings(saved.warnings);
      notify(`Workflow saved (version ${saved.version})`);
    },
    [api, path, notify],
  );

  if (loaded.error && !loaded.data) return <LoadErrorPage title="Workflow" loaded={loaded} />;
  if (text === undefined) return <Loading label="Loading the workflow…" />;

  return (
    <AdminPage
      title={`Workflow ${id}${loaded.data?.isNew ? ' (new)' : ''}`}
      description="Edit the workflow as JSON: activities (nodes) with their settings, connected by named exits."
    >
      <Link href={href('admin', 'workflows')}>All workflows</Link>
      <JsonEditor
        name="Workflow editor"
        label="Workflow (JSON)"
        initial={text}
        check={check}
        save={save}
        aside={
          calendars.data &&
          calendars.data.items.length > 0 && (
            <Caption1>
              Calendars for Check Opening Hours: {calendars.data.items.map((c) => `${c.id} (${c.name})`).join(', ')}
            </Caption1>
          )
        }
      >
        {warnings.length > 0 && (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Saved, but services using it are affected</MessageBarTitle>
              {warnings.join(' ')}
            </MessageBarBody>
          </MessageBar>
        )}
      </JsonEditor>
    </AdminPage>
  );
}
