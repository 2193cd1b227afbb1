import { Field, Switch } from '@fluentui/react-components';

/** The options of a Select that picks one of `items` by its id, each shown by its name. */
export function ItemOptions<T extends { id: string; name: string }>({
  items,
  unavailable,
}: {
  items: T[] | undefined;
  /** Why an item cannot be chosen: it is listed disabled, with the reason. */
  unavailable?: (item: T) => string | undefined;
}) {
  return (
    <>
      {items?.map((item) => {
        const reason = unavailable?.(item);
        return (
          <option key={item.id} value={item.id} disabled={reason !== undefined} title={reason}>
            {reason === undefined ? item.name : `${item.name} (not available: ${reason})`}
          </option>
        );
      })}
    </>
  );
}

/** A switch with the hint under it that says what it does, and the server's message when it is refused. */
export function SwitchField({
  label,
  hint,
  validationMessage,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  hint?: string;
  validationMessage?: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <Field hint={hint} validationMessage={validationMessage}>
      <Switch label={label} checked={checked} disabled={disabled} onChange={(_, d) => onChange(d.checked)} />
    </Field>
  );
}
