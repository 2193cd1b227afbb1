import {
  Badge,
  type BadgeProps,
  Button,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Text,
  Textarea,
  Title3,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import {
  ChatEventView,
  type SessionDetail as SessionDetailView,
  SessionDetail,
  TypingEvent,
} from '../../../../bot/src/contracts';
import { followStream } from '../../api/sse';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { headerBar } from '../../styles';
import { useAction, useGet } from '../../use-load';
import { markSeen } from './attention';
import { channelLabel, formatDateTime, formatTime } from './labels';

const useChatStyles = makeStyles({
  // The conversation and its composer always fill the height the pane has, so the composer stays in
  // view; on narrow screens the customer's details go above the conversation, never below the composer.
  root: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(200px, 260px)',
    gridTemplateRows: 'minmax(0, 1fr)',
    height: '100%',
    minHeight: 0,
    '@media (max-width: 899px)': {
      gridTemplateColumns: 'minmax(0, 1fr)',
      gridTemplateRows: 'auto minmax(0, 1fr)',
    },
  },
  chat: { display: 'flex', flexDirection: 'column', minHeight: 0, backgroundColor: tokens.colorNeutralBackground2 },
  header: headerBar(tokens.spacingVerticalM),
  grow: { flexGrow: 1 },
  log: {
    flexGrow: 1,
    overflowY: 'auto',
    padding: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    listStyle: 'none',
    margin: 0,
  },
  bubble: {
    maxWidth: '75%',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusLarge,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  customer: { alignSelf: 'flex-start', backgroundColor: tokens.colorNeutralBackground1, boxShadow: tokens.shadow2 },
  agent: { alignSelf: 'flex-end', backgroundColor: tokens.colorBrandBackground2 },
  system: { alignSelf: 'center', color: tokens.colorNeutralForeground3, textAlign: 'center', maxWidth: '90%' },
  note: { alignSelf: 'center', backgroundColor: tokens.colorPaletteYellowBackground1, maxWidth: '90%' },
  whisper: {
    alignSelf: 'flex-end',
    backgroundColor: tokens.colorPaletteYellowBackground1,
    border: `1px dashed ${tokens.colorPaletteYellowBorder2}`,
  },
  bargeIn: {
    alignSelf: 'flex-end',
    backgroundColor: tokens.colorPaletteBerryBackground1,
    border: `1px solid ${tokens.colorPaletteBerryBorder1}`,
  },
  meta: { display: 'block', color: tokens.colorNeutralForeground3 },
  badge: { marginLeft: tokens.spacingHorizontalS },
  composer: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    alignItems: 'end',
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  typing: { minHeight: '20px', padding: `0 ${tokens.spacingHorizontalL}`, color: tokens.colorNeutralForeground3 },
  details: {
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderLeft: `1px solid ${tokens.colorNeutralStroke2}`,
    overflowY: 'auto',
    minHeight: 0,
    '@media (max-width: 899px)': {
      order: -1,
      maxHeight: '30vh',
      borderLeft: 'none',
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    },
  },
  dl: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
  },
});

type Message = Extract<ChatEventView, { kind: 'message' }>;

/** Who a message is from, as its reader sees it: a supervisor's whisper or barge-in says so. */
function authorLabel(e: Message, reader: 'agent' | 'supervisor'): string {
  if (e.supervision === 'whisper')
    return reader === 'agent' ? `Whisper from ${e.authorName} (only you see this)` : e.authorName;
  if (e.supervision === 'barge-in') return `${e.authorName} (supervisor)`;
  if (e.audience === 'agent') return reader === 'agent' ? 'Note for you' : 'Note for the agent';
  return e.authorName;
}

function bubbleOf(e: Message, styles: ReturnType<typeof useChatStyles>): string {
  if (e.supervision === 'whisper') return styles.whisper;
  if (e.supervision === 'barge-in') return styles.bargeIn;
  if (e.audience === 'agent') return styles.note;
  if (e.from === 'customer') return styles.customer;
  return e.from === 'agent' ? styles.agent : styles.system;
}

/**
 * The conversation as text: customer and agent text is never interpreted as HTML. The agent reads it
 * in My Sessions, a supervisor in Live (whispers and barge-ins are marked for both).
 */
