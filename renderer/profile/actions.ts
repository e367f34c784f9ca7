import { call } from '../api';
import { copyText } from '../lib/clipboard';
import { execCommandFor } from '../lib/palette-commands';
import { syncBlocker } from '../lib/plan-summary';
import { useApp } from '../state/app-store';
import { useProfiles, type ProfileRef } from '../state/profile-store';
import { profileRefForMain } from '../state/project-ids';
import { useSettings } from '../state/settings-store';

export function planNow(ref: ProfileRef): void {
  useApp.getState().setPanel('plan');
  void useProfiles.getState().runPlan(ref);
}

/**
 * Sync from the action bar. With "confirm before sync" on, the first press shows the plan beside the table and
 * the write waits for a second, informed press; with the plan already open, it writes.
 */
export function syncNow(ref: ProfileRef): void {
  const app = useApp.getState();
  const confirm = useSettings.getState().settings.confirmBeforeSync;
  const data = useProfiles.getState().byKey[`${ref.dir}\u0000${ref.profile}`];
  // The shortcut reaches here with the button disabled: a plan that cannot be written is shown, not sent to main.
  if (data?.plan.plan && data.plan.status === 'ready' && !data.plan.stale && syncBlocker(data.plan.plan)) {
    app.setPanel('plan');
    return;
  }
  if (confirm && app.panel !== 'plan') {
    app.setPanel('plan');
    if (!data || data.plan.status !== 'ready' || data.plan.stale) void useProfiles.getState().runPlan(ref);
    return;
  }
  app.setPanel('plan');
  void useProfiles.getState().runSync(ref);
}

export async function addToGitignore(ref: ProfileRef): Promise<void> {
  const result = await call('gitignore.add', profileRefForMain(ref));
  const app = useApp.getState();
  if (!result.ok) {
    app.toast(`Could not update .gitignore: ${result.error.message}`, 'bad');
    return;
  }
  // git may still commit it (it tracks the file already, or a later rule takes it back): say so, not "done".
  if (result.value.advice !== undefined) app.toast(result.value.advice, 'warn');
  else app.toast(result.value.added ? 'Added the target to .gitignore' : 'The target was in .gitignore already', 'ok');
  void useProfiles.getState().loadReadiness(ref);
  void useProfiles.getState().runPlan(ref, { quiet: true });
}

/** "Always keep mine": the key becomes the user's own (latchkey.local.yml), then the plan is made again. */
export async function keepMine(ref: ProfileRef, key: string): Promise<void> {
  const result = await call('keys.keep', { ...profileRefForMain(ref), key });
  const app = useApp.getState();
  if (!result.ok) {
    app.toast(`Could not keep ${key}: ${result.error.message}`, 'bad');
    return;
  }
  app.toast(`${key} is yours now: a sync never writes it (latchkey.local.yml)`, 'ok');
  useProfiles.getState().setChoice(ref, key, 'keep-local');
  void useProfiles.getState().runPlan(ref, { quiet: true });
}

export async function copyExec(profile: string): Promise<void> {
  const ok = await copyText(execCommandFor(profile));
  useApp
    .getState()
    .toast(ok ? `Copied “${execCommandFor(profile).trim()}”` : 'Could not reach the clipboard', ok ? 'ok' : 'bad');
}

/** "Open in editor" from the plan's review: the target at the key's line (the editor command in Settings). */
export async function openAtKey(ref: ProfileRef, name: string): Promise<void> {
  const result = await call('target.openAtKey', { ...profileRefForMain(ref), name });
  const app = useApp.getState();
  if (!result.ok) {
    app.toast(`Could not open the file: ${result.error.message}`, 'bad');
    return;
  }
  if (result.value.via === 'default-app' && result.value.line !== undefined) {
    app.toast(`${name} is on line ${result.value.line}. An editor command in Settings opens files at the line.`, 'ok');
  }
}

/** "Open file" from the review of a file secret: the file on disk, named by its path as latchkey.yml writes it. */
export async function openFileSecret(ref: ProfileRef, path: string): Promise<void> {
  const result = await call('target.openFile', { ...profileRefForMain(ref), path });
  if (!result.ok) useApp.getState().toast(`Could not open ${path}: ${result.error.message}`, 'bad');
}
