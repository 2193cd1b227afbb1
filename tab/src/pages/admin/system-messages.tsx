import { Field, Input, Radio, RadioGroup, Subtitle2, Textarea } from '@fluentui/react-components';
import { SystemMessages, SystemMessagesList } from '../../../../bot/src/contracts';
import { ItemList } from '../../components/item-list';
import { AdminPage, DeleteError, ItemEditor, NameAndUnitFields, NewItemButton, useUnitItems } from './admin-ui';

const customerTexts = [
  ['onCreate', 'When the chat is created'],
  ['onAccept', 'When an agent accepts'],
  ['onEnd', 'When the chat ends'],
  ['onUnavailable', 'When nobody is available'],
] as const;
const agentTexts = [
  ['onAccept', 'When the agent accepts'],
  ['onEnd', 'When the chat ends'],
] as const;

type Draft = {
  id: string | undefined;
  name: string;
  unitId: string;
  mode: 'fullName' | 'firstName' | 'custom';
  customName: string;
  toAgent: Record<(typeof agentTexts)[number][0], string>;
  toCustomer: Record<(typeof customerTexts)[number][0], string>;
};

const draftOf = (m: SystemMessages): Draft => ({
  id: m.id,
  name: m.name,
  unitId: m.unitId,
  mode: m.agentDisplayName.mode,
  customName: m.agentDisplayName.mode === 'custom' ? m.agentDisplayName.text : '',
  toAgent: { onAccept: m.toAgent.onAccept ?? '', onEnd: m.toAgent.onEnd ?? '' },
  toCustomer: {
    onCreate: m.toCustomer.onCreate ?? '',
    onAccept: m.toCustomer.onAccept ?? '',
    onEnd: m.toCustomer.onEnd ?? '',
    onUnavailable: m.toCustomer.onUnavailable ?? '',
  },
});
const blank = (unitId: string): Draft => ({
  id: undefined,
  name: '',
  unitId,
  mode: 'fullName',
  customName: '',
  toAgent: { onAccept: '', onEnd: '' },
  toCustomer: { onCreate: '', onAccept: '', onEnd: '', onUnavailable: '' },
});

/** Empty texts are left out: that message is simply not sent. */
const texts = <K extends string>(values: Record<K, string>) =>
  Object.fromEntries(
    Object.entries<string>(values)
      .filter(([, v]) => v.trim().length > 0)
      .map(([k, v]) => [k, v.trim()]),
  );

const textsTo = { toCustomer: customerTexts, toAgent: agentTexts } as const;

/** The texts the customer or the agent gets (`to`), under their heading; an empty text is not sent. */
function TextFields({
  heading,
  to,
  draft,
  setDraft,
  problems,
}: {
  heading: string;
  to: keyof typeof textsTo;
  draft: Draft;
  setDraft: (draft: Draft) => void;
  problems: Map<string, string>;
}) {
  const values: Record<string, string> = draft[to];
  return (
    <>
      <Subtitle2 block as="h3">
        {heading}
      </Subtitle2>
      {textsTo[to].map(([key, label]) => (
        <Field key={key} label={label} validationMessage={problems.get(`${to}.${key}`)}>
          <Textarea
            value={values[key]}
            maxLength={1000}
            onChange={(_, d) => setDraft({ ...draft, [to]: { ...values, [key]: d.value } })}
          />
        </Field>
      ))}
    </>
  );
}

/** Direct system messages (Configuration > Instant Messaging), chosen per user or service in Interact. */
export function SystemMessagesPage() {
  const { list, units, unitName, draft, setDraft, startNew, rowActions, save, saveDraft, cancel, remove } =
    useUnitItems({
      label: 'System messages',
      path: '/admin/system-messages',
      list: SystemMessagesList,
      item: SystemMessages,
      blank,
    });
  const problems = new Map((save.error?.problems ?? []).map((p) => [p.field, p.message]));

  const submit = (d: Draft) =>
    saveDraft(d.id, {
      name: d.name,
      unitId: d.unitId,
      agentDisplayName: d.mode === 'custom' ? { mode: 'custom', text: d.customName } : { mode: d.mode },
      toAgent: texts(d.toAgent),
      toCustomer: texts(d.toCustomer),
    });

  return (
    <AdminPage
      title="Direct system messages"
      description="How an agent's name appears to the customer, and the messages the customer and the agent get. Users and services choose them in their Interact settings."
    >
      <ItemList
        list={list}
        items={list.data?.items}
        notDeleted={<DeleteError remove={remove} title="Not deleted" />}
        loadingLabel="Loading system messages…"
        emptyTitle="No system messages yet"
        label="Direct system messages"
        columns={['Name', 'Organization unit', 'Agent name shown']}
        cells={(m) => [
          m.name,
          unitName(m.unitId),
          m.agentDisplayName.mode === 'custom'
            ? `"${m.agentDisplayName.text}"`
            : m.agentDisplayName.mode === 'firstName'
              ? 'First name'
              : 'Full name',
        ]}
        actions={rowActions(draftOf)}
      />
      {!draft && (
        <NewItemButton disabled={!units.data} onClick={startNew}>
          New system messages
        </NewItemButton>
      )}
      {draft && (
        <ItemEditor
          headingId="sm-form"
          heading={draft.id ? 'Edit system messages' : 'New system messages'}
          onSubmit={() => void submit(draft)}
          save={save}
          errorInFields={problems.size > 0}
          onCancel={cancel}
        >
          <NameAndUnitFields draft={draft} setDraft={setDraft} units={units.data?.items} problems={problems} />
          <Field label="Agent name shown to the customer">
            <RadioGroup value={draft.mode} onChange={(_, d) => setDraft({ ...draft, mode: d.value as Draft['mode'] })}>
              <Radio value="fullName" label="Full name" />
              <Radio value="firstName" label="First name" />
              <Radio value="custom" label="A fixed name" />
            </RadioGroup>
          </Field>
          {draft.mode === 'custom' && (
            <Field label="Fixed name" required validationMessage={problems.get('agentDisplayName.text')}>
              <Input value={draft.customName} onChange={(_, d) => setDraft({ ...draft, customName: d.value })} />
            </Field>
          )}
          <TextFields heading="To the customer" to="toCustomer" draft={draft} setDraft={setDraft} problems={problems} />
          <TextFields heading="To the agent" to="toAgent" draft={draft} setDraft={setDraft} problems={problems} />
        </ItemEditor>
      )}
    </AdminPage>
  );
}
