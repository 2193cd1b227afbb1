import { useEffect, useState } from 'react';

/** The route lives after the "#" (the manifest's tabs point at /tab/#/sessions, /tab/#/interact, /tab/#/admin). */
const current = (): string[] =>
  window.location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);

export function useRoute(): string[] {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const href = (...segments: string[]): string => `#/${segments.map(encodeURIComponent).join('/')}`;

export function navigate(...segments: string[]): void {
  window.location.hash = href(...segments);
}
