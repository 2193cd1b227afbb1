import {
  Badge,
  Button,
  Caption1,
  Card,
  CardHeader,
  Field,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Select,
  Subtitle2,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { AcceptResult, AgentView, Overview, type OfferView } from '../../../../bot/src/contracts';
import { followStream } from '../../api/sse';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { href, navigate } from '../../router';
import { plainList } from '../../styles';
import { useAction, useGet } from '../../use-load';
import { NotificationsToggle, useAttention } from './attention';
import { ChatPane } from './chat-pane';
import { HistoryDetailPane, HistoryList } from './history';
import { channelLabel, formatTime, presenceLabel } from './labels';
import { PickupQueueSection } from './pickup-queue';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(260px, 320px) 1fr',
    height: '100%',
    minHeight: 0,
    '@media (max-width: 720px)': { gridTemplateColumns: '1fr' },
  },
  side: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalL,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    overflowY: 'auto',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  pane: { minHeight: 0, overflow: 'hidden', display: 'flex', flexDirection: 'column' },
  list: plainList(tokens.spacingVerticalXS),
  session: { width: '100%', justifyContent: 'flex-start', textAlign: 'left', padding: tokens.spacingHorizontalS },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  sectionTitle: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  offerText: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

/**
 * My Sessions: availability, offers waiting for the agent, their live chats, and their history. The
 * overview refetches whenever the server says something of this agent changed.
 */
