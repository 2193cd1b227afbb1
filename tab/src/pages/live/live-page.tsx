import {
  Badge,
  Button,
  Caption1,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  PresenceBadge,
  type PresenceBadgeStatus,
  Skeleton,
  SkeletonItem,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import {
  type AgentLiveView,
  Dashboard,
  DashboardChanged,
  type LiveTaskView,
  type ServiceLiveView,
} from '../../../../bot/src/contracts';
import { followStream } from '../../api/sse';
import { Empty, ErrorBar } from '../../components/status';
import { useApp } from '../../context';
import { navigate } from '../../router';
import { useGet } from '../../use-load';
import { channelLabel, formatTime, presenceLabel } from '../sessions/labels';
import { abandoned, agentStateText, duration, percent } from './format';
import { SuperviseChat } from './supervise-chat';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, padding: tokens.spacingHorizontalXL },
  heading: { display: 'flex', alignItems: 'baseline', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
  service: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingVerticalL },
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  card: { padding: tokens.spacingVerticalM, backgroundColor: tokens.colorNeutralBackground2 },
  figure: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold },
  tables: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    alignItems: 'start',
    gap: tokens.spacingHorizontalL,
    '@media (max-width: 1100px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  wide: { gridColumn: '1 / -1' },
  part: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  secondary: { display: 'block', color: tokens.colorNeutralForeground3 },
  text: { overflowWrap: 'anywhere' },
});

/** How often the dashboard refetches without a notice from the server (a missed notice, a silent network). */
const FALLBACK_REFRESH_MS = 5000;
/** Several changes often come together (an accept ends ringing and connects a chat): refetch once. */
const COALESCE_MS = 150;

/** The Live section: the dashboard of the supervised services, or one supervised chat. */
export function LivePage({ route }: { route: string[] }) {
  const [view, id] = route;
  if (view === 'chat' && id) return <SuperviseChat key={id} chatId={id} />;
  return <LiveDashboard />;
}

/** The server's clock now, from the offset seen when the dashboard was read: waits count up between reads. */
function useServerNow(serverAt: number | undefined, readAt: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const offset = serverAt !== undefined && readAt !== undefined ? serverAt - readAt : 0;
  return Math.max(now, readAt ?? 0) + offset;
}

/**
 * The live dashboard: each supervised service's queue, connected chats and agents, with today's
 * counters. It refetches whenever the server says something changed, and every few seconds besides.
 */
function LiveDashboard() {
  const styles = useStyles();
  const { api } = useApp();
  const dashboard = useGet(Dashboard, '/supervision/dashboard');
  const [readAt, setReadAt] = useState<number>();
  const [connected, setConnected] = useState(true);
  const reload = useRef(dashboard.reload);
  reload.current = dashboard.reload;

  useEffect(() => {
    if (dashboard.data) setReadAt(Date.now());
  }, [dashboard.data]);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload.current(), COALESCE_MS);
    };
    void followStream(api, '/supervision/stream', {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event !== 'changed') return;
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        const changed = DashboardChanged.safeParse(data);
        if (changed.success && changed.data.kind !== 'heartbeat') soon();
      },
      onConnection: (up) => {
        setConnected(up);
        if (up) soon();
      },
    });
    const fallback = setInterval(() => void reload.current(), FALLBACK_REFRESH_MS);
    return () => {
      clearTimeout(timer);
      clearInterval(fallback);
      controller.abort();
    };
  }, [api]);

  const now = useServerNow(dashboard.data?.at, readAt);
  const data = dashboard.data;
  return (
    <div className={styles.page}>
      <div className={styles.heading}>
        <Text as="h1" size={600} weight="semibold">
          Live
        </Text>
        {data && <Caption1>Today is counted in {data.timeZone}.</Caption1>}
      </div>
      {!connected && (
        <MessageBar intent="warning">
          <MessageBarBody>Reconnecting… the figures are refreshed every few seconds meanwhile.</MessageBarBody>
        </MessageBar>
      )}
      {dashboard.error && (
        <ErrorBar
          error={dashboard.error}
          title={data ? 'The dashboard could not be refreshed' : 'The dashboard could not be loaded'}
          onRetry={() => void dashboard.reload()}
        />
      )}
      {!data && !dashboard.error && <DashboardSkeleton />}
      {data && data.services.length === 0 && (
        <Empty title="No services to supervise">Services you supervise show up here.</Empty>
      )}
      {data?.services.map((s) => (
        <ServiceSection key={s.serviceId} service={s} now={now} />
      ))}
    </div>
  );
}

