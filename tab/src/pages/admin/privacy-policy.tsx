import { Button, Caption1, Field, Input, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { PrivacyPolicy } from '../../../../bot/src/contracts';
import { ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { useAction, useGet } from '../../use-load';
import { useAdminStyles } from './admin-ui';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, alignItems: 'flex-start' },
  field: { alignSelf: 'stretch' },
});

/**
 * The organization's privacy policy URL, linked from the consent of the widget's form of every contact
 * that has none of its own (their Interact settings). Empty clears it: the form then links to none.
 */
export function PrivacyPolicyCard() {
  const styles = useAdminStyles();
  const own = useStyles();
  const { api, notify } = useApp();
  const current = useGet(PrivacyPolicy, '/admin/privacy-policy');
  const [url, setUrl] = useState('');
  const save = useAction();

  useEffect(() => {
    if (current.data) setUrl(current.data.privacyPolicyUrl ?? '');
  }, [current.data]);

  const headingId = 'privacy-policy-heading';
  const heading = (
    <div>
      <Subtitle2 block as="h2" id={headingId}>
        Privacy policy
      </Subtitle2>
      <Caption1 block>
        Linked from the chat widget&apos;s form, where customers consent to it, for every user and service without their
        own in their Interact settings.
      </Caption1>
    </div>
  );
  if (current.error && !current.data)
    return (
      <section className={styles.card} aria-labelledby={headingId}>
        {heading}
        <ErrorBar
          error={current.error}
          title="The privacy policy could not be loaded"
          onRetry={() => void current.reload()}
        />
      </section>
    );
  if (!current.data) return <Loading label="Loading the privacy policy…" />;

  const saved = current.data.privacyPolicyUrl ?? '';
  const dirty = url.trim() !== saved;
  const problem = save.error?.problems.find((p) => p.field === 'privacyPolicyUrl')?.message;
  const onSave = async () => {
    const privacyPolicyUrl = url.trim() || null;
    const next = await save.run(() => api.call(PrivacyPolicy, 'PUT', '/admin/privacy-policy', { privacyPolicyUrl }));
    if (next) {
      current.setData(next);
      notify(next.privacyPolicyUrl ? 'Privacy policy URL saved' : 'Privacy policy URL cleared');
    }
  };
  return (
    <section className={styles.card} aria-labelledby={headingId}>
      {heading}
      <form
        className={own.form}
        aria-label="Privacy policy"
        onSubmit={(e) => {
          e.preventDefault();
          void onSave();
        }}
      >
        <Field
          label="Privacy policy URL"
          hint="Leave empty for none."
          validationMessage={problem}
          className={own.field}
        >
          <Input
            type="url"
            inputMode="url"
            placeholder="https://www.example.com/privacy"
            value={url}
            onChange={(_, d) => {
              save.clear();
              setUrl(d.value);
            }}
          />
        </Field>
        <Button type="submit" appearance="primary" disabled={!dirty || save.busy}>
          {save.busy ? 'Saving…' : 'Save'}
        </Button>
      </form>
      {save.error && !problem && <ErrorBar error={save.error} onDismiss={save.clear} />}
    </section>
  );
}