export function Transcript({
  events,
  customerName,
  reader = 'agent',
}: {
  events: ChatEventView[];
  customerName: string;
  reader?: 'agent' | 'supervisor';
}) {
  const styles = useChatStyles();
  const end = useRef<HTMLLIElement>(null);
  // A block body: newer browsers return a promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [events.length]);
  return (
    <ol className={styles.log} role="log" aria-live="polite" aria-label={`Conversation with ${customerName}`}>
      {events.map((e) => {
        if (e.kind === 'status') {
          const text =
            e.state === 'connected'
              ? `Connected${e.agentName ? ` with ${e.agentName}` : ''}`
              : e.state === 'ended'
                ? 'The chat has ended'
                : 'Waiting in the queue';
          return (
            <li key={e.seq} className={mergeClasses(styles.bubble, styles.system)}>
              <Caption1>
                {text} · {formatTime(e.at)}
              </Caption1>
            </li>
          );
        }
        return (
          <li key={e.seq} className={mergeClasses(styles.bubble, bubbleOf(e, styles))} data-supervision={e.supervision}>
            <Caption1 className={styles.meta}>
              {authorLabel(e, reader)} · {formatTime(e.at)}
              {e.supervision === 'whisper' && (
                <Badge appearance="tint" color="warning" size="small" className={styles.badge}>
                  Whisper (agent only)
                </Badge>
              )}
              {e.supervision === 'barge-in' && (
                <Badge appearance="tint" color="danger" size="small" className={styles.badge}>
                  Supervisor to customer
                </Badge>
              )}
            </Caption1>
            <Text>{e.text}</Text>
          </li>
        );
      })}
      <li ref={end} aria-hidden />
    </ol>
  );
}

type CustomerDetail = Pick<
  SessionDetailView,
  'customer' | 'channel' | 'target' | 'firstMessage' | 'parameters' | 'createdAt'
>;

