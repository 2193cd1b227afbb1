import { Caption1, Field, Select, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { z } from 'zod/v4';
import { Units } from '../../../../bot/src/contracts';
import { useApp } from '../../context';
import { useAction, useLoad } from '../../use-load';

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
