import {
  Button,
  Field,
  Input,
  Radio,
  RadioGroup,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
} from '@fluentui/react-components';
import { useState } from 'react';
import { SystemMessages, SystemMessagesList } from '../../../../bot/src/contracts';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { useLoad } from '../../use-load';
import { AdminPage, UnitField, useAdminStyles, useItemEditor, useUnits } from './admin-ui';

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
  const styles = useAdminStyles();
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
  const unitName = (id: string) => units.data?.items.find((u) => u.id === id)?.name ?? id;

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
      {list.error && <ErrorBar error={list.error} onRetry={() => void list.reload()} />}
      {remove.error && <ErrorBar error={remove.error} title="Not deleted" onDismiss={remove.clear} />}
      {!list.data && !list.error && <Loading label="Loading system messages…" />}
      {list.data && list.data.items.length === 0 && <Empty title="No system messages yet" />}
      {list.data && list.data.items.length > 0 && (
        <Table aria-label="Direct system messages" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Organization unit</TableHeaderCell>
              <TableHeaderCell>Agent name shown</TableHeaderCell>
              <TableHeaderCell>
                <span className="visually-hidden">Actions</span>
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.items.map((m) => (
              <TableRow key={m.id}>
                <TableCell>{m.name}</TableCell>
                <TableCell>{unitName(m.unitId)}</TableCell>
                <TableCell>
                  {m.agentDisplayName.mode === 'custom'
                    ? `"${m.agentDisplayName.text}"`
                    : m.agentDisplayName.mode === 'firstName'
                      ? 'First name'
                      : 'Full name'}
                </TableCell>
                <TableCell>
                  <div className={styles.row}>
                    <Button size="small" onClick={() => setDraft(draftOf(m))} aria-label={`Edit ${m.name}`}>
                      Edit
                    </Button>
                    <Button
                      size="small"
                      disabled={remove.busy}
                      onClick={() => void deleteItem(m)}
                      aria-label={`Delete ${m.name}`}
                    >
                      Delete
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {!draft && (
        <div>
          <Button
            appearance="primary"
            disabled={!units.data}
            onClick={() => setDraft(blank(units.data?.items[0]?.id ?? ''))}
          >
            New system messages
          </Button>
        </div>
      )}
      {draft && (
        <form
          className={styles.card}
          aria-labelledby="sm-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit(draft);
          }}
        >
          <Subtitle2 block as="h2" id="sm-form">
            {draft.id ? 'Edit system messages' : 'New system messages'}
          </Subtitle2>
          <Field label="Name" required validationMessage={problems.get('name')}>
            <Input value={draft.name} onChange={(_, d) => setDraft({ ...draft, name: d.value })} />
          </Field>
          <UnitField
            units={units.data?.items}
            value={draft.unitId}
            onChange={(unitId) => setDraft({ ...draft, unitId })}
            validationMessage={problems.get('unitId')}
          />
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
          <div className={styles.row}>
            <Button appearance="primary" type="submit" disabled={save.busy}>
              Save
            </Button>
            <Button
              onClick={() => {
                save.clear();
                setDraft(undefined);
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      )}
    </AdminPage>
  );
}
