import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject, loadProjectProfile, projectFolder } from '../../../main/app/project-lookup';
import { createAppSandbox, type AppSandbox } from '../../support/app-sandbox';
import { OFFLINE_MANIFEST } from '../../support/ipc-sandbox';

let sb: AppSandbox;
beforeEach(() => {
  sb = createAppSandbox();
});
afterEach(() => sb.cleanup());

describe('the project lookup', () => {
  it('takes an app folder only as an absolute, plain path', () => {
    expect(projectFolder({ dir: '/tmp/x/../y' })).toBe(path.resolve('/tmp/y'));
    expect(() => projectFolder({ dir: 'relative/path' })).toThrow(/absolute folder path/);
    expect(() => projectFolder({ dir: '/tmp/\0x' })).toThrow(/NUL/);
  });

  it('loads an app project from its folder, and a CLI project by searching upward or from --dir', async () => {
    const dir = sb.project('full', OFFLINE_MANIFEST);
    const nested = path.join(dir, 'src', 'deep');
    mkdirSync(nested, { recursive: true });
    const manifestPath = path.join(dir, 'latchkey.yml');
    expect((await loadProject({ dir })).path).toBe(manifestPath);
    expect((await loadProject({ cwd: nested })).path).toBe(manifestPath);
    expect((await loadProject({ dir: '../..', cwd: nested })).path).toBe(manifestPath);
    // An app folder is that folder only: no search upward from it.
    await expect(loadProject({ dir: nested })).rejects.toMatchObject({ code: 'MANIFEST_NOT_FOUND' });
  });

  it('names the profile, or the only one; an unknown profile is PROFILE_NOT_FOUND', async () => {
    const dir = sb.project('full', OFFLINE_MANIFEST);
    expect((await loadProjectProfile({ dir }, 'other')).profile.name).toBe('other');
    await expect(loadProjectProfile({ dir }, undefined)).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    await expect(loadProjectProfile({ dir }, 'nope')).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });
});