function DashboardSkeleton() {
  const styles = useStyles();
  return (
    <Skeleton aria-label="Loading the dashboard" className={styles.service}>
      <SkeletonItem size={24} style={{ width: '30%' }} />
      <div className={styles.cards}>
        {[0, 1, 2, 3, 4].map((i) => (
          <SkeletonItem key={i} size={64} />
        ))}
      </div>
      <SkeletonItem size={120} />
    </Skeleton>
  );
}

/** Figures in a row of small cards, each read out as "label: value". */
function Figures({ label, items }: { label: string; items: [string, ReactNode, string][] }) {
  const styles = useStyles();
  return (
    <div className={styles.cards} role="list" aria-label={label}>
      {items.map(([name, value, spoken]) => (
        <Card key={name} className={styles.card} role="listitem" aria-label={`${name}: ${spoken}`}>
          <Text size={200}>{name}</Text>
          <span className={styles.figure}>{value}</span>
        </Card>
      ))}
    </div>
  );
}

const priorityLabel: Record<NonNullable<LiveTaskView['priority']>, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  strict: 'Strict',
};

const presenceStatus: Record<AgentLiveView['presence'], PresenceBadgeStatus> = {
  available: 'available',
  busy: 'busy',
  away: 'away',
  'do-not-disturb': 'do-not-disturb',
  offline: 'offline',
};

function ServiceSection({ service: s, now }: { service: ServiceLiveView; now: number }) {
  const styles = useStyles();
  const headingId = `live-${s.serviceId}`;
  const longest = s.longestWaitSince === null ? null : now - s.longestWaitSince;
  const k = s.today.kpis;
  return (
    <Card className={styles.service} role="region" aria-labelledby={headingId}>
      <CardHeader
        header={
          <Subtitle2 as="h2" id={headingId}>
            {s.name}
          </Subtitle2>
        }
      />
      <Figures
        label={`${s.name} now`}
        items={[
          ['Waiting', s.waiting, String(s.waiting)],
          ['Longest wait', duration(longest), duration(longest)],
          ['Ringing', s.offered, String(s.offered)],
          ['In workflow', s.inWorkflow, String(s.inWorkflow)],
          ['Connected', s.connected.length, String(s.connected.length)],
        ]}
      />
      <Subtitle2 as="h3">Today ({s.today.day})</Subtitle2>
      <Figures
        label={`${s.name} today`}
        items={[
          ['Offered', s.today.offered, String(s.today.offered)],
          ['Accepted', s.today.accepted, String(s.today.accepted)],
          ['Abandoned', abandoned(k), String(abandoned(k))],
          ['Handled by system', k.outcomes['handled-by-system'] ?? 0, String(k.outcomes['handled-by-system'] ?? 0)],
          ['Queue time (avg)', duration(k.queueTimeMsAvg), duration(k.queueTimeMsAvg)],
          ['Acceptance SLA', percent(k.acceptanceSla), percent(k.acceptanceSla)],
        ]}
      />
      <div className={styles.tables}>
        <QueueTable service={s} now={now} />
        <ConnectedTable service={s} now={now} />
        <div className={styles.wide}>
          <AgentsTable service={s} />
        </div>
      </div>
    </Card>
  );
}

