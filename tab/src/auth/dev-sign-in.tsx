import {
  Button,
  Caption1,
  Card,
  CardHeader,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { DevToken, DevUsers, ErrorResponse } from '../../../bot/src/contracts';
import { plainList } from '../styles';
import { saveDevSession } from './dev-session';

const useStyles = makeStyles({
  page: {
    maxWidth: '560px',
    margin: '0 auto',
    padding: tokens.spacingHorizontalXXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  tenant: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end' },
  list: plainList(tokens.spacingVerticalS),
});

type Load =
  { state: 'loading' } | { state: 'ready'; data: DevUsers } | { state: 'error'; message: string; notLocal: boolean };

const DEFAULT_TENANT = 'contoso-demo';

/**
 * Local mode only: choose a person of the demo organization to act as, so the whole product can be tried
 * from a browser. In production the server has no dev sign-in and this page says to open Teams.
 */
export function DevSignIn({ reason, onSignedIn }: { reason?: string; onSignedIn: () => void }) {
  const styles = useStyles();
  const [tenantId, setTenantId] = useState(
    () => new URLSearchParams(window.location.search).get('tenant') ?? DEFAULT_TENANT,
  );
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [signingIn, setSigningIn] = useState<string>();
  const [error, setError] = useState<string>();

  const fetchUsers = useCallback(async (tenant: string) => {
    setLoad({ state: 'loading' });
    try {
      const res = await fetch(`/api/v1/dev/users?tenantId=${encodeURIComponent(tenant)}`);
      const body: unknown = await res.json().catch(() => undefined);
      if (res.ok) {
        const parsed = DevUsers.safeParse(body);
        setLoad(
          parsed.success
            ? { state: 'ready', data: parsed.data }
            : { state: 'error', message: 'The server sent an unexpected answer.', notLocal: false },
        );
        return;
      }
      const err = ErrorResponse.safeParse(body);
      const notLocal = res.status === 404 && (!err.success || err.data.error.code === 'not-found');
      setLoad({
        state: 'error',
        message: err.success ? err.data.error.message : `The server answered ${res.status}.`,
        notLocal,
      });
    } catch {
      setLoad({ state: 'error', message: 'The server cannot be reached.', notLocal: false });
    }
  }, []);

  useEffect(() => {
    void fetchUsers(tenantId);
    // Only on first show; later loads come from the "Show people" button.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- deliberately once, not on every edit of the tenant field
  }, []);

  const signIn = async (
    userId: string,
    as: { tenantId: string; displayName?: string; globalAdmin?: boolean } | undefined = load.state === 'ready'
      ? { tenantId: load.data.tenantId }
      : undefined,
  ) => {
    if (!as) return;
    setSigningIn(userId);
    setError(undefined);
    try {
      const res = await fetch('/api/v1/dev/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...as, userId }),
      });
      const body: unknown = await res.json();
      const token = DevToken.safeParse(body);
      if (!res.ok || !token.success) {
        const err = ErrorResponse.safeParse(body);
        setError(err.success ? err.data.error.message : 'Sign-in failed.');
        return;
      }
      saveDevSession({ token: token.data.token, tenantId: as.tenantId, userId });
      onSignedIn();
    } catch {
      setError('The server cannot be reached.');
    } finally {
      setSigningIn(undefined);
    }
  };

  if (load.state === 'error' && load.notLocal) {
    return (
      <main className={styles.page}>
        <Title2 as="h1">Contact Center</Title2>
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>Open this app in Microsoft Teams</MessageBarTitle>
            It signs you in with your Teams account. The browser sign-in exists only on a local development server.
          </MessageBarBody>
        </MessageBar>
      </main>
    );
  }

  return (
    <main className={styles.page}>
      <Title2 as="h1">Sign in (local development)</Title2>
      <Text>
        This server runs in local mode: choose who you want to be. Open a second browser tab to be someone else at the
        same time.
      </Text>
      {reason && (
        <MessageBar intent="warning">
          <MessageBarBody>{reason}</MessageBarBody>
        </MessageBar>
      )}
      <form
        className={styles.tenant}
        onSubmit={(e) => {
          e.preventDefault();
          void fetchUsers(tenantId.trim());
        }}
      >
        <Field label="Organization (tenant id)" style={{ flexGrow: 1 }}>
          <Input value={tenantId} onChange={(_, d) => setTenantId(d.value)} />
        </Field>
        <Button type="submit">Show people</Button>
      </form>
      {load.state === 'loading' && <Spinner label="Loading people…" />}
      {load.state === 'error' && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{load.message}</MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <NewOrganization
        busy={signingIn !== undefined}
        onSignIn={(o) => void signIn(o.userId, { tenantId: o.tenantId, displayName: o.name, globalAdmin: true })}
      />
      {load.state === 'ready' && (
        <section aria-label={`People of ${load.data.tenantName}`}>
          <ul className={styles.list}>
            {load.data.users.map((u) => {
              const role = [u.isAdmin && 'tenant admin', u.isAgent && 'agent'].filter(Boolean).join(', ') || 'user';
              return (
                <li key={u.id}>
                  <Card orientation="horizontal">
                    <CardHeader
                      header={<Text weight="semibold">{u.displayName}</Text>}
                      description={<Caption1>{role}</Caption1>}
                      action={
                        <Button
                          appearance="primary"
                          disabled={signingIn !== undefined}
                          onClick={() => void signIn(u.id)}
                          aria-label={`Sign in as ${u.displayName}`}
                        >
                          {signingIn === u.id ? 'Signing in…' : 'Sign in'}
                        </Button>
                      }
                    />
                  </Card>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </main>
  );
}

/**
 * A new organization, as its Global Administrator: what a real tenant's first admin is in Teams. The
 * tab then shows the setup page; everyone who signs in to it afterwards becomes one of its users.
 */
function NewOrganization({
  busy,
  onSignIn,
}: {
  busy: boolean;
  onSignIn: (o: { tenantId: string; userId: string; name: string }) => void;
}) {
  const [tenantId, setTenantId] = useState<string>(() => crypto.randomUUID());
  const [userId] = useState(() => crypto.randomUUID());
  const [name, setName] = useState('');
  return (
    <Card>
      <CardHeader
        header={<Text weight="semibold">Set up a new organization</Text>}
        description={
          <Caption1>Sign in as the Global Administrator of an organization that is not set up yet.</Caption1>
        }
      />
      <form
        aria-label="New organization"
        style={{ display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS }}
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onSignIn({ tenantId: tenantId.trim(), userId, name: name.trim() });
        }}
      >
        <Field label="New organization's tenant id">
          <Input value={tenantId} onChange={(_, d) => setTenantId(d.value)} />
        </Field>
        <Field label="Your name" required>
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
        <div>
          <Button type="submit" disabled={busy || !name.trim() || !tenantId.trim()}>
            Sign in as its admin
          </Button>
        </div>
      </form>
    </Card>
  );
}
