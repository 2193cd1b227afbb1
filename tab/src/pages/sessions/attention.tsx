import { Field, Switch } from '@fluentui/react-components';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { z } from 'zod/v4';
import type { Overview } from '../../../../bot/src/contracts';

// What asks for the agent's attention in My Sessions: sessions with messages they have not seen, offers
// waiting, and (when they turn it on) a sound and a desktop notification for each new one.

const SEEN_KEY = (userId: string) => `contact-center:seen:${userId}`;
const NOTIFY_KEY = 'contact-center:notifications';
/** Sessions whose last seen event is remembered; the oldest are forgotten first. */
const REMEMBERED_SESSIONS = 200;

/** Per chat: the last event number the agent has had on screen. Kept in localStorage, read with zod. */
const Seen = z.record(z.string(), z.number().int().min(0));
type Seen = z.infer<typeof Seen>;

const seenListeners = new Set<() => void>();
let seenCache: { userId: string; seen: Seen } | undefined;

function readSeen(userId: string): Seen {
  if (seenCache?.userId === userId) return seenCache.seen;
  let seen: Seen = {};
  try {
    const parsed = Seen.safeParse(JSON.parse(localStorage.getItem(SEEN_KEY(userId)) ?? '{}'));
    if (parsed.success) seen = parsed.data;
  } catch {
    // Storage unavailable or unreadable: every session starts unseen.
  }
  seenCache = { userId, seen };
  return seen;
}

/** The chat pane had event `seq` of a chat on screen: the session is read up to there. */
export function markSeen(userId: string, chatId: string, seq: number): void {
  const seen = readSeen(userId);
  if ((seen[chatId] ?? 0) >= seq) return;
  const { [chatId]: _previous, ...rest } = seen;
  const entries = Object.entries({ ...rest, [chatId]: seq });
  const next = Object.fromEntries(entries.slice(Math.max(0, entries.length - REMEMBERED_SESSIONS)));
  seenCache = { userId, seen: next };
  try {
    localStorage.setItem(SEEN_KEY(userId), JSON.stringify(next));
  } catch {
    // Not kept across reloads; this page still knows.
  }
  seenListeners.forEach((listener) => listener());
}

const subscribeSeen = (listener: () => void) => {
  seenListeners.add(listener);
  return () => void seenListeners.delete(listener);
};

function useSeen(userId: string): Seen {
  return useSyncExternalStore(subscribeSeen, () => readSeen(userId));
}

/** Whether the agent turned on sound and desktop notifications (off until they do). */
function useNotificationsOn(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => {
    try {
      return localStorage.getItem(NOTIFY_KEY) === 'on';
    } catch {
      return false;
    }
  });
  const change = (next: boolean) => {
    setOn(next);
    try {
      if (next) localStorage.setItem(NOTIFY_KEY, 'on');
      else localStorage.removeItem(NOTIFY_KEY);
    } catch {
      // Kept for this page only.
    }
  };
  return [on, change];
}

const notificationApi = (): typeof Notification | undefined =>
  typeof window !== 'undefined' && 'Notification' in window ? window.Notification : undefined;

let audio: AudioContext | undefined;

/** A short tone; the audio context is made on the agent's click that turns notifications on. */
function beep(): void {
  if (!audio) return;
  void audio.resume().catch(() => undefined);
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3);
  tone.connect(gain).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.3);
}

function prepareSound(): void {
  try {
    audio ??= new AudioContext();
  } catch {
    // No audio in this browser: desktop notifications only.
  }
}

function announce(title: string, body: string, tag: string): void {
  beep();
  const api = notificationApi();
  if (api?.permission !== 'granted') return;
  try {
    new api(title, { body, tag });
  } catch {
    // Some hosts only allow notifications from a service worker: the sound has to do.
  }
}

export type Attention = {
  /** Live sessions with events the agent has not had on screen (the open one never counts). */
  unread: ReadonlySet<string>;
  notifications: { on: boolean; set: (on: boolean) => void };
};

/**
 * Unread sessions and the count in the page title (unread sessions plus offers waiting), and, when the
 * agent turned them on, a sound and a desktop notification for each new offer and each new message in
 * a session they are not looking at.
 */
export function useAttention(overview: Overview | undefined, selectedChat: string | undefined, userId: string) {
  const seen = useSeen(userId);
  const [on, setOn] = useNotificationsOn();
  const unread = useMemo(
    () =>
      new Set(
        (overview?.active ?? [])
          .filter((s) => s.chatId !== selectedChat && s.lastSeq > (seen[s.chatId] ?? 0))
          .map((s) => s.chatId),
      ),
    [overview, selectedChat, seen],
  );

  // Turned on in an earlier visit: the sound needs a click on this page before it may play.
  useEffect(() => {
    if (!on) return;
    window.addEventListener('pointerdown', prepareSound, { once: true });
    return () => window.removeEventListener('pointerdown', prepareSound);
  }, [on]);

  const count = unread.size + (overview?.offers.length ?? 0);
  useEffect(() => {
    const base = 'Contact Center';
    document.title = count > 0 ? `(${count}) ${base}` : base;
    return () => {
      document.title = base;
    };
  }, [count]);

  /** What the last overview showed, to tell what is new; unset before the first one. */
  const previous = useRef<{ offers: Set<string>; seqs: Map<string, number> }>(undefined);
  useEffect(() => {
    if (!overview) return;
    const before = previous.current;
    previous.current = {
      offers: new Set(overview.offers.map((o) => o.taskId)),
      seqs: new Map(overview.active.map((s) => [s.chatId, s.lastSeq])),
    };
    if (!before || !on) return;
    for (const offer of overview.offers)
      if (!before.offers.has(offer.taskId))
        announce(`New chat from ${offer.customer.displayName}`, offer.target.name, `offer-${offer.taskId}`);
    for (const session of overview.active) {
      const was = before.seqs.get(session.chatId);
      if (was !== undefined && session.lastSeq > was && unread.has(session.chatId))
        announce(`New message from ${session.customer.displayName}`, session.target.name, `chat-${session.chatId}`);
    }
  }, [overview, on, unread]);

  return { unread, notifications: { on, set: setOn } } satisfies Attention;
}

/** The agent's switch for sound and desktop notifications; the browser is asked only when they turn it on. */
export function NotificationsToggle({ notifications }: { notifications: Attention['notifications'] }) {
  const api = notificationApi();
  const [permission, setPermission] = useState(api?.permission);
  const turn = (next: boolean) => {
    notifications.set(next);
    if (!next) return;
    prepareSound();
    if (api?.permission === 'default')
      void api.requestPermission().then(setPermission, () => setPermission(api.permission));
  };
  const hint = !notifications.on
    ? 'Off: nothing sounds or pops up.'
    : permission === 'denied' || !api
      ? 'A sound for new offers and messages. This browser does not show desktop notifications for this page.'
      : 'A sound and a desktop notification for new offers and messages, while this page is open.';
  return (
    <Field hint={hint}>
      <Switch label="Sound and desktop notifications" checked={notifications.on} onChange={(_, d) => turn(d.checked)} />
    </Field>
  );
}
