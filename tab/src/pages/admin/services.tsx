import {
  Badge,
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Select,
  Subtitle2,
  Switch,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import {
  type Gate,
  InstalledTeams,
  ServiceSummary,
  Services,
  Users,
  type WorkflowSummary,
  Workflows,
} from '../../../../bot/src/contracts';
import { ItemOptions, SwitchField } from '../../components/fields';
import { ItemList } from '../../components/item-list';
import { ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { href, navigate } from '../../router';
import { useAction, useGet, useLoad } from '../../use-load';
import { SupervisorPicker } from './supervisor-picker';
import { AdminPage, EditorForm, LoadErrorPage, NameField, UnitField, useAdminStyles, useUnits } from './admin-ui';

const reasonText = (gate: Gate) => (gate.allowed ? '' : gate.reasons.map((r) => r.message).join(' '));

/** Services: who is a member, and whether each is reachable by website and WhatsApp (with the reasons). */
export function ServicesPage() {
  const styles = useAdminStyles();
  const { api, notify } = useApp();
  const list = useGet(Services, '/admin/services');
  const units = useUnits();
  const [name, setName] = useState('');
  const [unitId, setUnitId] = useState('');
  const create = useAction();
  useEffect(() => {
    if (!unitId && units.data?.items[0]) setUnitId(units.data.items[0].id);
  }, [units.data, unitId]);
  const problems = new Map((create.error?.problems ?? []).map((p) => [p.field, p.message]));

  const submit = async () => {
    const created = await create.run(() => api.call(ServiceSummary, 'POST', '/admin/services', { name, unitId }));
    if (created) {
      notify(`Service ${created.name} created`);
      navigate('admin', 'services', created.id);
    }
  };

  return (
    <AdminPage
      title="Services"
      description="A service is a team of agents reachable as one contact. Its IM channels need the Contact Center license; its Interact tab needs the Interact service add-on."
    >
      <ItemList
        list={list}
        items={list.data?.services}
        loadingLabel="Loading services…"
        emptyTitle="No services yet"
        label="Services"
        columns={['Service', 'Members', 'Website', 'WhatsApp']}
        cells={(s) => [
          <Link href={href('admin', 'services', s.id)}>{s.name}</Link>,
          s.members.length,
          <Reachable gate={s.reachable.website} />,
          <Reachable gate={s.reachable.whatsapp} />,
        ]}
      />
      <EditorForm headingId="new-service" heading="New service" onSubmit={() => void submit()}>
        <div className={styles.row}>
          <NameField value={name} onChange={setName} className={styles.grow} validationMessage={problems.get('name')} />
          <UnitField units={units.data?.items} value={unitId} onChange={setUnitId} />
          <Button type="submit" appearance="primary" disabled={create.busy || !name.trim() || !unitId}>
            Create
          </Button>
        </div>
        {create.error && problems.size === 0 && <ErrorBar error={create.error} />}
      </EditorForm>
    </AdminPage>
  );
}

function Reachable({ gate }: { gate: Gate }) {
  return gate.allowed ? (
    <Badge appearance="tint" color="success">
      Reachable
    </Badge>
  ) : (
    <Caption1>{reasonText(gate)}</Caption1>
  );
}

type Draft = Pick<ServiceSummary, 'name' | 'im' | 'distribution' | 'team'> & {
  members: { userId: string; active: boolean }[];
  supervisorUserIds: string[];
};
const draftOf = (s: ServiceSummary): Draft => ({
  name: s.name,
  im: s.im,
  distribution: s.distribution,
  team: s.team,
  members: s.members.map((m) => ({ userId: m.userId, active: m.active })),
  supervisorUserIds: s.supervisors.map((x) => x.userId),
});

/** Why a service with these channels cannot select the workflow, or undefined when it can. */
const unsupportedOn = (workflow: WorkflowSummary, channels: Draft['im']['channels']): string | undefined => {
  const reasons = (['interact', 'whatsapp'] as const).flatMap((c) => (channels[c] ? workflow.unsupported[c] : []));
  return reasons.length === 0 ? undefined : reasons.join('; ');
};

/** One service's settings: members, the IM modality (channels gated by Contact Center, the workflow) and distribution. */
export function ServiceDetailPage({ id }: { id: string }) {
  const styles = useAdminStyles();
  const { api, notify } = useApp();
  const path = `/admin/services/${encodeURIComponent(id)}`;
  const data = useLoad(async () => {
    const [service, users, workflows, teams] = await Promise.all([
      api.get(ServiceSummary, path),
      api.get(Users, '/admin/users'),
      api.get(Workflows, '/admin/workflows'),
      api.get(InstalledTeams, '/admin/teams'),
    ]);
    return { service, users: users.users, workflows: workflows.items, teams: teams.teams };
  }, [api, path]);
  const [draft, setDraft] = useState<Draft>();
  const save = useAction();
  useEffect(() => {
    if (data.data) setDraft(draftOf(data.data.service));
  }, [data.data]);

  if (data.error && !data.data) return <LoadErrorPage title="Service" loaded={data} />;
  if (!data.data || !draft) return <Loading label="Loading the service…" />;
  const { service, users, workflows, teams } = data.data;
  // The linked team as saved, and whether each member came from its roster (they follow it while it stays linked).
  const linked = service.team !== null && draft.team?.teamId === service.team.teamId;
  const fromRoster = new Set(service.members.filter((m) => m.source === 'team').map((m) => m.userId));
  const teamChoices =
    service.team && !teams.some((t) => t.teamId === service.team?.teamId) ? [service.team, ...teams] : teams;
  const set = (change: Partial<Draft>) => {
    save.clear();
    setDraft({ ...draft, ...change });
  };
  const member = (userId: string) => draft.members.find((m) => m.userId === userId);
  const submit = async () => {
    const saved = await save.run(() => api.call(ServiceSummary, 'PATCH', path, draft));
    if (saved) {
      data.setData({ ...data.data!, service: saved });
      notify('Service saved');
    }
  };

  return (
    <AdminPage title={`Service: ${service.name}`}>
      <div className={styles.row}>
        <Link href={href('admin', 'services')}>All services</Link>
        {service.interactTab.allowed ? (
          <Link href={href('admin', 'services', service.id, 'interact')}>Interact settings and snippet</Link>
        ) : (
          <Caption1>No Interact tab: {reasonText(service.interactTab)}</Caption1>
        )}
      </div>
      <EditorForm label="Service settings" onSubmit={() => void submit()}>
        <NameField value={draft.name} onChange={(name) => set({ name })} />

        <Subtitle2 block as="h2">
          Members
        </Subtitle2>
        <Field
          label="Team"
          hint={
            teams.length === 0 && !service.team
              ? 'Add the app to a team in Microsoft Teams to let this service follow its members.'
              : 'A team the app is installed in: its members become this service’s members.'
          }
        >
          <Select
            value={draft.team?.teamId ?? ''}
            onChange={(_, d) => set({ team: teamChoices.find((t) => t.teamId === d.value) ?? null })}
          >
            <option value="">None (members chosen here)</option>
            {teamChoices.map((t) => (
              <option key={t.teamId} value={t.teamId}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
        {draft.team && (
          <MessageBar intent="info">
            <MessageBarBody>
              {linked
                ? `Members follow the roster of ${draft.team.name}: people who join or leave the team join or leave this service. Members added here stay, in the team or not.`
                : `Saving reads the roster of ${draft.team.name}: its members join this service, and follow the team from then on. Members added here stay.`}
            </MessageBarBody>
          </MessageBar>
        )}
        {!draft.team && service.team && (
          <Caption1>Unlinking keeps the members as they are; from then on they are chosen here only.</Caption1>
        )}
        <div role="group" aria-label="Members">
          {users.map((u) => {
            const m = member(u.id);
            const roster = linked && m !== undefined && fromRoster.has(u.id);
            return (
              <div key={u.id} className={styles.row} style={{ alignItems: 'center' }}>
                <Checkbox
                  label={`${u.displayName}${u.licenses.includes('imModality') ? '' : ' (no Instant Messaging license)'}`}
                  checked={m !== undefined}
                  // A roster member leaves with the team, not here.
                  disabled={roster}
                  onChange={(_, d) =>
                    set({
                      members: d.checked
                        ? [...draft.members, { userId: u.id, active: true }]
                        : draft.members.filter((x) => x.userId !== u.id),
                    })
                  }
                />
                {roster && (
                  <Badge appearance="tint" color="brand">
                    From the team
                  </Badge>
                )}
                {m && (
                  <Switch
                    label="Active in this service"
                    checked={m.active}
                    onChange={(_, d) =>
                      set({ members: draft.members.map((x) => (x.userId === u.id ? { ...x, active: d.checked } : x)) })
                    }
                  />
                )}
              </div>
            );
          })}
        </div>

        <Subtitle2 block as="h2">
          Supervision
        </Subtitle2>
        <SupervisorPicker
          users={users}
          value={draft.supervisorUserIds}
          onChange={(supervisorUserIds) => set({ supervisorUserIds })}
          hint="Supervisors see this service live (its queue, chats and agents), can step into its chats, and read its reports. Supervisors of its unit do too."
          validationMessage={save.error?.problems.find((p) => p.field === 'supervisorUserIds')?.message}
        />

        <Subtitle2 block as="h2">
          Instant Messaging
        </Subtitle2>
        <Switch
          label="Instant Messaging modality"
          checked={draft.im.enabled}
          onChange={(_, d) => set({ im: { ...draft.im, enabled: d.checked } })}
        />
        {(['interact', 'whatsapp'] as const).map((channel) => {
          const gate = service.channelGates[channel];
          const label = channel === 'interact' ? 'Interact channel (website)' : 'WhatsApp channel';
          return (
            <SwitchField
              key={channel}
              label={label}
              hint={gate.allowed ? undefined : `Needs: ${reasonText(gate)}`}
              checked={draft.im.channels[channel]}
              disabled={!gate.allowed && !draft.im.channels[channel]}
              onChange={(checked) =>
                set({ im: { ...draft.im, channels: { ...draft.im.channels, [channel]: checked } } })
              }
            />
          );
        })}
        <Field
          label="IM workflow"
          hint={
            workflows.length === 0
              ? 'No workflows yet: tasks are queued with the default settings.'
              : 'Workflows with activities the enabled channels do not support cannot be selected.'
          }
        >
          <Select
            value={draft.im.workflowId ?? ''}
            onChange={(_, d) => set({ im: { ...draft.im, workflowId: d.value === '' ? null : d.value } })}
          >
            <option value="">None (queue directly)</option>
            <ItemOptions
              items={workflows}
              unavailable={(w) => (w.id === service.im.workflowId ? undefined : unsupportedOn(w, draft.im.channels))}
            />
          </Select>
        </Field>

        <Subtitle2 block as="h2">
          Distribution
        </Subtitle2>
        <div className={styles.row}>
          <Field label="Chats per member at once">
            <Input
              type="number"
              min={1}
              max={20}
              value={String(draft.distribution.maxConcurrentChatsPerUser)}
              onChange={(_, d) =>
                set({ distribution: { ...draft.distribution, maxConcurrentChatsPerUser: Number(d.value) } })
              }
            />
          </Field>
          <Field label="RONA reset (seconds)" hint="10 seconds to 8 hours">
            <Input
              type="number"
              min={10}
              max={28800}
              value={String(draft.distribution.ronaResetSeconds)}
              onChange={(_, d) => set({ distribution: { ...draft.distribution, ronaResetSeconds: Number(d.value) } })}
            />
          </Field>
        </div>
        <Switch
          label="Offer tasks to members whose presence is Busy"
          checked={draft.distribution.selectableWhenBusy}
          onChange={(_, d) => set({ distribution: { ...draft.distribution, selectableWhenBusy: d.checked } })}
        />
        <Switch
          label="Offer tasks to members whose presence is Away"
          checked={draft.distribution.selectableWhenAway}
          onChange={(_, d) => set({ distribution: { ...draft.distribution, selectableWhenAway: d.checked } })}
        />
        <SwitchField
          label="Persistent RONA: pause members who decline"
          hint={
            'A member who declines a chat request is paused for new requests for the RONA reset time, as after a ' +
            'request they did not answer. Off: declining only passes the request on to another member.'
          }
          checked={draft.distribution.persistentRona}
          onChange={(persistentRona) => set({ distribution: { ...draft.distribution, persistentRona } })}
        />

        {save.error && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{save.error.message}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.row}>
          <Button appearance="primary" type="submit" disabled={save.busy}>
            {save.busy ? 'Saving…' : 'Save'}
          </Button>
          <Button disabled={save.busy} onClick={() => set(draftOf(service))}>
            Discard changes
          </Button>
        </div>
      </EditorForm>
    </AdminPage>
  );
}
