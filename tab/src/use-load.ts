import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod/v4';
import { ApiError } from './api/client';
import { useApp } from './context';

export type Loaded<T> = {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (value: T) => void;
};

const asApiError = (err: unknown): ApiError =>
  err instanceof ApiError ? err : new ApiError(0, 'unexpected', 'Something went wrong in this page. Reload it.');

/** Loads data for a page; a reload keeps showing the previous data until the new one arrives. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  // The caller names what the load depends on, as with useEffect.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps are the dependency list
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await run();
      if (mine === generation.current) {
        setData(value);
        setError(undefined);
      }
    } catch (err) {
      if (mine === generation.current) setError(asApiError(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

/** Loads what the server answers at `path`, read with `schema` (a module constant: it is a dependency). */
export function useGet<T>(schema: z.ZodType<T>, path: string): Loaded<T> {
  const { api } = useApp();
  return useLoad(() => api.get(schema, path), [api, schema, path]);
}

/** Runs an action, keeping its error for the page to show next to the control that caused it. */
export function useAction(): {
  busy: boolean;
  error: ApiError | undefined;
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (err) {
      setError(asApiError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(undefined) };
}
