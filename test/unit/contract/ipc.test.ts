import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_METHODS } from '../../../contract/ipc/audit';
import { AWS_EVENTS, AWS_METHODS } from '../../../contract/ipc/aws';
import { CHAMBER_METHODS } from '../../../contract/ipc/chamber';
import { MANIFEST_METHODS } from '../../../contract/ipc/manifest';
import { connectHostProblem, ConnectHostSchema, OP_METHODS } from '../../../contract/ipc/op';
import { PROJECT_METHODS } from '../../../contract/ipc/projects';
import { ROTATION_EVENTS, ROTATION_METHODS } from '../../../contract/ipc/rotation';
import { SECRET_METHODS } from '../../../contract/ipc/secrets';
import { SETTINGS_METHODS } from '../../../contract/ipc/settings';
import { SHARED_SECRET_EVENTS, SHARED_SECRET_METHODS } from '../../../contract/ipc/shared-secrets';
import { SHELL_EVENTS, SHELL_METHODS } from '../../../contract/ipc/shell';
import { STATE_EVENTS } from '../../../contract/ipc/state';
import { SYNC_EVENTS, SYNC_METHODS } from '../../../contract/ipc/sync';
import { EVENT_NAMES, METHOD_NAMES, METHODS } from '../../../contract/ipc';
import { LatchkeyError } from '../../../main/core/errors';
import { normaliseConnectHost } from '../../../main/core/op-settings';

const METHOD_AREAS = [
  PROJECT_METHODS,
  MANIFEST_METHODS,
  SYNC_METHODS,
  SECRET_METHODS,
  SHARED_SECRET_METHODS,
  SETTINGS_METHODS,
  AUDIT_METHODS,
  SHELL_METHODS,
  OP_METHODS,
  AWS_METHODS,
  CHAMBER_METHODS,
  ROTATION_METHODS,
];
const EVENT_AREAS = [SYNC_EVENTS, AWS_EVENTS, SHELL_EVENTS, SHARED_SECRET_EVENTS, STATE_EVENTS, ROTATION_EVENTS];

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

describe('the Connect host rule, one for the settings form and for main', () => {
  it('accepts http(s) URLs without credentials, query or fragment', () => {
    for (const ok of ['http://localhost:8080', 'https://op.example.com/connect/', ' https://op.example.com '])
      expect(connectHostProblem(ok)).toBeUndefined();
    expect(connectHostProblem('ftp://x')).toBe('the Connect server URL must start with http:// or https://');
    expect(connectHostProblem('localhost:8080')).toBe('the Connect server URL must start with http:// or https://');
    expect(connectHostProblem('http://u:p@x')).toMatch(/may not carry credentials/);
    expect(connectHostProblem('http://x/?a=1')).toMatch(/a query/);
    expect(connectHostProblem('https://x/#f')).toMatch(/a fragment/);
  });

  it('never repeats what it was given, which may be a token pasted in the wrong field', () => {
    const canary = 'ops_canaryTOKEN1234567890';
    for (const input of [canary, `${canary}://x`, `http://${canary}:pw@x`, `http://x/?t=${canary}`])
      expect(connectHostProblem(input) ?? '').not.toContain(canary);
  });

  it('is the rule the IPC schema and main apply: they agree on every input', () => {
    const candidate = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('http://', 'https://x', 'file:///etc', 'javascript:alert(1)', 'http://[::1]:8080'),
    );
    fc.assert(
      fc.property(candidate, (input) => {
        const ok = connectHostProblem(input) === undefined;
        expect(ConnectHostSchema.safeParse(input).success).toBe(ok);
        if (ok) expect(normaliseConnectHost(input)).not.toMatch(/\/$/);
        else expect(() => normaliseConnectHost(input)).toThrow(LatchkeyError);
      }),
    );
  });
});
