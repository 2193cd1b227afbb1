import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { History, HistoryDetail, type HistoryItem, WrapUp } from '../../../../bot/src/contracts';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { href } from '../../router';
import { useAction, useLoad } from '../../use-load';
import { CustomerDetails, Transcript, useChatStyles } from './chat-pane';
import { channelLabel, formatDateTime, offerOutcomeLabel, taskOutcomeLabel } from './labels';

const useStyles = makeStyles({
  page: {
    padding: tokens.spacingHorizontalXL,
    overflowY: 'auto',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
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
  const { api } = useApp();
  const history = useLoad(() => api.get(History, '/me/history'), [api]);
  return (
    <div className={styles.page}>
      <Title3 as="h1">History</Title3>
      {history.error && <ErrorBar error={history.error} onRetry={() => void history.reload()} />}
      {!history.data && !history.error && <Loading label="Loading your history…" />}
      {history.data && history.data.sessions.length === 0 && (
        <Empty title="No past sessions yet">Sessions you were offered show up here, accepted or missed.</Empty>
      )}
      {history.data && history.data.sessions.length > 0 && (
        <Table aria-label="Past sessions" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Customer</TableHeaderCell>
              <TableHeaderCell>Service</TableHeaderCell>
              <TableHeaderCell>Channel</TableHeaderCell>
              <TableHeaderCell>Offered</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
              <TableHeaderCell>Code and tags</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {history.data.sessions.map((s) => (
              <TableRow key={s.sessionId}>
                <TableCell>
                  <Link href={href('sessions', 'history', s.sessionId)}>{s.customer.displayName}</Link>
                </TableCell>
                <TableCell>{s.target.name}</TableCell>
                <TableCell>{channelLabel[s.channel]}</TableCell>
                <TableCell>{formatDateTime(s.offeredAt)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={outcomeColor(s.outcome)}>
                    {offerOutcomeLabel[s.outcome]}
                  </Badge>{' '}
                  {s.outcome === 'accepted' && (
                    <Caption1>{s.taskOutcome ? taskOutcomeLabel[s.taskOutcome] : 'In progress'}</Caption1>
                  )}
                </TableCell>
                <TableCell>{s.wrapUp ? [s.wrapUp.code, ...s.wrapUp.tags].filter(Boolean).join(', ') : '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

/** One past session: its transcript, the customer, and the codes and tags the agent adds after it. */
export function HistoryDetailPane({ sessionId }: { sessionId: string }) {
  const chat = useChatStyles();
  const styles = useStyles();
  const { api } = useApp();
  const detail = useLoad(
    () => api.get(HistoryDetail, `/me/history/${encodeURIComponent(sessionId)}`),
    [api, sessionId],
  );
  if (detail.error && !detail.data) return <ErrorBar error={detail.error} onRetry={() => void detail.reload()} />;
  if (!detail.data) return <Loading label="Loading the session…" />;
  const d = detail.data;
  return (
    <div className={chat.root}>
      <section className={chat.chat} aria-labelledby="past-heading">
        <div className={chat.header}>
          <Title3 as="h1" id="past-heading">
            {d.customer.displayName}
          </Title3>
          <Badge appearance="tint" color={outcomeColor(d.outcome)}>
            {offerOutcomeLabel[d.outcome]}
          </Badge>
          {d.taskOutcome && <Caption1>{taskOutcomeLabel[d.taskOutcome]}</Caption1>}
          <span className={chat.grow} />
          <Link href={href('sessions', 'history')}>Back to history</Link>
        </div>
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
      </section>
      <CustomerDetails detail={{ ...d, firstMessage: null, parameters: {}, createdAt: d.offeredAt }} />
    </div>
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
