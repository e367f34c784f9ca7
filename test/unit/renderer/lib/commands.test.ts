import { describe, expect, it } from 'vitest';
import { execCommandFor, matchCommands, type Command } from '../../../../renderer/lib/commands';

const command = (label: string, hint?: string): Command => ({
  id: label,
  group: 'Actions',
  label,
  ...(hint ? { hint } : {}),
  icon: 'dot',
  run: () => undefined,
});

describe('command palette matching', () => {
  const commands = [
    command('Open folder…'),
    command('Sync dev'),
    command('Theme: dark'),
    command('acme-api › dev', '.env'),
    command('Go to Settings', 'Connect server, token, test connection'),
  ];

  it('keeps everything for an empty query, in order', () => {
    expect(matchCommands(commands, '  ')).toBe(commands);
  });

  it('needs every word somewhere in the label, group or hint, and ranks labels that start with the query first', () => {
    expect(matchCommands(commands, 'dev').map((c) => c.label)).toEqual(['Sync dev', 'acme-api › dev']);
    expect(matchCommands(commands, 'DEV sync').map((c) => c.label)).toEqual(['Sync dev']);
    expect(matchCommands(commands, 'token').map((c) => c.label)).toEqual(['Go to Settings']);
    expect(matchCommands(commands, 'actions theme').map((c) => c.label)).toEqual(['Theme: dark']);
    expect(matchCommands(commands, 'th').map((c) => c.label)[0]).toBe('Theme: dark');
    expect(matchCommands(commands, 'nothing like it')).toEqual([]);
  });

  it('spells the exec command for a profile', () => {
    expect(execCommandFor('dev')).toBe('latchkey exec dev -- ');
  });
});
