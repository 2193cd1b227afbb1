import { Caption1, Checkbox, Field } from '@fluentui/react-components';
import type { UserSummary } from '../../../../bot/src/contracts';

/** Who supervises a service or unit: the organization's users, checked or not (the live dashboard, chats and reports). */
export function SupervisorPicker({
  users,
  value,
  onChange,
  hint,
  validationMessage,
}: {
  users: Pick<UserSummary, 'id' | 'displayName' | 'active'>[] | undefined;
  value: string[];
  onChange: (userIds: string[]) => void;
  hint: string;
  validationMessage?: string;
}) {
  const chosen = new Set(value);
  // A supervisor who left the directory stays listed while still chosen, so they can be removed.
  const shown = (users ?? []).filter((u) => u.active || chosen.has(u.id));
  return (
    <Field label="Supervisors" hint={hint} validationMessage={validationMessage}>
      <div role="group" aria-label="Supervisors">
        {users === undefined && <Caption1>Loading the users…</Caption1>}
        {shown.map((u) => (
          <Checkbox
            key={u.id}
            label={u.active ? u.displayName : `${u.displayName} (left the directory)`}
            checked={chosen.has(u.id)}
            onChange={(_, d) => onChange(d.checked ? [...value, u.id] : value.filter((id) => id !== u.id))}
          />
        ))}
      </div>
    </Field>
  );
}
