import { Field, Switch } from '@fluentui/react-components';

/** The options of a Select that picks one of `items` by its id, each shown by its name. */
export function ItemOptions({ items }: { items: { id: string; name: string }[] | undefined }) {
  return (
    <>
      {items?.map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
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
