import { Button, Field, Select, Tree, TreeItem, TreeItemLayout } from '@fluentui/react-components';
import { OrgUnit, Users } from '../../../../bot/src/contracts';
import { ItemOptions } from '../../components/fields';
import { Loading } from '../../components/status';
import { useGet } from '../../use-load';
import { SupervisorPicker } from './supervisor-picker';
import {
  AdminPage,
  DeleteError,
  ItemEditor,
  LoadErrorPage,
  NameField,
  NewItemButton,
  useItemEditor,
  useUnits,
} from './admin-ui';

type Draft = { id: string | undefined; name: string; parentId: string | null; supervisorUserIds: string[] };

/** Organization units: a tree; every configuration item and user belongs to one. */
export function UnitsPage() {
  const units = useUnits();
  const users = useGet(Users, '/admin/users');
  const { draft, setDraft, save, saveDraft, remove, deleteItem } = useItemEditor<Draft>({
    label: 'Unit',
    path: '/admin/units',
    schema: OrgUnit,
    reload: units.reload,
  });

  if (units.error && !units.data) return <LoadErrorPage title="Organization units" loaded={units} />;
  if (!units.data) return <Loading label="Loading organization units…" />;
  const all = units.data.items;
  const children = (parentId: string | null) => all.filter((u) => u.parentId === parentId);
  const submit = (d: Draft) =>
    saveDraft(d.id, { name: d.name, parentId: d.parentId, supervisorUserIds: d.supervisorUserIds });
  const branch = (parentId: string | null) =>
    children(parentId).map((u) => (
      <TreeItem key={u.id} itemType={children(u.id).length > 0 ? 'branch' : 'leaf'} value={u.id}>
        <TreeItemLayout
          actions={
            <>
              <Button
                size="small"
                onClick={() =>
                  setDraft({
                    id: u.id,
                    name: u.name,
                    parentId: u.parentId,
                    supervisorUserIds: u.supervisorUserIds ?? [],
                  })
                }
                aria-label={`Edit ${u.name}`}
              >
                Edit
              </Button>
              <Button
                size="small"
                onClick={() => setDraft({ id: undefined, name: '', parentId: u.id, supervisorUserIds: [] })}
                aria-label={`Add a unit under ${u.name}`}
              >
                Add unit
              </Button>
              <Button size="small" onClick={() => void deleteItem(u)} aria-label={`Delete ${u.name}`}>
                Delete
              </Button>
            </>
          }
        >
          {u.name}
        </TreeItemLayout>
        {children(u.id).length > 0 && <Tree>{branch(u.id)}</Tree>}
      </TreeItem>
    ));

  return (
    <AdminPage
      title="Organization units"
      description="Domain templates, system messages and opening hours are chosen within the unit of a user or service."
    >
      <DeleteError remove={remove} title="Not deleted" />
      <Tree aria-label="Organization units" defaultOpenItems={all.map((u) => u.id)}>
        {branch(null)}
      </Tree>
      {!draft && (
        <NewItemButton
          onClick={() => setDraft({ id: undefined, name: '', parentId: all[0]?.id ?? null, supervisorUserIds: [] })}
        >
          New unit
        </NewItemButton>
      )}
      {draft && (
        <ItemEditor
          headingId="unit-form"
          heading={draft.id ? 'Edit unit' : 'New unit'}
          onSubmit={() => void submit(draft)}
          save={save}
          errorInFields={(save.error?.problems.length ?? 0) > 0}
          onCancel={() => setDraft(undefined)}
        >
          <NameField value={draft.name} onChange={(name) => setDraft({ ...draft, name })} />
          <Field
            label="Parent unit"
            validationMessage={save.error?.problems.find((p) => p.field === 'parentId')?.message}
          >
            <Select
              value={draft.parentId ?? ''}
              onChange={(_, d) => setDraft({ ...draft, parentId: d.value === '' ? null : d.value })}
            >
              <option value="">None (top unit)</option>
              <ItemOptions items={all.filter((u) => u.id !== draft.id)} />
            </Select>
          </Field>
          <SupervisorPicker
            users={users.data?.users}
            value={draft.supervisorUserIds}
            onChange={(supervisorUserIds) => setDraft({ ...draft, supervisorUserIds })}
            hint="They supervise every service of this unit and of the units below it: live, in their chats and in the reports."
            validationMessage={save.error?.problems.find((p) => p.field === 'supervisorUserIds')?.message}
          />
        </ItemEditor>
      )}
    </AdminPage>
  );
}
