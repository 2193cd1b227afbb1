import {
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Subtitle2,
  Textarea,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../../api/client';
import { InteractView } from '../../../../bot/src/contracts';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ItemOptions, SwitchField } from '../../components/fields';
import { ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { href } from '../../router';
import { card, page } from '../../styles';
import { useAction, useGet } from '../../use-load';

const useStyles = makeStyles({
  page: { ...page(tokens.spacingVerticalL), maxWidth: '760px' },
  section: card,
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  checks: { display: 'flex', flexDirection: 'column' },
  sticky: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/** The page's fields; the privacy policy URL as typed, empty for the organization's. */
type Draft = Pick<
  InteractView['settings'],
  'active' | 'audioVideo' | 'instantMessaging' | 'directSystemMessagesId' | 'restrictAccess' | 'domainTemplateIds'
> & { privacyPolicyUrl: string };
const draftOf = (view: InteractView): Draft => {
  // Everything the page edits; the contact id and the key change only through their own actions.
  const { contactId, widgetKey, privacyPolicyUrl, ...edited } = view.settings;
  void contactId;
  void widgetKey;
  return { ...edited, privacyPolicyUrl: privacyPolicyUrl ?? '' };
};
const same = (a: Draft, b: Draft) => JSON.stringify(a) === JSON.stringify(b);

/** Copies text; inside a Teams frame the clipboard API can be blocked, so a selected textarea is the fallback. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}

/**
 * The Interact tab of a user or a service, element by element: Active, Audio & Video, Instant
 * Messaging, Direct System Messages, Restrict Access, Domain Template, the privacy policy URL (empty:
 * the organization's), the snippet with Copy and a new key, and the preview link. Changes are saved
 * together, and a refused change names its field.
 */
export function InteractSettingsPage({
  kind,
  id,
  heading,
}: {
  kind: 'user' | 'service';
  id: string;
  heading?: string;
}) {
  const styles = useStyles();
  const { api, me, notify } = useApp();
  const path = `/${kind === 'user' ? 'users' : 'services'}/${encodeURIComponent(id)}/interact`;
  const view = useGet(InteractView, path);
  const [draft, setDraft] = useState<Draft>();
  const save = useAction();
  const regenerate = useAction();

  useEffect(() => {
    if (view.data) setDraft(draftOf(view.data));
  }, [view.data]);

  const problems = useMemo(() => new Map((save.error?.problems ?? []).map((p) => [p.field, p.message])), [save.error]);

  if (view.error?.code === 'not-licensed') {
    const holder = kind === 'user' ? 'this user' : 'this service';
    return (
      <div className={styles.page}>
        <Title3 as="h1">{heading ?? 'Interact'}</Title3>
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>No Interact tab for {holder}</MessageBarTitle>
            {view.error.message}{' '}
            {kind === 'user'
              ? 'The Interact user license enables this tab.'
              : 'The Interact service add-on enables this tab.'}{' '}
            {me.isAdmin ? (
              <Link href={href('admin', 'licenses')}>Assign licenses</Link>
            ) : (
              'Ask your administrator to assign it.'
            )}
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  }
  if (view.error && !view.data) {
    return (
      <div className={styles.page}>
        <ErrorBar
          error={view.error}
          title="The Interact settings could not be loaded"
          onRetry={() => void view.reload()}
        />
      </div>
    );
  }
  if (!view.data || !draft) return <Loading label="Loading Interact settings…" />;

  const data = view.data;
  const set = (change: Partial<Draft>) => {
    save.clear();
    setDraft({ ...draft, ...change });
  };
  const dirty = !same(draft, draftOf(data));
  const holderWord = kind === 'user' ? 'user' : 'service';
  const onSave = async () => {
    const privacyPolicyUrl = draft.privacyPolicyUrl.trim() || null;
    const saved = await save.run(() => api.call(InteractView, 'PATCH', path, { ...draft, privacyPolicyUrl }));
    if (saved) {
      view.setData(saved);
      notify('Interact settings saved');
    }
  };
  const onCopy = async () => {
    if (await copyText(data.snippet)) notify('Snippet copied');
    else notify('Copying is blocked here: select the snippet and copy it yourself.', 'error');
  };
  const onRegenerate = async () => {
    const next = await regenerate.run(() => api.call(InteractView, 'POST', `${path}/regenerate-key`));
    if (next) {
      view.setData(next);
      notify('New widget key created: update every page that uses the old snippet');
    }
  };

  return (
    <div className={styles.page}>
      <Title3 as="h1">{heading ?? `Interact: ${data.target.name}`}</Title3>
      <form
        className={styles.section}
        aria-label="Interact settings"
        onSubmit={(e) => {
          e.preventDefault();
          void onSave();
        }}
      >
        <SwitchField
          label="Active"
          hint={`Interact licenses stay assigned to this ${holderWord} even when this is off.`}
          checked={draft.active}
          onChange={(active) => set({ active })}
        />
        <SwitchField
          label="Audio & Video"
          hint={`Customers can call this ${holderWord} from the widget. ${kind === 'user' ? 'Regular service calls still reach this user.' : ''}`}
          checked={draft.audioVideo}
          onChange={(audioVideo) => set({ audioVideo })}
        />
        <SwitchField
          label="Instant Messaging"
          hint={`Customers can chat with this ${holderWord} from the widget. ${kind === 'user' ? 'Regular service chats still reach this user.' : ''}`}
          checked={draft.instantMessaging}
          onChange={(instantMessaging) => set({ instantMessaging })}
        />
        <Field
          label="Direct System Messages"
          hint="How the agent's name appears in the chat, and the messages sent to the agent and the customer (Admin > System messages)."
          validationMessage={problems.get('directSystemMessagesId')}
        >
          <Select
            value={draft.directSystemMessagesId ?? ''}
            onChange={(_, d) => set({ directSystemMessagesId: d.value === '' ? null : d.value })}
          >
            <option value="">None</option>
            <ItemOptions items={data.systemMessages} />
          </Select>
        </Field>
        <SwitchField
          label="Restrict Access"
          hint={
            data.restrictAccess.available
              ? 'Only websites listed in the selected domain templates can show the widget.'
              : data.restrictAccess.message
          }
          validationMessage={problems.get('restrictAccess')}
          checked={draft.restrictAccess}
          disabled={!data.restrictAccess.available && !draft.restrictAccess}
          onChange={(restrictAccess) => set({ restrictAccess })}
        />
        <Field
          label="Domain Template"
          hint="Domain templates (CORS) of the same organization unit."
          validationMessage={problems.get('domainTemplateIds')}
        >
          {data.domainTemplates.length === 0 ? (
            <Caption1>
              No domain templates in this organization unit yet.{' '}
              {me.isAdmin && <Link href={href('admin', 'domain-templates')}>Create one</Link>}
            </Caption1>
          ) : (
            <div className={styles.checks} role="group" aria-label="Domain Template">
              {data.domainTemplates.map((t) => (
                <Checkbox
                  key={t.id}
                  label={`${t.name} (${t.origins.join(', ')})`}
                  checked={draft.domainTemplateIds.includes(t.id)}
                  onChange={(_, d) =>
                    set({
                      domainTemplateIds: d.checked
                        ? [...draft.domainTemplateIds, t.id]
                        : draft.domainTemplateIds.filter((x) => x !== t.id),
                    })
                  }
                />
              ))}
            </div>
          )}
        </Field>
        <Field
          label="Privacy policy URL"
          hint="Leave empty to use your organization's."
          validationMessage={problems.get('privacyPolicyUrl')}
        >
          <Input
            type="url"
            inputMode="url"
            placeholder="https://"
            value={draft.privacyPolicyUrl}
            onChange={(_, d) => set({ privacyPolicyUrl: d.value })}
          />
        </Field>
        {save.error && problems.size === 0 && <ErrorBar error={save.error} />}
        {save.error && problems.size > 0 && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{save.error.message} See the fields marked above.</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.sticky}>
          <Button appearance="primary" type="submit" disabled={!dirty || save.busy}>
            {save.busy ? 'Saving…' : 'Save'}
          </Button>
          <Button disabled={!dirty || save.busy} onClick={() => set(draftOf(data))}>
            Discard changes
          </Button>
        </div>
      </form>

      <section className={styles.section} aria-labelledby="snippet-heading">
        <Subtitle2 block as="h2" id="snippet-heading">
          {kind === 'user' ? 'User Snippet' : 'Service Snippet'}
        </Subtitle2>
        <Caption1>
          Paste this into a web page to show the contact widget. The Contact ID and WidgetKey belong to this{' '}
          {holderWord} only.
        </Caption1>
        <div className={styles.row}>
          <Link href={data.previewUrl} target="_blank" rel="noopener">
            Open the preview page
          </Link>
          <Caption1>to try contacting this {holderWord}.</Caption1>
        </div>
        <Field label="Snippet code">
          <Textarea
            className={styles.code}
            readOnly
            value={data.snippet}
            resize="vertical"
            rows={3}
            onFocus={(e) => e.currentTarget.select()}
          />
        </Field>
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => void onCopy()}>
            Copy
          </Button>
          <RegenerateKey busy={regenerate.busy} error={regenerate.error} onConfirm={() => void onRegenerate()} />
        </div>
      </section>
    </div>
  );
}

function RegenerateKey({
  busy,
  error,
  onConfirm,
}: {
  busy: boolean;
  error: ApiError | undefined;
  onConfirm: () => void;
}) {
  return (
    <>
      <ConfirmDialog
        trigger={<Button disabled={busy}>{busy ? 'Creating a new key…' : 'Regenerate key'}</Button>}
        title="Create a new widget key?"
        confirmLabel="Create new key"
        onConfirm={onConfirm}
      >
        Every page that uses the current snippet stops working at once, until it gets the new snippet.
      </ConfirmDialog>
      {error && <ErrorBar error={error} />}
    </>
  );
}
