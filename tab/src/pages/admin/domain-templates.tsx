import { Caption1, Field, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { DomainTemplate, DomainTemplates } from '../../../../bot/src/contracts';
import { ErrorBar } from '../../components/status';
import { useApp } from '../../context';
import { useLoad } from '../../use-load';
import {
  AdminPage,
  DeleteError,
  EditorForm,
  ItemTable,
  ListStatus,
  NameAndUnitFields,
  NewItemButton,
  RowActions,
  SaveBar,
  useItemEditor,
  unitNameIn,
  useUnits,
} from './admin-ui';

type Draft = { id: string | undefined; name: string; unitId: string; origins: string };
const blank = (unitId: string): Draft => ({ id: undefined, name: '', unitId, origins: '' });

/** Interact domain templates (CORS): the websites a restricted widget may appear on. */
export function DomainTemplatesPage() {
  const { api } = useApp();
  const list = useLoad(() => api.get(DomainTemplates, '/admin/domain-templates'), [api]);
  const units = useUnits();
  const [draft, setDraft] = useState<Draft>();
  const { save, remove, saveItem, deleteItem } = useItemEditor({
    label: 'Domain template',
    path: '/admin/domain-templates',
    schema: DomainTemplate,
    reload: () => list.reload(),
  });
  const unitName = unitNameIn(units.data?.items);
  const problems = new Map((save.error?.problems ?? []).map((p) => [p.field.split('.')[0], p.message]));

  const submit = async (d: Draft) => {
    const body = {
      name: d.name,
      unitId: d.unitId,
      origins: d.origins.split(/\s*[\n,]\s*/).filter((o) => o.length > 0),
    };
    if (await saveItem(d.id, body)) setDraft(undefined);
  };

  return (
    <AdminPage
      title="Domain templates"
      description="Whitelists of websites (origins such as https://www.example.com or https://*.example.com). Users and services of the same organization unit select them when Restrict Access is on."
    >
      <ListStatus
        list={list}
        items={list.data?.items}
        notDeleted={<DeleteError remove={remove} title="Not deleted" />}
        loadingLabel="Loading domain templates…"
        emptyTitle="No domain templates yet"
        emptyText="Create one to let users and services restrict their widget to your websites."
      />
      <ItemTable
        label="Domain templates"
        columns={['Name', 'Organization unit', 'Websites']}
        items={list.data?.items}
        cells={(t) => [t.name, unitName(t.unitId), t.origins.join(', ')]}
        actions={(t) => (
          <RowActions
            name={t.name}
            onEdit={() => setDraft({ id: t.id, name: t.name, unitId: t.unitId, origins: t.origins.join('\n') })}
            deleteDisabled={remove.busy}
            onDelete={() => void deleteItem(t)}
          />
        )}
      />
      {!draft && (
        <NewItemButton disabled={!units.data} onClick={() => setDraft(blank(units.data?.items[0]?.id ?? ''))}>
          New domain template
        </NewItemButton>
      )}
      {draft && (
        <EditorForm
          headingId="dt-form"
          heading={draft.id ? 'Edit domain template' : 'New domain template'}
          onSubmit={() => void submit(draft)}
        >
          <NameAndUnitFields draft={draft} setDraft={setDraft} units={units.data?.items} problems={problems} />
          <Field
            label="Websites"
            required
            hint="One origin per line: scheme, host and optional port, no path."
            validationMessage={problems.get('origins')}
          >
            <Textarea value={draft.origins} rows={4} onChange={(_, d) => setDraft({ ...draft, origins: d.value })} />
          </Field>
          {save.error && problems.size === 0 && <ErrorBar error={save.error} />}
          <Caption1>Changes apply to restricted widgets at once.</Caption1>
          <SaveBar
            busy={save.busy}
            onCancel={() => {
              save.clear();
              setDraft(undefined);
            }}
          />
        </EditorForm>
      )}
    </AdminPage>
  );
}
