import {
  Button,
  Caption1,
  Field,
  Input,
  Select,
  Subtitle2,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { type ReactNode, useState } from 'react';
import type { z } from 'zod/v4';
import { EditedJson, Units } from '../../../../bot/src/contracts';
import type { ApiError } from '../../api/client';
import { ItemOptions } from '../../components/fields';
import type { LoadState } from '../../components/item-list';
import { ErrorBar } from '../../components/status';
import { useApp } from '../../context';
import { card, page } from '../../styles';
import { useAction, useGet, useLoad } from '../../use-load';

export const useAdminStyles = makeStyles({
  page: { ...page(tokens.spacingVerticalL), maxWidth: '980px' },
  card,
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
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
  return useGet(Units, '/admin/units');
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
        <ItemOptions items={units} />
      </Select>
    </Field>
  );
}

/**
 * Editing one kind of admin item at `path`, one item at a time: the draft in the editor (undefined while
 * it is closed), saving it (POST to create, PUT to update) and deleting an item, each time telling the
 * person and reloading the list.
 */
export function useItemEditor<D>(options: {
  label: string;
  path: string;
  schema: z.ZodType<{ name: string }>;
  reload: () => unknown;
}) {
  const { api, notify } = useApp();
  const save = useAction();
  const remove = useAction();
  const [draft, setDraft] = useState<D>();
  const { label, path, schema, reload } = options;
  /** Saves the draft of item `id` (undefined for a new one) as `body`; once saved, the editor closes. */
  const saveDraft = async (id: string | undefined, body: unknown): Promise<void> => {
    const saved = await save.run(() =>
      id ? api.call(schema, 'PUT', `${path}/${encodeURIComponent(id)}`, body) : api.call(schema, 'POST', path, body),
    );
    if (saved) {
      notify(`${label} ${saved.name} saved`);
      void reload();
      setDraft(undefined);
    }
  };
  /** Closes the editor and forgets a refused save. */
  const cancel = () => {
    save.clear();
    setDraft(undefined);
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
  return { draft, setDraft, save, remove, saveDraft, cancel, deleteItem };
}

/**
 * An admin page of items that belong to an organization unit: the list at `path` (read with `list`),
 * the units, and the editor of one item (see useItemEditor). `blank` is the draft of a new item in a unit.
 */
export function useUnitItems<T extends { id: string; name: string }, D>(options: {
  label: string;
  path: string;
  list: z.ZodType<{ items: T[] }>;
  item: z.ZodType<{ name: string }>;
  blank: (unitId: string) => D;
}) {
  const { label, path, item, blank } = options;
  const list = useGet(options.list, path);
  const units = useUnits();
  const editor = useItemEditor<D>({ label, path, schema: item, reload: list.reload });
  return {
    ...editor,
    list,
    units,
    unitName: unitNameIn(units.data?.items),
    /** Opens the editor on a new item of the first unit. */
    startNew: () => editor.setDraft(blank(units.data?.items[0]?.id ?? '')),
    /** The Edit and Delete buttons of a row; Edit opens `toDraft(item)`, Delete waits for the last one. */
    rowActions: (toDraft: (item: T) => D) => (item: T) => (
      <RowActions
        name={item.name}
        onEdit={() => editor.setDraft(toDraft(item))}
        deleteDisabled={editor.remove.busy}
        onDelete={() => void editor.deleteItem(item)}
      />
    ),
  };
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

/**
 * The editor card of one item: a form labelled by its heading, with the item's fields, the refusal of
 * a save when no field shows it (`errorInFields`), a `note`, and Save and Cancel.
 */
export function ItemEditor({
  headingId,
  heading,
  onSubmit,
  save,
  errorInFields,
  note,
  onCancel,
  children,
}: {
  headingId: string;
  heading: string;
  onSubmit: () => void;
  save: { busy: boolean; error: ApiError | undefined };
  errorInFields: boolean;
  note?: ReactNode;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <EditorForm headingId={headingId} heading={heading} onSubmit={onSubmit}>
      {children}
      {save.error && !errorInFields && <ErrorBar error={save.error} />}
      {note}
      <SaveBar busy={save.busy} onCancel={onCancel} />
    </EditorForm>
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

/** The page shown when an item could not be loaded. */
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
