import { chooseSession } from '../../../bot/src/core/relay';

const active = (...chatIds: string[]) => chatIds.map((chatId) => ({ chatId }));

describe('which session an agent’s message goes to', () => {
  it('goes to the only session when there is one', () => {
    expect(chooseSession({ active: active('a'), quoted: { kind: 'none' }, focusChatId: null })).toEqual({
      kind: 'session',
      chatId: 'a',
      by: 'only-session',
    });
  });

  it('goes to the quoted customer’s session, whatever the focus', () => {
    expect(
      chooseSession({ active: active('a', 'b'), quoted: { kind: 'session', chatId: 'b' }, focusChatId: 'a' }),
    ).toEqual({ kind: 'session', chatId: 'b', by: 'quote' });
  });

  it('never sends a quoted reply to another session when the quoted chat is over', () => {
    expect(
      chooseSession({ active: active('a'), quoted: { kind: 'session', chatId: 'gone' }, focusChatId: null }),
    ).toEqual({ kind: 'quoted-session-ended', chatId: 'gone' });
  });

  it('uses the focus the agent chose when there are several sessions', () => {
    expect(chooseSession({ active: active('a', 'b'), quoted: { kind: 'none' }, focusChatId: 'b' })).toEqual({
      kind: 'session',
      chatId: 'b',
      by: 'focus',
    });
  });

  it('asks when several sessions are open and nothing tells them apart', () => {
    expect(chooseSession({ active: active('a', 'b'), quoted: { kind: 'none' }, focusChatId: null })).toEqual({
      kind: 'ambiguous',
      chatIds: ['a', 'b'],
    });
    expect(chooseSession({ active: active('a', 'b'), quoted: { kind: 'unknown' }, focusChatId: null })).toEqual({
      kind: 'ambiguous',
      chatIds: ['a', 'b'],
    });
    // A focus on a session that has ended decides nothing.
    expect(chooseSession({ active: active('a', 'b'), quoted: { kind: 'none' }, focusChatId: 'gone' })).toEqual({
      kind: 'ambiguous',
      chatIds: ['a', 'b'],
    });
  });

  it('has nowhere to send when no session is open', () => {
    expect(chooseSession({ active: [], quoted: { kind: 'none' }, focusChatId: 'a' })).toEqual({ kind: 'no-session' });
  });
});
