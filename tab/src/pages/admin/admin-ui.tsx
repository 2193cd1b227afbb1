import {
  Button,
  Caption1,
  Field,
  Input,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { type ReactNode, useState } from 'react';
import type { z } from 'zod/v4';
import { EditedJson, Units } from '../../../../bot/src/contracts';
import type { ApiError } from '../../api/client';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { type Loaded, useAction, useLoad } from '../../use-load';

export const useAdminStyles = makeStyles({
  page: {
    padding: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    maxWidth: '980px',
  },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow2,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
});

export function AdminPage({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const styles = useAdminStyles();
  return (
    <div className={styles.page}>
      <div>
        <Title3 as="h1">{title}</Title3>
        {description && <Caption1 block>{description}</Caption1>}
      </div>
      {children}
    </div>
  );
}

/** The organization units, for the unit pickers of configuration items. */
export function useUnits() {
  const { api } = useApp();
  return useLoad(() => api.get(Units, '/admin/units'), [api]);
}

/** The organization unit picker every unit-owned configuration item has. */
export function UnitField({
  units,
  value,
  onChange,
  validationMessage,
}: {
  units: { id: string; name: string }[] | undefined;
  value: string;
  onChange: (unitId: string) => void;
  validationMessage?: string;
}) {
  return (
    <Field label="Organization unit" required validationMessage={validationMessage}>
      <Select value={value} onChange={(_, d) => onChange(d.value)}>
        {units?.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/**
 * Saving and deleting one kind of admin item at `path` (POST to create, PUT to update, DELETE), then
 * telling the person and reloading the list. Returns the saved item, or undefined when it was refused.
 */
export function useItemEditor<T extends { name: string }>(options: {
  label: string;
  path: string;
  schema: z.ZodType<T>;
  reload: () => unknown;
}) {
  const { api, notify } = useApp();
  const save = useAction();
  const remove = useAction();
  const { label, path, schema, reload } = options;
  const saveItem = async (id: string | undefined, body: unknown): Promise<T | undefined> => {
    const saved = await save.run(() =>
      id ? api.call(schema, 'PUT', `${path}/${encodeURIComponent(id)}`, body) : api.call(schema, 'POST', path, body),
    );
    if (saved) {
      notify(`${label} ${saved.name} saved`);
      void reload();
    }
    return saved;
  };
  const deleteItem = async (item: { id: string; name: string }): Promise<void> => {
    const deleted = await remove.run(async () => {
      await api.send('DELETE', `${path}/${encodeURIComponent(item.id)}`);
      return true;
    });
    if (deleted) {
      notify(`${label} ${item.name} deleted`);
      void reload();
    }
  };
  return { save, remove, saveItem, deleteItem };
}

/** What the shared parts read of a load. */
type LoadState = Pick<Loaded<unknown>, 'data' | 'error' | 'reload'>;

/** The list part of an admin page: the load error, the loading state and the empty state. */
export function ListStatus({
  list,
  items,
  loadingLabel,
  emptyTitle,
  emptyText,
  notDeleted,
}: {
  list: LoadState;
  items: unknown[] | undefined;
  loadingLabel: string;
  emptyTitle: string;
  emptyText?: ReactNode;
  /** Shown between the load error and the loading state, e.g. the error of a refused delete. */
  notDeleted?: ReactNode;
}) {
  return (
    <>
      {list.error && <ErrorBar error={list.error} onRetry={() => void list.reload()} />}
      {notDeleted}
      {!list.data && !list.error && <Loading label={loadingLabel} />}
      {items && items.length === 0 && <Empty title={emptyTitle}>{emptyText}</Empty>}
    </>
  );
}

/** The error bar of a refused delete. */
export function DeleteError({
  remove,
  title,
}: {
  remove: { error: ApiError | undefined; clear: () => void };
  title?: string;
}) {
  return remove.error ? <ErrorBar error={remove.error} title={title} onDismiss={remove.clear} /> : null;
}

/** The table of an admin list; nothing when there are no items. `actions` adds a last column of row buttons. */
export function ItemTable<T extends { id: string }>({
  label,
  columns,
  items,
  cells,
  actions,
}: {
  label: string;
  columns: string[];
  items: T[] | undefined;
  cells: (item: T) => ReactNode[];
  actions?: (item: T) => ReactNode;
}) {
  if (!items || items.length === 0) return null;
  return (
    <Table aria-label={label} size="small">
      <TableHeader>
        <TableRow>
          {columns.map((c) => (
            <TableHeaderCell key={c}>{c}</TableHeaderCell>
          ))}
          {actions && (
            <TableHeaderCell>
              <span className="visually-hidden">Actions</span>
            </TableHeaderCell>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((item) => (
          <TableRow key={item.id}>
            {cells(item).map((cell, i) => (
              <TableCell key={i}>{cell}</TableCell>
            ))}
            {actions && <TableCell>{actions(item)}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The Edit and Delete buttons of one row. */
export function RowActions({
  name,
  onEdit,
  onDelete,
  deleteDisabled,
}: {
  name: string;
  onEdit: () => void;
  onDelete: () => void;
  deleteDisabled?: boolean;
}) {
  const styles = useAdminStyles();
  return (
    <div className={styles.row}>
      <Button size="small" onClick={onEdit} aria-label={`Edit ${name}`}>
        Edit
      </Button>
      <Button size="small" disabled={deleteDisabled} onClick={onDelete} aria-label={`Delete ${name}`}>
        Delete
      </Button>
    </div>
  );
}

/** The primary button that opens the editor for a new item. */
export function NewItemButton({
  disabled,
  onClick,
  children,
}: {
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <div>
      <Button appearance="primary" disabled={disabled} onClick={onClick}>
        {children}
      </Button>
    </div>
  );
}

/** The editor card of one item: a form labelled by its heading. */
export function EditorForm({
  headingId,
  heading,
  label,
  onSubmit,
  children,
}: {
  headingId?: string;
  heading?: ReactNode;
  label?: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const styles = useAdminStyles();
  return (
    <form
      className={styles.card}
      aria-labelledby={headingId}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {heading !== undefined && (
        <Subtitle2 block as="h2" id={headingId}>
          {heading}
        </Subtitle2>
      )}
      {children}
    </form>
  );
}

/** The Save and Cancel buttons of an editor. */
export function SaveBar({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const styles = useAdminStyles();
  return (
    <div className={styles.row}>
      <Button appearance="primary" type="submit" disabled={busy}>
        Save
      </Button>
      <Button onClick={onCancel}>Cancel</Button>
    </div>
  );
}

/** The required Name field of an item. */
export function NameField({
  value,
  onChange,
  validationMessage,
  className,
}: {
  value: string;
  onChange: (name: string) => void;
  validationMessage?: string;
  className?: string;
}) {
  return (
    <Field label="Name" required className={className} validationMessage={validationMessage}>
      <Input value={value} onChange={(_, d) => onChange(d.value)} />
    </Field>
  );
}

/** The ids of workflows and web requests. */
export const ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The card that starts a new JSON-edited item by its id. */
export function NewIdForm({
  headingId,
  heading,
  onCreate,
}: {
  headingId: string;
  heading: string;
  onCreate: (id: string) => void;
}) {
  const styles = useAdminStyles();
  const [newId, setNewId] = useState('');
  return (
    <EditorForm
      headingId={headingId}
      heading={heading}
      onSubmit={() => {
        if (ID.test(newId)) onCreate(newId);
      }}
    >
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
    </EditorForm>
  );
}

/** Loads a JSON-edited item at `path`; a 404 means it is new. */
export function useEditedJson(path: string) {
  const { api } = useApp();
  return useLoad(async () => {
    try {
      return { definition: await api.get(EditedJson, path), isNew: false };
    } catch (err) {
      if (err instanceof Error && 'status' in err && (err as { status: number }).status === 404)
        return { definition: undefined, isNew: true };
      throw err;
    }
  }, [api, path]);
}

/** The page shown when a JSON-edited item could not be loaded. */
export function LoadErrorPage({ title, loaded }: { title: string; loaded: LoadState }) {
  return (
    <AdminPage title={title}>
      <ErrorBar error={loaded.error!} onRetry={() => void loaded.reload()} />
    </AdminPage>
  );
}

/** The Name and Organization unit fields of a unit-owned item, with the server's validation messages. */
export function NameAndUnitFields<D extends { name: string; unitId: string }>({
  draft,
  setDraft,
  units,
  problems,
}: {
  draft: D;
  setDraft: (draft: D) => void;
  units: { id: string; name: string }[] | undefined;
  problems: { get: (field: string) => string | undefined };
}) {
  return (
    <>
      <NameField
        value={draft.name}
        onChange={(name) => setDraft({ ...draft, name })}
        validationMessage={problems.get('name')}
      />
      <UnitField
        units={units}
        value={draft.unitId}
        onChange={(unitId) => setDraft({ ...draft, unitId })}
        validationMessage={problems.get('unitId')}
      />
    </>
  );
}

/** The name of a unit by its id, or the id when the unit is unknown. */
export const unitNameIn = (units: { id: string; name: string }[] | undefined) => (id: string) =>
  units?.find((u) => u.id === id)?.name ?? id;
