import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../main/app';
import { cachedPlan, planProfile } from '../../../main/app/sync';
import { TEMP_FOLDER } from '../../../main/core/atomic-write';
import { personalSecretAccount } from '../../../main/core/keychain';
import { loadPlanCache, planCachePath, savePlanCache } from '../../../main/core/plan-cache';
import { unpackPlan } from '../../../contract/plan-packing';
import { createAppSandbox, type AppSandbox } from '../../support/app-sandbox';

// Issue 14, items 1 and 5: the app's last plan of a profile, kept main-side for the table's first paint. Names,
// sources, versions and statuses; never a value; 0600; and a bad file is no picture, never an error.

const TOKEN = 'ghp_canaryPlanCache_7Qe2';
const SET_VALUE = 'canary-set-value-Zk41';
const MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources:
      - set: { LOG_LEVEL: "${SET_VALUE}" }
      - keychain: PERSONAL_TOKEN
  other:
    target: .env.other
    sources:
      - set: { OTHER: "1" }
`;

let sb: AppSandbox;
let dir: string;
let manifestPath: string;
beforeEach(async () => {
  sb = createAppSandbox();
  dir = sb.project('cached', MANIFEST);
  manifestPath = path.join(dir, 'latchkey.yml');
  await sb.keychain.set(personalSecretAccount(manifestPath, 'PERSONAL_TOKEN'), TOKEN);
});
afterEach(() => sb.cleanup());

const at = new Date('2026-12-01T10:00:00.000Z');

describe('the cached plan', () => {
  it('is the app’s last plan of the profile, without a value, in a 0600 file', async () => {
    expect(await cachedPlan(sb.deps, { dir }, 'dev')).toBeUndefined();
    const deps = { ...sb.deps, now: () => at };
    const { prepared } = await planProfile(deps, { project: { dir }, profile: 'dev', rememberPlan: true });

    const cached = await cachedPlan(sb.deps, { dir }, 'dev');
    expect(cached?.savedAt).toBe(at.toISOString());
    const plan = await unpackPlan(cached!.plan);
    expect(plan.entries.map((e) => [e.name, e.status, e.origin?.kind])).toEqual(
      prepared.plan.entries.map((e) => [e.name, e.status, e.origin?.kind]),
    );
    expect(plan.entries.map((e) => e.name).sort()).toEqual(['LOG_LEVEL', 'PERSONAL_TOKEN']);
    // Another profile of the same manifest has its own picture (none yet).
    expect(await cachedPlan(sb.deps, { dir }, 'other')).toBeUndefined();

    const file = planCachePath(sb.appDir, manifestPath, 'dev');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SET_VALUE);
    expect(text).not.toContain(TOKEN);
    // The live plan reviews its additions with keyed fingerprints; the picture on disk keeps none of them.
    expect(prepared.plan.entries.some((e) => e.context)).toBe(true);
    expect(text).not.toMatch(/context|fingerprint/);
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    }
    // No temp file left beside it (the writer's private temp folder stays, empty).
    const folder = path.dirname(file);
    expect(readdirSync(folder).filter((name) => name !== TEMP_FOLDER)).toEqual([path.basename(file)]);
    expect(readdirSync(path.join(folder, TEMP_FOLDER)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('is written only when asked (the app’s plan), not by the CLI’s', async () => {
    await planProfile(sb.deps, { project: { dir }, profile: 'dev' });
    expect(await cachedPlan(sb.deps, { dir }, 'dev')).toBeUndefined();
  });

  it('survives a bad file: garbage, another shape or another profile’s plan is no picture', async () => {
    const { prepared } = await planProfile(sb.deps, { project: { dir }, profile: 'dev', rememberPlan: true });
    const file = planCachePath(sb.appDir, manifestPath, 'dev');

    const good = readFileSync(file, 'utf8');
    const written = JSON.parse(good) as { plan: { entryChunks: string[]; profile: string } };
    expect(await loadPlanCache(sb.appDir, manifestPath, 'dev')).toBeDefined();

    writeFileSync(file, '{ not json');
    expect(await loadPlanCache(sb.appDir, manifestPath, 'dev')).toBeUndefined();
    // The first version's shape (the plan unpacked), or another shape under this version, is no picture.
    writeFileSync(file, JSON.stringify({ version: 1, savedAt: at.toISOString(), plan: prepared.plan }));
    expect(await loadPlanCache(sb.appDir, manifestPath, 'dev')).toBeUndefined();
    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), plan: { entries: 'x' } }));
    expect(await loadPlanCache(sb.appDir, manifestPath, 'dev')).toBeUndefined();
    // Entries changed since they were checked and written (the digest no longer matches) are no picture.
    const edited = written.plan.entryChunks[0]!.replace('LOG_LEVEL', 'LOG_LEVEX');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), plan: { ...written.plan, entryChunks: [edited] } }));
    expect(await loadPlanCache(sb.appDir, manifestPath, 'dev')).toBeUndefined();
    // A file copied over from another profile does not show that profile's keys here.
    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), plan: { ...written.plan, profile: 'other' } }));
    expect(await cachedPlan(sb.deps, { dir }, 'dev')).toBeUndefined();

    // And the next plan replaces it whole.
    await planProfile(sb.deps, { project: { dir }, profile: 'dev', rememberPlan: true });
    expect((await cachedPlan(sb.deps, { dir }, 'dev'))?.plan.profile).toBe('dev');
  });

  it('a cache that cannot be written costs the next first paint, never the plan', async () => {
    // A file where the cache folder should be: the folder cannot be made.
    mkdirSync(sb.appDir, { recursive: true });
    writeFileSync(path.join(sb.appDir, 'plan-cache'), 'in the way');
    const { prepared } = await planProfile(sb.deps, { project: { dir }, profile: 'dev', rememberPlan: true });
    expect(prepared.plan.entries).toHaveLength(2);
    expect(await cachedPlan(sb.deps, { dir }, 'dev')).toBeUndefined();
  });

  it('saves only a plan that is one (the contract’s schema), nothing else', async () => {
    await expect(savePlanCache(sb.appDir, { nope: true } as never, at)).rejects.toThrow();
  });

  it('goes when its project is forgotten, and only that project’s', async () => {
    const app = createApp(sb.deps);
    const otherDir = sb.project('kept', MANIFEST);
    const forgottenId = (await app.projects.admitChosen(dir)).projectId;
    const keptId = (await app.projects.admitChosen(otherDir)).projectId;
    await app.projects.open(forgottenId);
    await app.projects.open(keptId);
    await planProfile(sb.deps, { project: { dir }, profile: 'dev', rememberPlan: true });
    await planProfile(sb.deps, { project: { dir: otherDir }, profile: 'other', rememberPlan: true });
    // A file of the earlier flat layout, named by no project folder: nothing can tell whose it is any more.
    const flat = path.join(sb.appDir, 'plan-cache', `${'0'.repeat(32)}.json`);
    writeFileSync(flat, '{}');
    const forgotten = planCachePath(sb.appDir, manifestPath, 'dev');
    const kept = planCachePath(sb.appDir, path.join(otherDir, 'latchkey.yml'), 'other');
    expect(existsSync(forgotten) && existsSync(kept)).toBe(true);

    await app.projects.forget(forgottenId);
    expect(existsSync(forgotten)).toBe(false);
    expect(existsSync(path.dirname(forgotten))).toBe(false);
    expect(existsSync(flat)).toBe(false);
    expect((await cachedPlan(sb.deps, { dir: otherDir }, 'other'))?.plan.profile).toBe('other');
  });
});
