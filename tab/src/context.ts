import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';
import type { Me } from '../../bot/src/contracts';

export type AppContextValue = {
  api: ApiClient;
  me: Me;
  inTeams: boolean;
  /** A short confirmation ("Saved", "Copied") announced to screen readers too. */
  notify: (text: string, intent?: 'success' | 'error' | 'info') => void;
};

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the signed-in app');
  return value;
}
