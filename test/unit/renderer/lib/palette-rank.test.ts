import { describe, expect, it } from 'vitest';
import {
  MAX_RESULTS,
  RECENT_HEADING,
  matchScore,
  rankCommands,
  type Rankable,
} from '../../../../renderer/lib/palette-rank';

const command = (label: string, extra: Partial<Rankable> = {}): Rankable => ({
  id: label,
  group: 'Actions',
  label,
  ...extra,
});

const labels = (groups: { commands: Rankable[] }[]) => groups.flatMap((g) => g.commands.map((c) => c.label));
const ORDER = ['Actions', 'Profiles', 'Go to'];

describe('palette ranking', () => {
  const commands = [
    command('Open folder…'),
    command('Sync dev'),
    command('Theme: dark'),
    command('acme-api › dev', { group: 'Profiles', hint: '.env' }),
    command('Go to Settings', { group: 'Go to', hint: 'Connect server, token, test connection' }),
    command('Sync acme-api ▸ dev', { group: 'Profiles', searchOnly: true }),
  ];

  it('lists the resting commands in group order with no query, leaving search-only ones out', () => {
    const groups = rankCommands(commands, '  ', [], ORDER);
    expect(groups.map((g) => g.heading)).toEqual(['Actions', 'Profiles', 'Go to']);
    expect(labels(groups)).toEqual(['Open folder…', 'Sync dev', 'Theme: dark', 'acme-api › dev', 'Go to Settings']);
  });

  it('puts recent commands first with no query, under their own heading, even search-only ones', () => {
    const groups = rankCommands(commands, '', ['Sync acme-api ▸ dev', 'Theme: dark', 'gone'], ORDER);
    expect(groups[0]).toEqual({ heading: RECENT_HEADING, commands: [commands[5], commands[2]] });
    expect(labels(groups).filter((l) => l === 'Theme: dark')).toHaveLength(1);
  });

  it('needs every word somewhere in the label, group or hint, and ranks labels that start with the query first', () => {
    expect(labels(rankCommands(commands, 'DEV sync', [], ORDER))).toEqual(['Sync dev', 'Sync acme-api ▸ dev']);
    expect(labels(rankCommands(commands, 'token', [], ORDER))).toEqual(['Go to Settings']);
    expect(labels(rankCommands(commands, 'actions theme', [], ORDER))).toEqual(['Theme: dark']);
    expect(labels(rankCommands(commands, 'th', [], ORDER))[0]).toBe('Theme: dark');
    expect(rankCommands(commands, 'nothing like it', [], ORDER)).toEqual([]);
  });

  it('prefers the whole label, then its start, then a word start, then inside a word, then the hint, then fuzzy', () => {
    const ladder = [
      command('sy nc', { hint: 'sync' }), // only the hint: tier 5
      command('Resync all'), // inside a word: 4
      command('Sync'), // the label itself: 0
      command('Stop your nice cat'), // fuzzy s-y-n-c: 6
      command('Start sync'), // a word start: 2
      command('Synchronise'), // the label's start: 1
    ];
    expect(ladder.map((c) => matchScore(c, 'sync'))).toEqual([5, 4, 0, expect.closeTo(6.03, 5), 2, 1]);
    expect(labels(rankCommands(ladder, 'sync', [], ['Actions']))).toEqual([
      'Sync',
      'Synchronise',
      'Start sync',
      'Resync all',
      'sy nc',
      'Stop your nice cat',
    ]);
  });

  it('matches each query word at a word start, in any order', () => {
    expect(matchScore(command('Sync acme-api ▸ dev'), 'dev acme')).toBe(3);
    expect(matchScore(command('Sync acme-api ▸ dev'), 'acme-api')).toBe(2);
  });

  it('ranks recent commands first within the same tier, never above a better match', () => {
    const list = [command('Sync web ▸ dev'), command('Sync api ▸ dev'), command('Sync')];
    expect(labels(rankCommands(list, 'sync', ['Sync api ▸ dev'], ['Actions']))).toEqual([
      'Sync',
      'Sync api ▸ dev',
      'Sync web ▸ dev',
    ]);
  });

  it('groups matches with headings, the group of the best match first', () => {
    const list = [
      command('Copy password: Sync server', { group: 'Logins' }),
      command('Sync api ▸ dev', { group: 'Profiles' }),
      command('Sync web ▸ dev', { group: 'Profiles' }),
    ];
    const groups = rankCommands(list, 'sync', [], ['Profiles', 'Logins']);
    expect(groups.map((g) => [g.heading, g.commands.length])).toEqual([
      ['Profiles', 2],
      ['Logins', 1],
    ]);
  });

  it('stops at MAX_RESULTS matches', () => {
    const many = Array.from({ length: MAX_RESULTS + 20 }, (_, i) => command(`Sync p${i}`));
    expect(labels(rankCommands(many, 'sync', [], ['Actions']))).toHaveLength(MAX_RESULTS);
  });
});
