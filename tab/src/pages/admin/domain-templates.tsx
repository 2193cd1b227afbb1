import { Caption1, Field, Textarea } from '@fluentui/react-components';
import { DomainTemplate, DomainTemplates } from '../../../../bot/src/contracts';
import { ItemList } from '../../components/item-list';
import { AdminPage, DeleteError, ItemEditor, NameAndUnitFields, NewItemButton, useUnitItems } from './admin-ui';

type Draft = { id: string | undefined; name: string; unitId: string; origins: string };
const blank = (unitId: string): Draft => ({ id: undefined, name: '', unitId, origins: '' });
const draftOf = (t: DomainTemplate): Draft => ({
  id: t.id,
  name: t.name,
  unitId: t.unitId,
  origins: t.origins.join('\n'),
});

/** Interact domain templates (CORS): the websites a restricted widget may appear on. */
export function DomainTemplatesPage() {
  const { list, units, unitName, draft, setDraft, startNew, rowActions, save, saveDraft, cancel, remove } =
    useUnitItems({
      label: 'Domain template',
      path: '/admin/domain-templates',
      list: DomainTemplates,
      item: DomainTemplate,
      blank,
    });
  const problems = new Map((save.error?.problems ?? []).map((p) => [p.field.split('.')[0], p.message]));

  const submit = (d: Draft) =>
    saveDraft(d.id, {
      name: d.name,
      unitId: d.unitId,
      origins: d.origins.split(/\s*[\n,]\s*/).filter((o) => o.length > 0),
    });

  return (
    <AdminPage
      title="Domain templates"
      description="Whitelists of websites (origins such as https://www.example.com or https://*.example.com). Users and services of the same organization unit select them when Restrict Access is on."
    >
      <ItemList
        list={list}
        items={list.data?.items}
        notDeleted={<DeleteError remove={remove} title="Not deleted" />}
        loadingLabel="Loading domain templates…"
        emptyTitle="No domain templates yet"
        emptyText="Create one to let users and services restrict their widget to your websites."
        label="Domain templates"
        columns={['Name', 'Organization unit', 'Websites']}
        cells={(t) => [t.name, unitName(t.unitId), t.origins.join(', ')]}
        actions={rowActions(draftOf)}
      />
      {!draft && (
        <NewItemButton disabled={!units.data} onClick={startNew}>
          New domain template
        </NewItemButton>
      )}
      {draft && (
        <ItemEditor
          headingId="dt-form"
          heading={draft.id ? 'Edit domain template' : 'New domain template'}
          onSubmit={() => void submit(draft)}
          save={save}
          errorInFields={problems.size > 0}
          note={<Caption1>Changes apply to restricted widgets at once.</Caption1>}
          onCancel={cancel}
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
        </ItemEditor>
      )}
    </AdminPage>
  );
}