function CustomerDetails({ detail }: { detail: CustomerDetail }) {
  const styles = useChatStyles();
  const params = Object.entries(detail.parameters);
  return (
    <aside className={styles.details} aria-labelledby="customer-heading">
      <Subtitle2 block as="h2" id="customer-heading">
        Customer
      </Subtitle2>
      <dl className={styles.dl}>
        <dt>Name</dt>
        <dd>{detail.customer.displayName}</dd>
        <dt>Email</dt>
        <dd>{detail.customer.email ?? '—'}</dd>
        {detail.customer.address && (
          <>
            <dt>Address</dt>
            <dd>{detail.customer.address}</dd>
          </>
        )}
        <dt>Channel</dt>
        <dd>{channelLabel[detail.channel]}</dd>
        <dt>{detail.target.kind === 'service' ? 'Service' : 'Contact'}</dt>
        <dd>{detail.target.name}</dd>
        <dt>Started</dt>
        <dd>{formatDateTime(detail.createdAt)}</dd>
        <dt>First message</dt>
        <dd>{detail.firstMessage ?? '—'}</dd>
      </dl>
      <Subtitle2 block as="h3" style={{ display: 'block', marginTop: tokens.spacingVerticalL }}>
        Collected by the workflow
      </Subtitle2>
      {params.length === 0 ? (
        <Caption1>Nothing collected.</Caption1>
      ) : (
        <dl className={styles.dl}>
          {params.map(([name, value]) => (
            <div key={name} style={{ display: 'contents' }}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </aside>
  );
}

/**
 * A session, live or past: a header with the customer's name, the session's state and `actions` at its
 * end; the conversation (`children`) under it; the customer's details beside it.
 */
export function SessionView({
  headingId,
  detail,
  state,
  stateNote,
  actions,
  children,
}: {
  headingId: string;
  detail: CustomerDetail;
  state: { label: string; color: BadgeProps['color'] };
  /** Shown after the state. */
  stateNote?: ReactNode;
  actions: ReactNode;
  children: ReactNode;
}) {
  const styles = useChatStyles();
  return (
    <div className={styles.root}>
      <section className={styles.chat} aria-labelledby={headingId}>
        <div className={styles.header}>
          <Title3 as="h1" id={headingId}>
            {detail.customer.displayName}
          </Title3>
          <Badge appearance="tint" color={state.color}>
            {state.label}
          </Badge>
          {stateNote}
          <span className={styles.grow} />
          {actions}
        </div>
        {children}
      </section>
      <CustomerDetails detail={detail} />
    </div>
  );
}

/** The direct system messages for the agent, as the Teams session card shows them: on accept, and at the end. */
function AgentMessages({ messages, ended }: { messages: SessionDetailView['agentMessages']; ended: boolean }) {
  const shown = [messages.onAccept, ended ? messages.onEnd : null].filter((m): m is string => m !== null);
  return shown.map((text, i) => (
    <MessageBar key={i} intent="info" layout="multiline" aria-label="Message for you">
      <MessageBarBody>
        <MessageBarTitle>Message for you</MessageBarTitle>
        {text}
      </MessageBarBody>
    </MessageBar>
  ));
}

const TYPING_REPEAT_MS = 3000;
const TYPING_SHOWN_MS = 6000;
/** How many events the pane remembers as the stream sent them; only the latest ever comes again. */
const REMEMBERED_EVENTS = 1000;

/** Puts an event into the transcript at its place in the log, replacing what was there for its number. */
const placed = (list: ChatEventView[], event: ChatEventView): ChatEventView[] => {
  const rest = list.filter((e) => e.seq !== event.seq);
  const at = rest.findIndex((e) => e.seq > event.seq);
  return at < 0 ? [...rest, event] : [...rest.slice(0, at), event, ...rest.slice(at)];
};

/** One live session: the transcript as it happens, the customer typing, the composer and End. */
export function ChatPane({ chatId, onChanged }: { chatId: string; onChanged: () => void }) {
  const styles = useChatStyles();
  const { api, me, notify } = useApp();
  const path = `/me/sessions/${encodeURIComponent(chatId)}`;
  const detail = useGet(SessionDetail, path);
  const [events, setEvents] = useState<ChatEventView[]>([]);
  const [customerTyping, setCustomerTyping] = useState(false);
  const [connected, setConnected] = useState(true);
  const [text, setText] = useState('');
  const send = useAction();
  const end = useAction();
  /** The last event id the stream delivered: where a reconnect resumes. */
  const lastSeq = useRef(0);
  /** What the stream sent for each event shown, to tell its resent checkpoint from a changed log. */
  const streamed = useRef(new Map<number, string>());
  const typingSentAt = useRef(0);
  const reloadDetail = useRef(detail.reload);
  reloadDetail.current = detail.reload;

  /** Forgets the transcript: the stream sends the log again from its first event. */
  const clear = useCallback(() => {
    lastSeq.current = 0;
    streamed.current.clear();
    setEvents([]);
    setCustomerTyping(false);
    void reloadDetail.current();
  }, []);

  /**
   * An event of the stream. One at or before the last event id came again: unchanged, it is the
   * checkpoint of a resumed stream and is skipped; changed (or never seen), the log is not what the
   * pane shows, so the transcript is cleared and the stream restarted from the beginning.
   */
  const receive = useCallback(
    (event: ChatEventView): 'restart' | undefined => {
      const digest = JSON.stringify(event);
      if (event.seq <= lastSeq.current) {
        if (streamed.current.get(event.seq) === digest) return undefined;
        clear();
        return 'restart';
      }
      lastSeq.current = event.seq;
      markSeen(me.userId, chatId, event.seq);
      streamed.current.set(event.seq, digest);
      if (streamed.current.size > REMEMBERED_EVENTS) streamed.current.delete(streamed.current.keys().next().value!);
      setEvents((list) => placed(list, event));
      if (event.kind === 'message' && event.from === 'customer') setCustomerTyping(false);
      if (event.kind === 'status' && event.state === 'ended') void reloadDetail.current();
      return undefined;
    },
    [clear, me.userId, chatId],
  );

  useEffect(() => {
    const controller = new AbortController();
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    void followStream(api, `${path}/stream`, {
      signal: controller.signal,
      lastEventId: () => lastSeq.current,
      onConnection: setConnected,
      isFinal: (e) => e.event === 'status' && e.data.includes('"ended"'),
      onEvent: (e) => {
        // The log is shorter than what the pane shows: start over; the whole log follows on this stream.
        if (e.event === 'reset') {
          clear();
          return;
        }
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        if (e.event === 'typing') {
          const typing = TypingEvent.safeParse(data);
          if (!typing.success || typing.data.from !== 'customer') return;
          setCustomerTyping(typing.data.typing);
          clearTimeout(typingTimer);
          // A lost "stopped typing" must not leave the indicator on forever.
          if (typing.data.typing) typingTimer = setTimeout(() => setCustomerTyping(false), TYPING_SHOWN_MS);
          return;
        }
        const event = ChatEventView.safeParse(data);
        return event.success ? receive(event.data) : undefined;
      },
    });
    return () => {
      clearTimeout(typingTimer);
      controller.abort();
    };
  }, [api, path, receive, clear]);

  if (detail.error && !detail.data)
    return <ErrorBar error={detail.error} title="This session cannot be shown" onRetry={() => void detail.reload()} />;
  if (!detail.data) return <Loading label="Opening the session…" />;
  const d = detail.data;
  const live = d.live && !events.some((e) => e.kind === 'status' && e.state === 'ended');

  const typing = (now: boolean) => {
    const at = Date.now();
    if (now && at - typingSentAt.current < TYPING_REPEAT_MS) return;
    typingSentAt.current = now ? at : 0;
    void api.send('POST', `${path}/typing`, { typing: now }).catch(() => undefined);
  };
  const submit = async () => {
    const message = text.trim();
    if (!message) return;
    const posted = await send.run(() => api.call(ChatEventView, 'POST', `${path}/messages`, { text: message }));
    if (posted) {
      // Shown now; the stream delivers it too (and stays the one that moves the last event id).
      if (posted.seq > lastSeq.current) setEvents((list) => placed(list, posted));
      setText('');
      typing(false);
    }
  };
  const endSession = async () => {
    const ended = await end.run(async () => {
      await api.send('POST', `${path}/end`);
      return true;
    });
    if (ended) {
      notify('Session ended');
      void detail.reload();
      onChanged();
    }
  };

  return (
    <SessionView
      headingId="chat-heading"
      detail={d}
      state={
        live
          ? { label: 'Live', color: 'success' }
          : { label: d.endedBy === 'customer' ? 'Customer left' : 'Ended', color: 'informative' }
      }
      actions={
        live && (
          <ConfirmDialog
            trigger={<Button disabled={end.busy}>End session</Button>}
            title={`End the chat with ${d.customer.displayName}?`}
            confirmLabel="End session"
            onConfirm={() => void endSession()}
          >
            The customer is told the chat has ended and cannot write in it any more.
          </ConfirmDialog>
        )
      }
    >
      {!connected && (
        <MessageBar intent="warning">
          <MessageBarBody>Reconnecting… messages will appear when the connection is back.</MessageBarBody>
        </MessageBar>
      )}
      {end.error && <ErrorBar error={end.error} />}
      <AgentMessages messages={d.agentMessages} ended={!live} />
      <Transcript events={events} customerName={d.customer.displayName} />
      <div className={styles.typing} aria-live="polite">
        {customerTyping && live ? <Caption1>{d.customer.displayName} is typing…</Caption1> : null}
      </div>
      {live ? (
        <form
          className={styles.composer}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field
            label={`Message to ${d.customer.displayName}`}
            className={styles.grow}
            validationMessage={send.error?.message}
          >
            <Textarea
              value={text}
              resize="vertical"
              maxLength={4000}
              placeholder="Write a message. Enter sends, Shift+Enter starts a new line."
              onChange={(_, v) => {
                setText(v.value);
                typing(v.value.length > 0);
              }}
              onBlur={() => typing(false)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  void submit();
                }
              }}
            />
          </Field>
          <Button appearance="primary" type="submit" disabled={send.busy || text.trim().length === 0}>
            Send
          </Button>
        </form>
      ) : (
        <MessageBar intent="info">
          <MessageBarBody>
            {d.endedBy === 'customer' ? 'The customer has left. ' : ''}This session has ended. Add codes and tags to it
            in your history.
          </MessageBarBody>
        </MessageBar>
      )}
    </SessionView>
  );
}
