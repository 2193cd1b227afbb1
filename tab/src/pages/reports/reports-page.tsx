import {
  Button,
  Card,
  Dropdown,
  Field,
  Input,
  Option,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { VerticalStackedBarChart } from '@fluentui/react-charts';
import { useState } from 'react';
import { type Kpis, type KpisByChannel, ReportSummary } from '../../../../bot/src/contracts';
import { useApp } from '../../context';
import { ErrorBar, Empty, Loading } from '../../components/status';
import { useLoad } from '../../use-load';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, padding: tokens.spacingHorizontalXL },
  controls: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: tokens.spacingHorizontalM },
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  card: { padding: tokens.spacingVerticalM },
  figure: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold },
  // The chart takes the size of its box: without a height it draws a sliver.
  chart: { height: '360px', minWidth: 0 },
  split: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)',
    alignItems: 'start',
    gap: tokens.spacingHorizontalL,
    '@media (max-width: 900px)': { gridTemplateColumns: '1fr' },
  },
});

type ChannelView = 'all' | 'interact' | 'whatsapp';

/** The outcome groups in the order of the chart's stack and the tables, with their names. */
const GROUPS = [
  ['handled-by-user', 'Handled by user', tokens.colorPaletteGreenBackground3],
  ['handled-by-system', 'Handled by system', tokens.colorPaletteTealBackground2],
  ['hangup-before-queue', 'Hang-up before queue', tokens.colorPaletteYellowBackground3],
  ['hangup-in-queue', 'Hang-up in queue', tokens.colorPaletteDarkOrangeBackground3],
  ['not-handled', 'Not handled', tokens.colorPaletteRedBackground3],
  ['failed', 'Failed', tokens.colorPaletteBerryBackground3],
  ['transferred', 'Transferred', tokens.colorPaletteBlueBackground2],
] as const;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const percent = (r: number | null) => (r === null ? '–' : `${Math.round(r * 1000) / 10} %`);

