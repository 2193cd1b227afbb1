import type { ServiceMember } from '../../../bot/src/core/model';
import { ServiceMember as ServiceMemberSchema } from '../../../bot/src/core/model';
import {
  addFromRoster,
  detachFromRoster,
  followRoster,
  removeFromRoster,
  sameMembers,
  sourceOf,
  withSources,
} from '../../../bot/src/core/team-roster';

const team = (userId: string, active = true): ServiceMember => ({ userId, active, source: 'team' });
const manual = (userId: string, active = true): ServiceMember => ({ userId, active, source: 'manual' });
/** An entry stored before services could follow a team: no source. */
const legacy = (userId: string, active = true): ServiceMember => ({ userId, active });

describe('a service following its team’s roster', () => {
  it('links an empty service: the members are the roster, active, from the team, in roster order', () => {
    expect(followRoster([], ['ann', 'bob', 'ann'])).toEqual([team('ann'), team('bob')]);
  });

  it('keeps the admin’s members when a team is linked, and adds the roster after them', () => {
    expect(followRoster([manual('zoe'), legacy('yan')], ['ann'])).toEqual([manual('zoe'), legacy('yan'), team('ann')]);
  });

  it('leaves an existing entry as it is: its active flag and its source, also for someone in the team', () => {
    const members = [manual('ann', false), team('bob', false)];
    expect(followRoster(members, ['ann', 'bob'])).toEqual(members);
  });

  it('removes only those the roster brought when they are no longer in it', () => {
    const members = [team('ann'), manual('bob'), legacy('cid'), team('dan', false)];
    expect(followRoster(members, ['ann'])).toEqual([team('ann'), manual('bob'), legacy('cid')]);
  });

  it('adds people who join the team unless they are members already', () => {
    expect(addFromRoster([manual('ann', false)], ['ann', 'bob'])).toEqual([manual('ann', false), team('bob')]);
    expect(addFromRoster([], [])).toEqual([]);
  });

  it('removes people who leave the team when the roster brought them, never the admin’s', () => {
    const members = [team('ann'), manual('bob'), legacy('cid')];
    expect(removeFromRoster(members, ['ann', 'bob', 'cid', 'nobody'])).toEqual([manual('bob'), legacy('cid')]);
  });

  it('keeps every member when the team is unlinked, as manual members from then on', () => {
    const detached = detachFromRoster([team('ann', false), manual('bob'), legacy('cid')]);
    expect(detached).toEqual([manual('ann', false), manual('bob'), legacy('cid')]);
    expect(followRoster(detached, [])).toEqual(detached);
  });

  it('reads an entry without a source (stored before) as manual, and the stored schema accepts it', () => {
    expect(sourceOf(legacy('ann'))).toBe('manual');
    expect(ServiceMemberSchema.parse({ userId: 'ann', active: true })).toEqual(legacy('ann'));
  });
});

describe('an admin saving the members of a service', () => {
  it('carries each entry’s source over from the stored list; a new entry is manual', () => {
    const stored = [team('ann'), legacy('bob')];
    expect(
      withSources(
        [
          { userId: 'ann', active: false },
          { userId: 'bob', active: true },
          { userId: 'cid', active: true },
        ],
        stored,
      ),
    ).toEqual([team('ann', false), legacy('bob'), manual('cid')]);
  });

  it('tells an unchanged list from a changed one', () => {
    expect(sameMembers([team('ann')], [team('ann')])).toBe(true);
    expect(sameMembers([team('ann')], [manual('ann')])).toBe(false);
    expect(sameMembers([team('ann')], [team('ann', false)])).toBe(false);
    expect(sameMembers([team('ann')], [])).toBe(false);
  });
});