export function MySessions({ route }: { route: string[] }) {
  const styles = useStyles();
  const { api, me } = useApp();
  const overview = useGet(Overview, '/me/sessions');
  const reload = useRef(overview.reload);
  reload.current = overview.reload;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    void followStream(api, '/me/stream', {
      signal: controller.signal,
      // Several changes often come at once (an accept frees an offer and connects a chat): refetch once.
      onEvent: () => {
        clearTimeout(timer);
        timer = setTimeout(() => void reload.current(), 150);
      },
      onConnection: (connected) => {
        if (connected) void reload.current();
      },
    });
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api]);

  const [view, id] = route;
  const selectedChat = view === 'chat' ? id : undefined;
  const attention = useAttention(overview.data, selectedChat, me.userId);
  let pane;
  if (view === 'chat' && id) pane = <ChatPane key={id} chatId={id} onChanged={() => void overview.reload()} />;
  else if (view === 'history' && id) pane = <HistoryDetailPane key={id} sessionId={id} />;
  else if (view === 'history') pane = <HistoryList />;
  else
    pane = (
      <Empty title="No session selected">Choose a session on the left, or accept an offer when one arrives.</Empty>
    );

  return (
    <div className={styles.layout}>
      <nav className={styles.side} aria-label="My sessions">
        {overview.error && <ErrorBar error={overview.error} onRetry={() => void overview.reload()} />}
        {!overview.data && !overview.error && <Loading label="Loading your sessions…" />}
        {overview.data && (
          <>
            <Availability
              agent={overview.data.agent}
              onChanged={(agent) => overview.setData({ ...overview.data!, agent })}
            />
            <NotificationsToggle notifications={attention.notifications} />
            <section aria-labelledby="offers-heading">
              <div className={styles.sectionTitle}>
                <Subtitle2 block as="h2" id="offers-heading">
                  Offers
                </Subtitle2>
                {overview.data.offers.length > 0 && (
                  <Badge appearance="filled" color="danger" aria-label={`${overview.data.offers.length} waiting`}>
                    {overview.data.offers.length}
                  </Badge>
                )}
              </div>
              {overview.data.offers.length === 0 ? (
                <Caption1>No offers waiting. New chats show up here.</Caption1>
              ) : (
                <ul className={styles.list} aria-live="polite">
                  {overview.data.offers.map((o) => (
                    <li key={o.taskId}>
                      <OfferCard offer={o} onDone={() => void overview.reload()} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <PickupQueueSection changed={overview.data} />
            <section aria-labelledby="active-heading">
              <Subtitle2 block as="h2" id="active-heading">
                Active sessions
              </Subtitle2>
              {overview.data.active.length === 0 ? (
                <Caption1>No active sessions.</Caption1>
              ) : (
                <ul className={styles.list}>
                  {overview.data.active.map((s) => (
                    <li key={s.chatId}>
                      <Button
                        appearance="subtle"
                        className={mergeClasses(styles.session, s.chatId === selectedChat && styles.selected)}
                        aria-current={s.chatId === selectedChat ? 'page' : undefined}
                        onClick={() => navigate('sessions', 'chat', s.chatId)}
                      >
                        <span>
                          <Text weight="semibold" block>
                            {s.customer.displayName}{' '}
                            {attention.unread.has(s.chatId) && (
                              <Badge appearance="filled" color="brand" size="small">
                                Unread
                              </Badge>
                            )}
                          </Text>
                          <Caption1>
                            {s.target.name} · {channelLabel[s.channel]}
                            {s.connectedAt !== null && ` · since ${formatTime(s.connectedAt)}`}
                          </Caption1>
                        </span>
                      </Button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="history-heading">
              <Subtitle2 block as="h2" id="history-heading">
                History
              </Subtitle2>
              <Link href={href('sessions', 'history')}>Past sessions, accepted and missed</Link>
            </section>
          </>
        )}
      </nav>
      <div className={styles.pane}>{pane}</div>
    </div>
  );
}

function Availability({ agent, onChanged }: { agent: AgentView; onChanged: (agent: AgentView) => void }) {
  const { api, notify } = useApp();
  const action = useAction();
  const change = async (presence: AgentView['presence']) => {
    const next = await action.run(() => api.call(AgentView, 'PUT', '/me/presence', { presence }));
    if (next) onChanged(next);
  };
  const resetRona = async () => {
    const next = await action.run(() => api.call(AgentView, 'POST', '/me/rona-reset'));
    if (next) {
      onChanged(next);
      notify('You receive offers again');
    }
  };
  return (
    <section aria-label="Availability">
      <Field
        label="My availability"
        hint={
          (agent.effective?.presence ?? agent.presence) === 'available' && !agent.effective?.blockedBy
            ? 'You receive offers.'
            : 'You receive no new offers; your open chats stay with you.'
        }
      >
        <Select
          value={agent.presence}
          disabled={action.busy}
          onChange={(_, d) => void change(d.value as AgentView['presence'])}
        >
          {(Object.keys(presenceLabel) as AgentView['presence'][]).map((p) => (
            <option key={p} value={p}>
              {presenceLabel[p]}
            </option>
          ))}
        </Select>
      </Field>
      {agent.effective && agent.effective.why !== `Your status is ${presenceLabel[agent.presence]}.` && (
        <MessageBar
          intent={agent.effective.source === 'teams' ? 'warning' : 'info'}
          layout="multiline"
          style={{ marginTop: tokens.spacingVerticalS }}
        >
          <MessageBarBody>
            Effective status: {presenceLabel[agent.effective.presence]}. {agent.effective.why}
          </MessageBarBody>
        </MessageBar>
      )}
      {agent.rona && (
        <MessageBar intent="warning" layout="multiline" style={{ marginTop: tokens.spacingVerticalS }}>
          <MessageBarBody>
            {agent.rona.reason === 'declined' ? 'You declined an offer' : 'An offer was not answered'}: no offers until{' '}
            {formatTime(agent.rona.until)} (RONA).
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void resetRona()} disabled={action.busy}>
              Reset RONA
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {action.error && <ErrorBar error={action.error} />}
    </section>
  );
}

function OfferCard({ offer, onDone }: { offer: OfferView; onDone: () => void }) {
  const styles = useStyles();
  const { api } = useApp();
  const action = useAction();
  const accept = async () => {
    const result = await action.run(() =>
      api.call(AcceptResult, 'POST', `/me/offers/${encodeURIComponent(offer.taskId)}/accept`),
    );
    onDone();
    if (result) navigate('sessions', 'chat', result.chatId);
  };
  const decline = async () => {
    await action.run(() => api.send('POST', `/me/offers/${encodeURIComponent(offer.taskId)}/decline`));
    onDone();
  };
  return (
    <Card aria-label={`Offer from ${offer.customer.displayName}`}>
      <CardHeader
        header={<Text weight="semibold">{offer.customer.displayName}</Text>}
        description={
          <Caption1>
            {offer.target.name} · {channelLabel[offer.channel]}
          </Caption1>
        }
      />
      {offer.firstMessage && <Text className={styles.offerText}>{offer.firstMessage}</Text>}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          disabled={action.busy}
          onClick={() => void accept()}
          aria-label={`Accept chat with ${offer.customer.displayName}`}
        >
          Accept
        </Button>
        <Button
          disabled={action.busy}
          onClick={() => void decline()}
          aria-label={`Decline chat with ${offer.customer.displayName}`}
        >
          Decline
        </Button>
      </div>
      {action.error && <ErrorBar error={action.error} />}
    </Card>
  );
}
