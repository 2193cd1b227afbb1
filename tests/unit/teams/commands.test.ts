import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommand } from '../../../bot/src/channels/teams/commands';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../manifest/manifest.json'), 'utf8')) as {
  bots: { commandLists: { commands: { title: string }[] }[] }[];
};

describe('agent commands', () => {
  it('understands every command the manifest lists', () => {
    const titles = manifest.bots.flatMap((b) => b.commandLists.flatMap((l) => l.commands.map((c) => c.title)));
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(parseCommand(title)).toBeDefined();
  });

  it.each([
    ['status available', { kind: 'status', presence: 'available' }],
    ['  Status   AWAY ', { kind: 'status', presence: 'away' }],
    ['status offline.', { kind: 'status', presence: 'offline' }],
    ['my sessions', { kind: 'sessions' }],
    ['Pickup', { kind: 'pickup' }],
    ['Reset RONA', { kind: 'reset-rona' }],
    ['/help', { kind: 'help' }],
    ['end chat', { kind: 'end' }],
  ])('reads %j', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it('treats a sentence that merely starts with a command word as a message', () => {
    for (const text of ['help me with my order', 'the end of the month', 'status of my parcel?', 'sessions are great'])
      expect(parseCommand(text)).toBeUndefined();
  });
});
