import { cardStatus } from '../../../bot/src/core/relay';

const task = (
  state: 'queued' | 'connected' | 'ended',
  assignedUserId: string | null,
  outcome: Parameters<typeof cardStatus>[0]['outcome'] = null,
) => ({ state, assignedUserId, outcome });

describe('what an agent’s card shows', () => {
  it('rings while the offer is pending', () => {
    expect(cardStatus(task('queued', null), { state: 'pending' }, 'me')).toEqual({
      state: 'offered',
      withdrawnReason: null,
    });
  });
  it('becomes the session card once accepted, and shows the end afterwards', () => {
    expect(cardStatus(task('connected', 'me'), { state: 'accepted' }, 'me').state).toBe('accepted');
    expect(cardStatus(task('ended', 'me', 'accepted'), { state: 'accepted' }, 'me').state).toBe('ended');
    expect(cardStatus(task('connected', 'me'), null, 'me').state).toBe('accepted');
  });
  it('says declined or not answered for the agent’s own answers', () => {
    expect(cardStatus(task('queued', null), { state: 'declined' }, 'me').state).toBe('declined');
    expect(cardStatus(task('queued', null), { state: 'no-answer' }, 'me').state).toBe('missed');
  });
  it('says why a withdrawn offer is gone', () => {
    expect(cardStatus(task('connected', 'other'), { state: 'withdrawn' }, 'me')).toEqual({
      state: 'withdrawn',
      withdrawnReason: 'taken-by-another-agent',
    });
    expect(cardStatus(task('ended', null, 'customer-left-in-queue'), { state: 'withdrawn' }, 'me')).toEqual({
      state: 'withdrawn',
      withdrawnReason: 'customer-left',
    });
    expect(cardStatus(task('ended', null, 'max-queue-time'), { state: 'withdrawn' }, 'me')).toEqual({
      state: 'withdrawn',
      withdrawnReason: 'no-longer-waiting',
    });
  });
});
