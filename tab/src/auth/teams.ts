import { app, authentication } from '@microsoft/teams-js';

export type ThemeName = 'default' | 'dark' | 'contrast';

export type TeamsHost = {
  theme: ThemeName;
  onThemeChange(handler: (theme: ThemeName) => void): void;
  token(): Promise<string>;
};

const asTheme = (value: string | undefined): ThemeName =>
  value === 'dark' || value === 'contrast' ? value : 'default';

/**
 * Initialises the Teams SDK when the page runs inside Teams. Teams shows a tab in a frame, so a page
 * that is not framed is a browser (where the local dev sign-in applies); a framed page that does not
 * hear from a host in time is treated the same way.
 */
export async function connectToTeams(timeoutMs = 4000): Promise<TeamsHost | undefined> {
  if (window.parent === window) return undefined;
  const initialised = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
  ]);
  if (!initialised) return undefined;
  const context = await app.getContext();
  app.notifySuccess();
  return {
    theme: asTheme(context.app.theme),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme))),
    // Teams caches the SSO token and renews it when it expires; ask every time.
    token: () => authentication.getAuthToken(),
  };
}
