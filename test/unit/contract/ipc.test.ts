import { describe, expect, it } from 'vitest';
import { AUDIT_METHODS } from '../../../contract/ipc/audit';
import { AWS_EVENTS, AWS_METHODS } from '../../../contract/ipc/aws';
import { MANIFEST_METHODS } from '../../../contract/ipc/manifest';
import { OP_METHODS } from '../../../contract/ipc/op';
import { PROJECT_METHODS } from '../../../contract/ipc/projects';
import { SECRET_METHODS } from '../../../contract/ipc/secrets';
import { SETTINGS_METHODS } from '../../../contract/ipc/settings';
import { SHELL_EVENTS, SHELL_METHODS } from '../../../contract/ipc/shell';
import { SYNC_EVENTS, SYNC_METHODS } from '../../../contract/ipc/sync';
import { EVENT_NAMES, METHOD_NAMES, METHODS } from '../../../contract/ipc';

const METHOD_AREAS = [
  PROJECT_METHODS,
  MANIFEST_METHODS,
  SYNC_METHODS,
  SECRET_METHODS,
  SETTINGS_METHODS,
  AUDIT_METHODS,
  SHELL_METHODS,
  OP_METHODS,
  AWS_METHODS,
];
const EVENT_AREAS = [SYNC_EVENTS, AWS_EVENTS, SHELL_EVENTS];

describe('the IPC contract, composed from its areas', () => {
  it('defines each method in exactly one area, and the index holds them all', () => {
    const names = METHOD_AREAS.flatMap((area) => Object.keys(area));
    expect(new Set(names).size).toBe(names.length);
    expect([...METHOD_NAMES].sort()).toEqual([...names].sort());
    for (const area of METHOD_AREAS)
      for (const [name, schemas] of Object.entries(area)) expect(METHODS[name as keyof typeof METHODS]).toBe(schemas);
  });

  it('defines each event in exactly one area', () => {
    const names = EVENT_AREAS.flatMap((area) => Object.keys(area));
    expect(new Set(names).size).toBe(names.length);
    expect([...EVENT_NAMES].sort()).toEqual([...names].sort());
  });
});