function QueueTable({ service: s, now }: { service: ServiceLiveView; now: number }) {
  const styles = useStyles();
  return (
    <section className={styles.part} aria-label={`Queue of ${s.name}`}>
      <Subtitle2 as="h3">Queue</Subtitle2>
      {s.queue.length === 0 ? (
        <Caption1>No one is waiting.</Caption1>
      ) : (
        <Table size="small" aria-label={`Waiting in ${s.name}`}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>#</TableHeaderCell>
              <TableHeaderCell>Customer</TableHeaderCell>
              <TableHeaderCell>Channel</TableHeaderCell>
              <TableHeaderCell>Priority</TableHeaderCell>
              <TableHeaderCell>Waited</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {s.queue.map((t, i) => (
              <TableRow key={t.taskId}>
                <TableCell>{i + 1}</TableCell>
                <TableCell>
                  <TableCellLayout
                    description={
                      t.ringing.length > 0 ? `Ringing: ${t.ringing.map((r) => r.displayName).join(', ')}` : ''
                    }
                  >
                    <span className={styles.text}>{t.customerName}</span>
                  </TableCellLayout>
                </TableCell>
                <TableCell>{channelLabel[t.channel]}</TableCell>
                <TableCell>{t.priority === null ? '–' : priorityLabel[t.priority]}</TableCell>
                <TableCell>{duration(now - t.since)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function ConnectedTable({ service: s, now }: { service: ServiceLiveView; now: number }) {
  const styles = useStyles();
  return (
    <section className={styles.part} aria-label={`Connected chats of ${s.name}`}>
      <Subtitle2 as="h3">Connected</Subtitle2>
      {s.connected.length === 0 ? (
        <Caption1>No chats connected.</Caption1>
      ) : (
        <Table size="small" aria-label={`Connected in ${s.name}`}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Customer</TableHeaderCell>
              <TableHeaderCell>Channel</TableHeaderCell>
              <TableHeaderCell>Agent</TableHeaderCell>
              <TableHeaderCell>Since</TableHeaderCell>
              <TableHeaderCell>
                <span className="visually-hidden">Actions</span>
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {s.connected.map((t) => (
              <ConnectedRow key={t.taskId} task={t} now={now} />
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function ConnectedRow({ task: t, now }: { task: LiveTaskView; now: number }) {
  const styles = useStyles();
  return (
    <TableRow>
      <TableCell>
        <span className={styles.text}>{t.customerName}</span>{' '}
        {t.supervised && (
          <Badge appearance="tint" color="brand" size="small">
            Supervised
          </Badge>
        )}
      </TableCell>
      <TableCell>{channelLabel[t.channel]}</TableCell>
      <TableCell>{t.agent?.displayName ?? '–'}</TableCell>
      <TableCell>
        <TableCellLayout description={duration(now - t.since)}>{formatTime(t.since)}</TableCellLayout>
      </TableCell>
      <TableCell>
        <Button
          size="small"
          onClick={() => navigate('live', 'chat', t.chatId)}
          aria-label={`Supervise chat with ${t.customerName}`}
        >
          Supervise
        </Button>
      </TableCell>
    </TableRow>
  );
}

function AgentsTable({ service: s }: { service: ServiceLiveView }) {
  const styles = useStyles();
  return (
    <section className={styles.part} aria-label={`Agents of ${s.name}`}>
      <Subtitle2 as="h3">Agents</Subtitle2>
      {s.agents.length === 0 ? (
        <Caption1>This service has no active members.</Caption1>
      ) : (
        <Table size="small" aria-label={`Agents in ${s.name}`}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Agent</TableHeaderCell>
              <TableHeaderCell>Presence</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {s.agents.map((a) => (
              <AgentRow key={a.userId} agent={a} />
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function AgentRow({ agent: a }: { agent: AgentLiveView }) {
  const styles = useStyles();
  const state = agentStateText(a);
  return (
    <TableRow>
      <TableCell>{a.displayName}</TableCell>
      <TableCell>
        <TableCellLayout media={<PresenceBadge status={presenceStatus[a.presence]} aria-hidden />}>
          {presenceLabel[a.presence]}
        </TableCellLayout>
      </TableCell>
      <TableCell>
        {a.reason ? (
          <Tooltip content={a.reason} relationship="description">
            <span tabIndex={0}>
              <Text>{state}</Text>
              <Caption1 className={styles.secondary}>{a.reason}</Caption1>
            </span>
          </Tooltip>
        ) : (
          <Text>{state}</Text>
        )}
      </TableCell>
    </TableRow>
  );
}