/** A duration as people write it: 1:05:09, 4:07, 0:09. */
export function clock(ms: number | null): string {
  if (ms === null) return '–';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function KpiCards({ k }: { k: Kpis }) {
  const styles = useStyles();
  const cards: [string, string][] = [
    ['Tasks', String(k.tasks)],
    ['Reachability', percent(k.reachability)],
    ['Acceptance SLA', percent(k.acceptanceSla)],
    ['Hangup SLA', percent(k.hangupSla)],
    ['Queue time (avg)', clock(k.queueTimeMsAvg)],
    ['Connected time (avg)', clock(k.connectedTimeMsAvg)],
  ];
  return (
    <div className={styles.cards} role="list" aria-label="Key figures">
      {cards.map(([label, value]) => (
        <Card key={label} className={styles.card} role="listitem" aria-label={`${label}: ${value}`}>
          <Text size={200}>{label}</Text>
          <span className={styles.figure}>{value}</span>
        </Card>
      ))}
    </div>
  );
}

/** Tasks by outcome group as stacked bars, one bar per point (a day, an hour). */
function OutcomeBars({
  title,
  barWidth,
  points,
}: {
  title: string;
  barWidth: number;
  points: { x: string; kpis: Kpis }[];
}) {
  const styles = useStyles();
  return (
    <div className={styles.chart}>
      <VerticalStackedBarChart
        chartTitle={title}
        height={320}
        barWidth={barWidth}
        data={points.map((p) => ({
          chartData: GROUPS.map(([g, legend, color]) => ({ legend, data: p.kpis.outcomes[g] ?? 0, color })),
          xAxisPoint: p.x,
        }))}
      />
    </div>
  );
}

/**
 * Historic reporting (admins: the whole organization; supervisors: their services): the key figures of
 * a period, tasks per day and by hour of arrival by outcome as charts with the same numbers in a table
 * beside each, the
 * services and agents, and the rows behind it all as CSV.
 */
export function ReportsPage() {
  const styles = useStyles();
  const { api, notify } = useApp();
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 29 * 86_400_000)));
  const [to, setTo] = useState(isoDay(today));
  const [serviceId, setServiceId] = useState<string>('');
  const [channel, setChannel] = useState<ChannelView>('all');
  const [downloading, setDownloading] = useState(false);
  const query = `?from=${from}&to=${to}${serviceId ? `&serviceId=${encodeURIComponent(serviceId)}` : ''}`;
  const summary = useLoad(() => api.get(ReportSummary, `/reports/summary${query}`), [query]);

  const download = async () => {
    setDownloading(true);
    try {
      const blob = await api.download(`/reports/tasks.csv${query}`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `tasks-${from}-to-${to}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (err) {
      notify(err instanceof Error ? err.message : 'The export failed.', 'error');
    } finally {
      setDownloading(false);
    }
  };

  const data = summary.data;
  const pick = (k: KpisByChannel) => k[channel];
  return (
    <div className={styles.page}>
      <Text as="h1" size={600} weight="semibold">
        Reports
      </Text>
      <div className={styles.controls}>
        <Field label="From">
          <Input type="date" value={from} max={to} onChange={(_, d) => d.value && setFrom(d.value)} />
        </Field>
        <Field label="To">
          <Input type="date" value={to} min={from} onChange={(_, d) => d.value && setTo(d.value)} />
        </Field>
        <Field label="Service">
          <Dropdown
            value={serviceId === '' ? 'All services' : (data?.services.find((s) => s.id === serviceId)?.name ?? '')}
            selectedOptions={[serviceId]}
            onOptionSelect={(_, d) => setServiceId(d.optionValue ?? '')}
          >
            <Option value="">All services</Option>
            {(data?.services ?? []).map((s) => (
              <Option key={s.id} value={s.id}>
                {s.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button onClick={() => void download()} disabled={downloading || !data}>
          {downloading ? 'Exporting…' : 'Download CSV'}
        </Button>
      </div>
      <TabList selectedValue={channel} onTabSelect={(_, d) => setChannel(d.value as ChannelView)} aria-label="Channel">
        <Tab value="all">All channels</Tab>
        <Tab value="interact">Interact</Tab>
        <Tab value="whatsapp">WhatsApp</Tab>
      </TabList>
      {summary.error && (
        <ErrorBar error={summary.error} title="The report could not be loaded" onRetry={summary.reload} />
      )}
      {!data && summary.loading && <Loading label="Loading the report" />}
      {data && (
        <>
          <Text size={200}>
            Days in {data.timeZone}, {data.from} to {data.to}.
          </Text>
          <KpiCards k={pick(data.totals)} />
          {pick(data.totals).tasks === 0 ? (
            <Empty title="No tasks in this period">Pick a longer period, another service or another channel.</Empty>
          ) : (
            <>
              <section aria-label="Tasks per day" className={styles.split}>
                <OutcomeBars
                  title="Tasks per day by outcome"
                  barWidth={24}
                  points={data.days.map((d) => ({ x: d.day, kpis: pick(d) }))}
                />
                <Table aria-label="Tasks per day" size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Day</TableHeaderCell>
                      <TableHeaderCell>Tasks</TableHeaderCell>
                      <TableHeaderCell>Handled by user</TableHeaderCell>
                      <TableHeaderCell>Reachability</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {data.days.map((d) => (
                      <TableRow key={d.day}>
                        <TableCell>{d.day}</TableCell>
                        <TableCell>{pick(d).tasks}</TableCell>
                        <TableCell>{pick(d).outcomes['handled-by-user'] ?? 0}</TableCell>
                        <TableCell>{percent(pick(d).reachability)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </section>
              <section aria-label="Tasks by hour of day" className={styles.split}>
                <OutcomeBars
                  title="Tasks by hour of arrival"
                  barWidth={12}
                  points={data.hours.map((h) => ({ x: h.hour, kpis: pick(h) }))}
                />
                <Table aria-label="Tasks by hour of day" size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Hour</TableHeaderCell>
                      <TableHeaderCell>Tasks</TableHeaderCell>
                      <TableHeaderCell>Queue time (avg)</TableHeaderCell>
                      <TableHeaderCell>Acceptance SLA</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {data.hours
                      .filter((h) => pick(h).tasks > 0)
                      .map((h) => (
                        <TableRow key={h.hour}>
                          <TableCell>{h.hour}:00</TableCell>
                          <TableCell>{pick(h).tasks}</TableCell>
                          <TableCell>{clock(pick(h).queueTimeMsAvg)}</TableCell>
                          <TableCell>{percent(pick(h).acceptanceSla)}</TableCell>
                        </TableRow>
                      ))}
                  </TableBody>
                </Table>
              </section>
              <Table aria-label="Outcomes by service" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Service</TableHeaderCell>
                    <TableHeaderCell>Tasks</TableHeaderCell>
                    {GROUPS.map(([g, label]) => (
                      <TableHeaderCell key={g}>{label}</TableHeaderCell>
                    ))}
                    <TableHeaderCell>Acceptance SLA</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {[
                    ...data.byService.map((s) => ({ name: s.name, k: pick(s.kpis) })),
                    ...(data.direct ? [{ name: 'Direct contacts', k: pick(data.direct) }] : []),
                  ].map(({ name, k }) => (
                    <TableRow key={name}>
                      <TableCell>{name}</TableCell>
                      <TableCell>{k.tasks}</TableCell>
                      {GROUPS.map(([g]) => (
                        <TableCell key={g}>{k.outcomes[g] ?? 0}</TableCell>
                      ))}
                      <TableCell>{percent(k.acceptanceSla)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          )}
          {data.agents.length > 0 && (
            <Table aria-label="Agents" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Agent</TableHeaderCell>
                  <TableHeaderCell>Handled</TableHeaderCell>
                  <TableHeaderCell>Connected time (avg)</TableHeaderCell>
                  <TableHeaderCell>Declined</TableHeaderCell>
                  <TableHeaderCell>RONA</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.agents.map((a) => (
                  <TableRow key={a.userId}>
                    <TableCell>{a.displayName}</TableCell>
                    <TableCell>{a.handled}</TableCell>
                    <TableCell>{clock(a.connectedTimeMsAvg)}</TableCell>
                    <TableCell>{a.sessions.declined ?? 0}</TableCell>
                    <TableCell>{a.sessions.rona ?? 0}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </div>
  );
}
