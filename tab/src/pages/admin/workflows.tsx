import { Caption1, Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { defaultImWorkflow } from '../../../../bot/src/core/workflow/default-im-workflow';
import { Calendars, WorkflowCheck, WorkflowSaved, Workflows } from '../../../../bot/src/contracts';
import { ItemList } from '../../components/item-list';
import { Loading } from '../../components/status';
import { useApp } from '../../context';
import { href, navigate } from '../../router';
import { useGet } from '../../use-load';
import { AdminPage, LoadErrorPage, NewIdForm, useEditedJson, useUnits } from './admin-ui';
import { type EditorProblem, JsonEditor, editableJson } from './json-editor';

/** IM workflows: the list; each opens in the workflow editor. */
export function WorkflowsPage() {
  const list = useGet(Workflows, '/admin/workflows');
  return (
    <AdminPage
      title="Workflows"
      description="IM workflows run each task of a service: messages, opening hours, collecting information, queueing. A service chooses its workflow on its settings page."
    >
      <ItemList
        list={list}
        items={list.data?.items}
        loadingLabel="Loading workflows…"
        emptyTitle="No workflows yet"
        emptyText="Services without a workflow queue their tasks directly with the default distribution."
        label="Workflows"
        columns={['Name', 'Id']}
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

/** One IM workflow in a JSON editor that shows the engine's validation errors while you type. */
export function WorkflowEditor({ id }: { id: string }) {
  const { api, me, notify } = useApp();
  const units = useUnits();
  const path = `/admin/workflows/${encodeURIComponent(id)}`;
  const loaded = useEditedJson(path);
  const calendars = useGet(Calendars, '/admin/calendars');
  const [text, setText] = useState<string>();
  const [warnings, setWarnings] = useState<string[]>([]);
  const [checkWarnings, setCheckWarnings] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);

  // A new workflow starts from the default IM workflow of the first unit and calendar.
  useEffect(() => {
    if (text !== undefined || !loaded.data) return;
    if (loaded.data.definition) setText(editableJson(loaded.data.definition));
    else if (units.data && calendars.data) {
      const workflow = defaultImWorkflow({
        id,
        tenantId: me.tenantId,
        unitId: units.data.items[0]?.id ?? 'unit',
        calendarId: calendars.data.items[0]?.id ?? 'calendar-id',
        name: id,
      });
      const { version: _v, updatedAt: _u, ...rest } = workflow;
      setText(editableJson(rest));
    }
  }, [loaded.data, units.data, calendars.data, text, id, me.tenantId]);

  // The check's warnings (activities an IM channel does not run) are shown before saving, next to its errors.
  const check = useMemo(
    () =>
      async (parsed: unknown): Promise<EditorProblem[]> => {
        const checked = await api.call(WorkflowCheck, 'POST', `${path}/check`, parsed);
        setCheckWarnings(checked.warnings);
        return checked.errors.map((e) => ({ where: e.nodeId, message: e.message }));
      },
    [api, path],
  );
  const save = async (parsed: unknown) => {
    const result = await api.call(WorkflowSaved, 'PUT', path, parsed);
    setWarnings(result.warnings);
    setSaved(true);
    notify(`Workflow saved (version ${result.version})`);
  };

  if (loaded.error && !loaded.data) return <LoadErrorPage title="Workflow" loaded={loaded} />;
  if (text === undefined) return <Loading label="Loading the workflow…" />;

  return (
    <AdminPage
      title={`Workflow ${id}${loaded.data?.isNew && !saved ? ' (new)' : ''}`}
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
        {checkWarnings.length > 0 && (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Not supported for Instant Messaging</MessageBarTitle>
              {checkWarnings.join(' ')}
            </MessageBarBody>
          </MessageBar>
        )}
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
