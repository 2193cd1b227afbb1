import { Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { navigate } from '../../router';
import { InteractSettingsPage } from '../interact/interact-settings';
import { CalendarsPage } from './calendars';
import { DomainTemplatesPage } from './domain-templates';
import { LicensesPage } from './licenses';
import { ServiceDetailPage, ServicesPage } from './services';
import { SystemMessagesPage } from './system-messages';
import { UnitsPage } from './units';
import { UsersPage } from './users';
import { WebRequestEditor, WebRequestsPage } from './web-requests';
import { WorkflowEditor, WorkflowsPage } from './workflows';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: '220px 1fr',
    height: '100%',
    minHeight: 0,
    '@media (max-width: 720px)': { gridTemplateColumns: '1fr' },
  },
  nav: {
    padding: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  content: { overflowY: 'auto', minHeight: 0 },
  tabs: { alignItems: 'stretch' },
  tab: { justifyContent: 'flex-start' },
});

const pages = [
  ['licenses', 'Licenses'],
  ['units', 'Organization units'],
  ['users', 'Users'],
  ['services', 'Services'],
  ['domain-templates', 'Domain templates'],
  ['system-messages', 'System messages'],
  ['opening-hours', 'Opening hours'],
  ['workflows', 'Workflows'],
  ['web-requests', 'Web requests'],
] as const;

/** The admin pages (tenant admins only; the server refuses everyone else whatever this page shows). */
export function AdminPages({ route }: { route: string[] }) {
  const styles = useStyles();
  const [page = 'licenses', id, sub] = route;
  let content;
  if (page === 'users' && id && sub === 'interact') content = <InteractSettingsPage key={id} kind="user" id={id} />;
  else if (page === 'users') content = <UsersPage />;
  else if (page === 'services' && id && sub === 'interact')
    content = <InteractSettingsPage key={id} kind="service" id={id} />;
  else if (page === 'services' && id) content = <ServiceDetailPage key={id} id={id} />;
  else if (page === 'services') content = <ServicesPage />;
  else if (page === 'domain-templates') content = <DomainTemplatesPage />;
  else if (page === 'system-messages') content = <SystemMessagesPage />;
  else if (page === 'units') content = <UnitsPage />;
  else if (page === 'opening-hours') content = <CalendarsPage />;
  else if (page === 'workflows' && id) content = <WorkflowEditor key={id} id={id} />;
  else if (page === 'workflows') content = <WorkflowsPage />;
  else if (page === 'web-requests' && id) content = <WebRequestEditor key={id} id={id} />;
  else if (page === 'web-requests') content = <WebRequestsPage />;
  else content = <LicensesPage />;
  return (
    <div className={styles.layout}>
      <nav className={styles.nav} aria-label="Admin pages">
        <TabList
          vertical
          className={styles.tabs}
          selectedValue={page}
          onTabSelect={(_, d) => navigate('admin', String(d.value))}
        >
          {pages.map(([value, label]) => (
            <Tab key={value} value={value} className={styles.tab}>
              {label}
            </Tab>
          ))}
        </TabList>
      </nav>
      <div className={styles.content}>{content}</div>
    </div>
  );
}
