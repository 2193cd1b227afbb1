import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  SpinButton,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { SetupDone, type SetupInput, SetupStatus } from '../../../../bot/src/contracts/setup';
import { type ApiClient, ApiError } from '../../api/client';
import { SwitchField } from '../../components/fields';
import { ErrorBar, Loading } from '../../components/status';
import { card, column } from '../../styles';

const useStyles = makeStyles({
  page: {
    maxWidth: '640px',
    margin: '0 auto',
    padding: tokens.spacingHorizontalXXL,
    ...column(tokens.spacingVerticalL),
  },
  form: { ...card, ...column(tokens.spacingVerticalM) },
  pools: {
    display: 'grid',
    gridTemplateColumns: 'repeat(2, minmax(0, 1fr))',
    gap: tokens.spacingHorizontalM,
    border: 'none',
    margin: 0,
    padding: 0,
  },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalS, fontWeight: tokens.fontWeightSemibold },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

const POOLS = [
  ['contactCenter', 'Contact Center (per service)'],
  ['interactService', 'Interact service add-on (per service)'],
  ['imModality', 'Instant Messaging (per agent)'],
  ['interactUser', 'Interact user (per person with a widget)'],
] as const;

type Draft = Omit<SetupInput, 'privacyPolicyUrl'> & { privacyPolicyUrl: string };

/**
 * The first visit of an organization that is not set up yet. Its Global Administrator (or a bootstrap
 * admin the deployment names) fills in the organization, the root unit, the tenant switches, the
 * licenses and the privacy policy; anyone else reads who can do it.
 */
export function SetupPage({ api, onDone }: { api: ApiClient; onDone: () => void }) {
  const styles = useStyles();
  const [status, setStatus] = useState<SetupStatus>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [draft, setDraft] = useState<Draft>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError>();
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  }, [onDone]);

  useEffect(() => {
    api
      .get(SetupStatus, '/setup')
      .then((s) => {
        setStatus(s);
        if (s.state === 'ready') done.current();
        if (s.state === 'can-set-up')
          setDraft({
            organizationName: s.suggested.organizationName,
            rootUnitName: s.suggested.organizationName,
            imEnabled: true,
            interactEnabled: true,
            licenses: { contactCenter: 1, interactService: 1, imModality: 10, interactUser: 0 },
            privacyPolicyUrl: '',
          });
      })
      .catch((err: unknown) =>
        setLoadError(err instanceof ApiError ? err : new ApiError(0, 'unexpected', 'The setup could not be loaded.')),
      );
  }, [api]);

  if (loadError)
    return (
      <main className={styles.page}>
        <ErrorBar title="Setup is not available" error={loadError} />
      </main>
    );
  if (!status || (status.state === 'can-set-up' && !draft)) return <Loading label="Checking your organization…" />;
  if (status.state === 'cannot-set-up')
    return (
      <main className={styles.page}>
        <Title2 as="h1">Your organization is not set up yet</Title2>
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>Who can set it up</MessageBarTitle>
            {status.message}
          </MessageBarBody>
        </MessageBar>
      </main>
    );
  if (!draft) return null;

  const problem = (field: string) =>
    saveError?.problems.find((p) => p.field === field || p.field.startsWith(`${field}.`))?.message;
  const submit = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const privacyPolicyUrl = draft.privacyPolicyUrl.trim();
      await api.call(SetupDone, 'POST', '/setup', { ...draft, privacyPolicyUrl: privacyPolicyUrl || null });
      onDone();
    } catch (err) {
      setSaveError(err instanceof ApiError ? err : new ApiError(0, 'unexpected', 'The setup could not be saved.'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <main className={styles.page}>
      <Title2 as="h1">Set up your organization</Title2>
      <Text>
        You are the first administrator to open the Contact Center. Tell it about your organization; you become its
        first admin, and everyone else who opens the app or installs the bot becomes a user you can give licenses to.
      </Text>
      <MessageBar intent="info">
        <MessageBarBody>
          <MessageBarTitle>Microsoft Graph permissions</MessageBarTitle>
          Presence from Teams, the user import and installing the app for agents use the app&apos;s own credentials.
          Grant its registration these application permissions with admin consent in the Entra admin center:
          Presence.Read.All, User.Read.All (GroupMember.Read.All to import a group) and
          TeamsAppInstallation.ReadWriteSelfForUser.All.
        </MessageBarBody>
      </MessageBar>
      <form
        className={styles.form}
        aria-label="Organization setup"
        // The server's checks name each field; the browser's own bubbles would hide them.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label="Organization name" required validationMessage={problem('organizationName')}>
          <Input
            value={draft.organizationName}
            onChange={(_, d) => setDraft({ ...draft, organizationName: d.value })}
          />
        </Field>
        <Field
          label="Root organization unit"
          hint="The top of your unit tree: users, services and configuration start here."
          required
          validationMessage={problem('rootUnitName')}
        >
          <Input value={draft.rootUnitName} onChange={(_, d) => setDraft({ ...draft, rootUnitName: d.value })} />
        </Field>
        <SwitchField
          label="Instant Messaging"
          hint="Chats from the website widget and WhatsApp become tasks for your agents."
          checked={draft.imEnabled}
          onChange={(imEnabled) => setDraft({ ...draft, imEnabled })}
        />
        <SwitchField
          label="Interact"
          hint="Websites may embed the chat widget of your services and people."
          checked={draft.interactEnabled}
          onChange={(interactEnabled) => setDraft({ ...draft, interactEnabled })}
        />
        <fieldset className={styles.pools}>
          <legend className={styles.legend}>Licenses your organization has</legend>
          {POOLS.map(([kind, label]) => (
            <Field key={kind} label={label} validationMessage={problem(`licenses.${kind}`)}>
              <SpinButton
                min={0}
                max={100000}
                value={draft.licenses[kind]}
                onChange={(_, d) => {
                  const value = d.value ?? Number.parseInt(d.displayValue ?? '', 10);
                  if (Number.isFinite(value))
                    setDraft({ ...draft, licenses: { ...draft.licenses, [kind]: Math.max(0, Math.round(value)) } });
                }}
              />
            </Field>
          ))}
        </fieldset>
        <Field
          label="Privacy policy URL"
          hint="Linked from the widget's form, where customers consent to it. Optional."
          validationMessage={problem('privacyPolicyUrl')}
        >
          <Input
            type="url"
            value={draft.privacyPolicyUrl}
            placeholder="https://www.example.com/privacy"
            onChange={(_, d) => setDraft({ ...draft, privacyPolicyUrl: d.value })}
          />
        </Field>
        {saveError && saveError.problems.length === 0 && <ErrorBar error={saveError} />}
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={saving}>
            {saving ? 'Setting up…' : 'Set up organization'}
          </Button>
        </div>
      </form>
    </main>
  );
}
