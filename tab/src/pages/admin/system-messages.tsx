import { Field, Input, Radio, RadioGroup, Subtitle2, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { SystemMessages, SystemMessagesList } from '../../../../bot/src/contracts';
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

/** Direct system messages (Configuration > Instant Messaging), chosen per user or service in Interact. */
export function SystemMessagesPage() {
  const { api } = useApp();
  const list = useLoad(() => api.get(SystemMessagesList, '/admin/system-messages'), [api]);
  const units = useUnits();
  const [draft, setDraft] = useState<Draft>();
  const { save, remove, saveItem, deleteItem } = useItemEditor({
    label: 'System messages',
    path: '/admin/system-messages',
    schema: SystemMessages,
    reload: () => list.reload(),
  });
  const problems = new Map((save.error?.problems ?? []).map((p) => [p.field, p.message]));
  const unitName = unitNameIn(units.data?.items);

  const submit = async (d: Draft) => {
    const body = {
      name: d.name,
      unitId: d.unitId,
      agentDisplayName: d.mode === 'custom' ? { mode: 'custom', text: d.customName } : { mode: d.mode },
      toAgent: texts(d.toAgent),
      toCustomer: texts(d.toCustomer),
    };
    if (await saveItem(d.id, body)) setDraft(undefined);
  };

  return (
    <AdminPage
      title="Direct system messages"
      description="How an agent's name appears to the customer, and the messages the customer and the agent get. Users and services choose them in their Interact settings."
    >
      <ListStatus
        list={list}
        items={list.data?.items}
        notDeleted={<DeleteError remove={remove} title="Not deleted" />}
        loadingLabel="Loading system messages…"
        emptyTitle="No system messages yet"
      />
      <ItemTable
        label="Direct system messages"
        columns={['Name', 'Organization unit', 'Agent name shown']}
        items={list.data?.items}
        cells={(m) => [
          m.name,
          unitName(m.unitId),
          m.agentDisplayName.mode === 'custom'
            ? `"${m.agentDisplayName.text}"`
            : m.agentDisplayName.mode === 'firstName'
              ? 'First name'
              : 'Full name',
        ]}
        actions={(m) => (
          <RowActions
            name={m.name}
            onEdit={() => setDraft(draftOf(m))}
            deleteDisabled={remove.busy}
            onDelete={() => void deleteItem(m)}
          />
        )}
      />
      {!draft && (
        <NewItemButton disabled={!units.data} onClick={() => setDraft(blank(units.data?.items[0]?.id ?? ''))}>
          New system messages
        </NewItemButton>
      )}
      {draft && (
        <EditorForm
          headingId="sm-form"
          heading={draft.id ? 'Edit system messages' : 'New system messages'}
          onSubmit={() => void submit(draft)}
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
          <Subtitle2 block as="h3">
            To the customer
          </Subtitle2>
          {customerTexts.map(([key, label]) => (
            <Field key={key} label={label} validationMessage={problems.get(`toCustomer.${key}`)}>
              <Textarea
                value={draft.toCustomer[key]}
                maxLength={1000}
                onChange={(_, d) => setDraft({ ...draft, toCustomer: { ...draft.toCustomer, [key]: d.value } })}
              />
            </Field>
          ))}
          <Subtitle2 block as="h3">
            To the agent
          </Subtitle2>
          {agentTexts.map(([key, label]) => (
            <Field key={key} label={label} validationMessage={problems.get(`toAgent.${key}`)}>
              <Textarea
                value={draft.toAgent[key]}
                maxLength={1000}
                onChange={(_, d) => setDraft({ ...draft, toAgent: { ...draft.toAgent, [key]: d.value } })}
              />
            </Field>
          ))}
          {save.error && problems.size === 0 && <ErrorBar error={save.error} />}
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
