import {
  Badge,
  Button,
  Caption1,
  Field,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Textarea,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { z } from 'zod/v4';
import { ChatEventView, SupervisedChat } from '../../../../bot/src/contracts';
import { followStream } from '../../api/sse';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { href, navigate } from '../../router';
import { headerBar } from '../../styles';
import { useAction, useGet } from '../../use-load';
import { channelLabel } from '../sessions/labels';
import { Transcript } from '../sessions/chat-pane';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 },
  header: { ...headerBar(tokens.spacingVerticalM), flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  bars: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalL },
  composer: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  buttons: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

const Posted = z.object({ seq: z.number().int() });
const TakenOver = z.object({ taskId: z.string(), chatId: z.string(), agentUserId: z.string().nullable() });

/** Puts an event at its place in the log, replacing what was there for its number. */
const placed = (list: ChatEventView[], event: ChatEventView): ChatEventView[] => {
  const rest = list.filter((e) => e.seq !== event.seq);
  const at = rest.findIndex((e) => e.seq > event.seq);
  return at < 0 ? [...rest, event] : [...rest.slice(0, at), event, ...rest.slice(at)];
};

/**
 * One live chat of a supervised service: the transcript as it happens (read-only), a whisper to the
 * agent, a message to the customer (barge-in) and taking the chat over.
 */
export function SuperviseChat({ chatId }: { chatId: string }) {
  const styles = useStyles();
  const { api, notify } = useApp();
  const path = `/supervision/chats/${encodeURIComponent(chatId)}`;
  const detail = useGet(SupervisedChat, path);
  const [events, setEvents] = useState<ChatEventView[]>([]);
  const [connected, setConnected] = useState(true);
  const [streamError, setStreamError] = useState<string>();
  const [text, setText] = useState('');
  const [takenOver, setTakenOver] = useState(false);
  const send = useAction();
  const take = useAction();
  const lastSeq = useRef(0);
  const reloadDetail = useRef(detail.reload);
  reloadDetail.current = detail.reload;

  const clear = useCallback(() => {
    lastSeq.current = 0;
    setEvents([]);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void followStream(api, `${path}/stream`, {
      signal: controller.signal,
      lastEventId: () => lastSeq.current,
      onConnection: setConnected,
      onFatal: (err) => setStreamError(err.message),
      isFinal: (e) => e.event === 'status' && e.data.includes('"ended"'),
      onEvent: (e) => {
        // The log is shorter than what the view shows: start over; the whole log follows on this stream.
        if (e.event === 'reset') {
          clear();
          return;
        }
        if (e.event !== 'message' && e.event !== 'status') return;
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        const event = ChatEventView.safeParse(data);
        if (!event.success) return;
        lastSeq.current = Math.max(lastSeq.current, event.data.seq);
        setEvents((list) => placed(list, event.data));
        if (event.data.kind === 'status') void reloadDetail.current();
      },
    });
    return () => controller.abort();
  }, [api, path, clear]);

  if (detail.error && !detail.data)
    return (
      <div className={styles.bars}>
        <ErrorBar error={detail.error} title="This chat cannot be shown" onRetry={() => void detail.reload()} />
        <Link href={href('live')}>Back to the dashboard</Link>
      </div>
    );
  if (!detail.data) return <Loading label="Opening the chat…" />;
  const d = detail.data;
  const ended = d.state === 'ended' || events.some((e) => e.kind === 'status' && e.state === 'ended');
  const mine = d.mine || takenOver;
  const customer = d.customer.displayName;

  const post = async (what: 'whisper' | 'barge-in') => {
    const message = text.trim();
    if (!message) return;
    const posted = await send.run(() => api.call(Posted, 'POST', `${path}/${what}`, { text: message }));
    if (posted) {
      setText('');
      notify(what === 'whisper' ? 'Whisper sent to the agent' : `Sent to ${customer}`);
    }
  };
  const takeOver = async () => {
    const result = await take.run(() => api.call(TakenOver, 'POST', `${path}/take-over`));
    if (result) {
      setTakenOver(true);
      void detail.reload();
    }
  };

  return (
    <section className={styles.root} aria-labelledby="supervised-heading">
      <div className={styles.header}>
        <Button appearance="subtle" onClick={() => navigate('live')}>
          Back
        </Button>
        <Title3 as="h1" id="supervised-heading">
          {customer}
        </Title3>
        <Badge appearance="tint" color={ended ? 'informative' : 'success'}>
          {ended ? 'Ended' : 'Live'}
        </Badge>
        <Caption1>
          {d.serviceName ?? 'Direct contact'} · {channelLabel[d.channel]} ·{' '}
          {d.agent ? `with ${d.agent.displayName}` : 'no agent yet'}
        </Caption1>
        <span className={styles.grow} />
        {!ended && !mine && (
          <ConfirmDialog
            trigger={<Button disabled={take.busy || d.taskState !== 'connected'}>Take over</Button>}
            title={`Take over the chat with ${customer}?`}
            confirmLabel="Take over"
            onConfirm={() => void takeOver()}
          >
            The chat becomes yours: you answer {customer} from My Sessions
            {d.agent ? `, and ${d.agent.displayName} is free of it` : ''}. The customer is told who helps them now.
          </ConfirmDialog>
        )}
      </div>
      <div className={styles.bars}>
        {!connected && (
          <MessageBar intent="warning">
            <MessageBarBody>Reconnecting… messages will appear when the connection is back.</MessageBarBody>
          </MessageBar>
        )}
        {streamError && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{streamError}</MessageBarBody>
          </MessageBar>
        )}
        {take.error && <ErrorBar error={take.error} onDismiss={take.clear} />}
        {mine && !ended && (
          <MessageBar intent="success" role="status">
            <MessageBarBody>
              <MessageBarTitle>The chat is yours now</MessageBarTitle>
              Answer {customer} in My Sessions.
            </MessageBarBody>
            <MessageBarActions>
              <Button appearance="primary" onClick={() => navigate('sessions', 'chat', chatId)}>
                Open in My Sessions
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {ended && (
          <MessageBar intent="info">
            <MessageBarBody>This chat has ended. Its report has the rest.</MessageBarBody>
          </MessageBar>
        )}
      </div>
      <Transcript reader="supervisor" events={events} customerName={customer} />
      {!ended && !mine && (
        <form
          className={styles.composer}
          aria-label="Supervisor message"
          onSubmit={(e) => {
            e.preventDefault();
            void post('whisper');
          }}
        >
          <Field
            label="Your message"
            hint={`A whisper reaches only the agent. What you write to the customer, ${customer} reads under your name.`}
            validationMessage={send.error?.message}
          >
            <Textarea
              value={text}
              resize="vertical"
              maxLength={4000}
              placeholder="Write a message."
              onChange={(_, v) => {
                send.clear();
                setText(v.value);
              }}
            />
          </Field>
          <div className={styles.buttons}>
            <Button appearance="primary" type="submit" disabled={send.busy || text.trim().length === 0}>
              Whisper to agent
            </Button>
            <Button disabled={send.busy || text.trim().length === 0} onClick={() => void post('barge-in')}>
              Write to customer
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
