import { Avatar, Button, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { AdminPages } from './pages/admin/admin-pages';
import { MyInteract } from './pages/interact/my-interact';
import { LivePage } from './pages/live/live-page';
import { MySessions } from './pages/sessions/my-sessions';
import { ReportsPage } from './pages/reports/reports-page';
import { useApp } from './context';
import { navigate, useRoute } from './router';
import { headerBar } from './styles';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', height: '100%', backgroundColor: tokens.colorNeutralBackground2 },
  header: { ...headerBar(tokens.spacingVerticalS), flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  main: { flexGrow: 1, minHeight: 0, overflow: 'auto' },
});

type Section = 'sessions' | 'interact' | 'live' | 'reports' | 'admin';

export function Shell({ onSwitchUser }: { onSwitchUser?: () => void }) {
  const styles = useStyles();
  const { me } = useApp();
  const route = useRoute();
  const section: Section =
    route[0] === 'interact' && me.interactTab
      ? 'interact'
      : route[0] === 'live' && me.supervision
        ? 'live'
        : route[0] === 'reports' && me.reports
          ? 'reports'
          : route[0] === 'admin' && me.isAdmin
            ? 'admin'
            : 'sessions';
  return (
    <div className={styles.root}>
      <header className={styles.header}>
        <Text weight="semibold" size={400}>
          Contact Center
        </Text>
        <TabList selectedValue={section} onTabSelect={(_, d) => navigate(String(d.value))} aria-label="Sections">
          <Tab value="sessions">My Sessions</Tab>
          {me.interactTab && <Tab value="interact">Interact</Tab>}
          {me.supervision && <Tab value="live">Live</Tab>}
          {me.reports && <Tab value="reports">Reports</Tab>}
          {me.isAdmin && <Tab value="admin">Admin</Tab>}
        </TabList>
        <span className={styles.grow} />
        <Avatar name={me.displayName} size={28} aria-hidden />
        <Text>
          {me.displayName} · {me.tenantName}
        </Text>
        {onSwitchUser && (
          <Button appearance="subtle" onClick={onSwitchUser}>
            Switch user
          </Button>
        )}
      </header>
      <main className={styles.main}>
        {section === 'sessions' && <MySessions route={route.slice(1)} />}
        {section === 'interact' && <MyInteract />}
        {section === 'live' && <LivePage route={route.slice(1)} />}
        {section === 'reports' && <ReportsPage />}
        {section === 'admin' && <AdminPages route={route.slice(1)} />}
      </main>
    </div>
  );
}
