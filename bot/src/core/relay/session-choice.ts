/**
 * Which customer session an agent's message in Teams belongs to. The agent may have several chats open
 * in one conversation with the bot, so the rule is explicit: a quoted customer message decides; with
 * one session there is nothing to decide; otherwise the session the agent put in focus; otherwise we ask.
 * Never a guess: a message that could go to two customers goes to neither.
 */
export type QuotedTarget =
  /** The message quotes nothing. */
  | { kind: 'none' }
  /** It quotes a message we relayed (or a session card) of this chat. */
  | { kind: 'session'; chatId: string }
  /** It quotes something that belongs to no session (a bot notice, an old help text). */
  | { kind: 'unknown' };

export type SessionChoiceInput = {
  /** The agent's connected sessions, oldest first. */
  active: readonly { chatId: string }[];
  quoted: QuotedTarget;
  /** The session the agent chose with the focus action; may have ended since. */
  focusChatId: string | null;
};

export type SessionChoice =
  | { kind: 'session'; chatId: string; by: 'quote' | 'only-session' | 'focus' }
  /** The quoted message belongs to a chat that is no longer connected to this agent. */
  | { kind: 'quoted-session-ended'; chatId: string }
  | { kind: 'no-session' }
  /** Several sessions and nothing tells them apart: ask the agent. */
  | { kind: 'ambiguous'; chatIds: string[] };

export function chooseSession({ active, quoted, focusChatId }: SessionChoiceInput): SessionChoice {
  const isActive = (chatId: string) => active.some((s) => s.chatId === chatId);
  if (quoted.kind === 'session') {
    return isActive(quoted.chatId)
      ? { kind: 'session', chatId: quoted.chatId, by: 'quote' }
      : { kind: 'quoted-session-ended', chatId: quoted.chatId };
  }
  const [only, ...others] = active;
  if (!only) return { kind: 'no-session' };
  if (others.length === 0) return { kind: 'session', chatId: only.chatId, by: 'only-session' };
  if (focusChatId !== null && isActive(focusChatId)) return { kind: 'session', chatId: focusChatId, by: 'focus' };
  return { kind: 'ambiguous', chatIds: active.map((s) => s.chatId) };
}
