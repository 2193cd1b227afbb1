import {
  FluentProvider,
  Toast,
  ToastTitle,
  Toaster,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  useId,
  useToastController,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient, ApiError } from './api/client';
import { Me } from '../../bot/src/contracts';
import { clearDevSession, loadDevSession } from './auth/dev-session';
import { type TeamsHost, type ThemeName, connectToTeams } from './auth/teams';
import { DevSignIn } from './auth/dev-sign-in';
import { ErrorBar, Loading } from './components/status';
import { AppContext, type AppContextValue } from './context';
import { SetupPage } from './pages/setup/setup-page';
import { Shell } from './shell';

const themes = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;

type State =
  | { step: 'starting' }
  | { step: 'sign-in'; reason?: string }
  | { step: 'failed'; error: ApiError; retry: () => void }
  | { step: 'ready'; api: ApiClient; me: Me; host: TeamsHost | undefined }
  /** The signed-in person's organization is not set up yet: the setup page. */
  | { step: 'setup'; api: ApiClient; host: TeamsHost | undefined };

/**
 * Inside Teams: the Teams SDK, its theme and its sign-on token. In a browser (local mode only): the
 * dev sign-in, whose token this tab keeps until "Switch user".
 */
export function App() {
  const [theme, setTheme] = useState<ThemeName>(() =>
    window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'default',
  );
  const [state, setState] = useState<State>({ step: 'starting' });
  const [host, setHost] = useState<TeamsHost | null>();

  useEffect(() => {
    void connectToTeams().then((teams) => {
      setHost(teams ?? null);
      if (teams) {
        setTheme(teams.theme);
        teams.onThemeChange(setTheme);
      }
    });
  }, []);

  const start = useCallback(async (teams: TeamsHost | undefined) => {
    setState({ step: 'starting' });
    const dev = teams ? undefined : loadDevSession();
    if (!teams && !dev) {
      setState({ step: 'sign-in' });
      return;
    }
    const api = new ApiClient(teams ? teams.token : async () => dev!.token, () => {
      if (!teams) {
        clearDevSession();
        setState({ step: 'sign-in', reason: 'Your sign-in has expired. Sign in again.' });
      }
    });
    try {
      const me = await api.get(Me, '/me');
      setState({ step: 'ready', api, me, host: teams });
    } catch (err) {
      const error =
        err instanceof ApiError ? err : new ApiError(0, 'unexpected', 'The app could not start. Reload the page.');
      if (!teams && error.status === 401) return;
      if (error.code === 'tenant-not-set-up') {
        setState({ step: 'setup', api, host: teams });
        return;
      }
      if (!teams && error.status === 403) {
        clearDevSession();
        setState({ step: 'sign-in', reason: error.message });
        return;
      }
      setState({ step: 'failed', error, retry: () => void start(teams) });
    }
  }, []);

  useEffect(() => {
    if (host !== undefined) void start(host ?? undefined);
  }, [host, start]);

  return (
    <FluentProvider theme={themes[theme]} style={{ height: '100%' }}>
      {state.step === 'starting' && <Loading label="Starting…" />}
      {state.step === 'failed' && (
        <div style={{ padding: 24 }}>
          <ErrorBar title="The app could not start" error={state.error} onRetry={state.retry} />
        </div>
      )}
      {state.step === 'sign-in' && <DevSignIn reason={state.reason} onSignedIn={() => void start(undefined)} />}
      {state.step === 'setup' && <SetupPage api={state.api} onDone={() => void start(state.host)} />}
      {state.step === 'ready' && (
        <SignedIn
          api={state.api}
          me={state.me}
          inTeams={state.host !== undefined}
          onSwitchUser={() => {
            clearDevSession();
            setState({ step: 'sign-in' });
          }}
        />
      )}
    </FluentProvider>
  );
}

function SignedIn({
  api,
  me,
  inTeams,
  onSwitchUser,
}: {
  api: ApiClient;
  me: Me;
  inTeams: boolean;
  onSwitchUser: () => void;
}) {
  const toasterId = useId('toaster');
  const { dispatchToast } = useToastController(toasterId);
  const notify = useCallback<AppContextValue['notify']>(
    (text, intent = 'success') =>
      dispatchToast(
        <Toast>
          <ToastTitle>{text}</ToastTitle>
        </Toast>,
        { intent, timeout: 3000, politeness: intent === 'error' ? 'assertive' : 'polite' },
      ),
    [dispatchToast],
  );
  const value = useMemo(() => ({ api, me, inTeams, notify }), [api, me, inTeams, notify]);
  return (
    <AppContext.Provider value={value}>
      <Toaster toasterId={toasterId} position="bottom-end" />
      <Shell onSwitchUser={inTeams ? undefined : onSwitchUser} />
    </AppContext.Provider>
  );
}
