import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  Subtitle2,
  Textarea,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { History, HistoryDetail, type HistoryItem, WrapUp } from '../../../../bot/src/contracts';
import { ItemList } from '../../components/item-list';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { href } from '../../router';
import { page } from '../../styles';
import { useAction, useGet } from '../../use-load';
import { SessionView, Transcript } from './chat-pane';
import { channelLabel, formatDateTime, offerOutcomeLabel, taskOutcomeLabel } from './labels';

const useStyles = makeStyles({
  page: { ...page(tokens.spacingVerticalM), overflowY: 'auto' },
  wrap: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'start' },
});

const outcomeColor = (o: HistoryItem['outcome']) =>
  o === 'accepted' ? 'success' : o === 'withdrawn' ? 'informative' : 'warning';

/** Past sessions of the agent, newest first: accepted ones with how they ended, and missed offers. */
export function HistoryList() {
  const styles = useStyles();
  const history = useGet(History, '/me/history');
  return (
    <div className={styles.page}>
      <Title3 as="h1">History</Title3>
      <ItemList
        list={history}
        items={history.data?.sessions}
        rowKey={(s) => s.sessionId}
        loadingLabel="Loading your history…"
        emptyTitle="No past sessions yet"
        emptyText="Sessions you were offered show up here, accepted or missed."
        label="Past sessions"
        columns={['Customer', 'Service', 'Channel', 'Offered', 'Outcome', 'Code and tags']}
        cells={(s) => [
          <Link href={href('sessions', 'history', s.sessionId)}>{s.customer.displayName}</Link>,
          s.target.name,
          channelLabel[s.channel],
          formatDateTime(s.offeredAt),
          <>
            <Badge appearance="tint" color={outcomeColor(s.outcome)}>
              {offerOutcomeLabel[s.outcome]}
            </Badge>{' '}
            {s.outcome === 'accepted' && (
              <Caption1>{s.taskOutcome ? taskOutcomeLabel[s.taskOutcome] : 'In progress'}</Caption1>
            )}
          </>,
          s.wrapUp ? [s.wrapUp.code, ...s.wrapUp.tags].filter(Boolean).join(', ') : '—',
        ]}
      />
    </div>
  );
}

/** One past session: its transcript, the customer, and the codes and tags the agent adds after it. */
export function HistoryDetailPane({ sessionId }: { sessionId: string }) {
  const styles = useStyles();
  const detail = useGet(HistoryDetail, `/me/history/${encodeURIComponent(sessionId)}`);
  if (detail.error && !detail.data) return <ErrorBar error={detail.error} onRetry={() => void detail.reload()} />;
  if (!detail.data) return <Loading label="Loading the session…" />;
  const d = detail.data;
  return (
    <SessionView
      headingId="past-heading"
      detail={{ ...d, parameters: {}, createdAt: d.offeredAt }}
      state={{ label: offerOutcomeLabel[d.outcome], color: outcomeColor(d.outcome) }}
      stateNote={d.taskOutcome && <Caption1>{taskOutcomeLabel[d.taskOutcome]}</Caption1>}
      actions={<Link href={href('sessions', 'history')}>Back to history</Link>}
    >
      {d.outcome === 'accepted' ? (
        <Transcript events={d.events} customerName={d.customer.displayName} />
      ) : (
        <Empty title="No conversation">This offer was not accepted by you.</Empty>
      )}
      {d.outcome === 'accepted' && (
        <div className={styles.wrap}>
          <WrapUpForm sessionId={sessionId} initial={d.wrapUp} />
        </div>
      )}
    </SessionView>
  );
}

function WrapUpForm({ sessionId, initial }: { sessionId: string; initial: WrapUp | null }) {
  const styles = useStyles();
  const { api, notify } = useApp();
  const [code, setCode] = useState(initial?.code ?? '');
  const [tags, setTags] = useState((initial?.tags ?? []).join(', '));
  const [note, setNote] = useState(initial?.note ?? '');
  const save = useAction();
  const problems = new Map((save.error?.problems ?? []).map((p) => [p.field.split('.')[0], p.message]));
  const submit = async () => {
    const body = {
      code: code.trim() || null,
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
      note: note.trim() || null,
    };
    if (await save.run(() => api.call(WrapUp, 'PUT', `/me/history/${encodeURIComponent(sessionId)}/wrap-up`, body)))
      notify('Code and tags saved');
  };
  return (
    <form
      aria-labelledby="wrap-heading"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Subtitle2 block as="h2" id="wrap-heading">
        Code and tags
      </Subtitle2>
      <div className={styles.row}>
        <Field label="Code" validationMessage={problems.get('code')}>
          <Input value={code} maxLength={40} onChange={(_, d) => setCode(d.value)} />
        </Field>
        <Field
          label="Tags"
          hint="Separate tags with commas."
          validationMessage={problems.get('tags')}
          style={{ flexGrow: 1 }}
        >
          <Input value={tags} onChange={(_, d) => setTags(d.value)} />
        </Field>
      </div>
      <Field label="Note" validationMessage={problems.get('note')}>
        <Textarea value={note} maxLength={2000} onChange={(_, d) => setNote(d.value)} />
      </Field>
      {save.error && problems.size === 0 && <ErrorBar error={save.error} />}
      <Button appearance="primary" type="submit" disabled={save.busy} style={{ marginTop: tokens.spacingVerticalS }}>
        {save.busy ? 'Saving…' : 'Save code and tags'}
      </Button>
    </form>
  );
}
