import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifications } from '../../../main/app/notifications';
import type { DesktopNotice } from '../../../main/core/notifications';
import { recordProject } from '../../../main/core/projects';
import { buildWorklist } from '../../../main/core/rotation-worklist';
import { updateSettings } from '../../../main/core/settings';
import { createAppSandbox, type AppSandbox } from '../../support/app-sandbox';

// The notifications use case over a real settings file: nothing while the setting is off (and nothing marked as
// told, so turning it on tells what is still true), each event once when on, and no port means no notice.

const NOW = new Date('2026-12-01T12:00:00.000Z');
const scanWithDrift = () => ({
  rows: buildWorklist(
    [
      {
        awsProfile: undefined,
        region: 'us-east-1',
        parameter: '/api/dev/db_password',
        sourceKind: 'chamber' as const,
        version: 5,
        lastModified: new Date(NOW.getTime() - 86_400_000).toISOString(),
        user: { dir: '/p/api', project: 'api', profile: 'dev', key: 'DB_PASSWORD', maxAgeDays: 90, drifted: true },
      },
    ],
    NOW,
  ),
  projects: [],
  scannedAt: NOW.toISOString(),
});

let sb: AppSandbox;
beforeEach(() => (sb = createAppSandbox()));
afterEach(() => sb.cleanup());

describe('desktop notifications', () => {
  it('shows nothing while off, then each event once after the user turns them on', async () => {
    const shown: DesktopNotice[] = [];
    const notifications = createNotifications({ ...sb.deps, notify: (n) => void shown.push(n) });

    await notifications.afterScan(scanWithDrift());
    expect(shown).toEqual([]);

    await updateSettings(sb.appDir, { notifications: true });
    await notifications.afterScan(scanWithDrift());
    await notifications.afterScan(scanWithDrift());
    expect(shown.map((n) => [n.title, n.screen])).toEqual([['DB_PASSWORD changed in api', 'rotation']]);
  });

  it('the background scan asks AWS nothing while notifications are off', async () => {
    const dir = sb.project(
      'api',
      'version: 1\nprofiles:\n  dev:\n    target: .env\n    sources:\n      - chamber: api/dev\n',
    );
    await recordProject(sb.appDir, dir);
    const opened: string[] = [];
    const runtime = {
      ...sb.deps.runtime,
      parameterStore: (aws: { region?: string | undefined }) => {
        opened.push(aws.region ?? '');
        return Promise.reject(new Error('no SSM in this test'));
      },
    };
    const shown: DesktopNotice[] = [];
    const notifications = createNotifications({ runtime, notify: (n) => void shown.push(n) });
    await expect(notifications.scanInBackground()).resolves.toEqual([]);
    expect(opened).toEqual([]);

    // On, the same scan reaches for SSM (and, failing, reports the project rather than notifying).
    await updateSettings(sb.appDir, { notifications: true });
    await expect(notifications.scanInBackground()).resolves.toEqual([]);
    expect(opened).toEqual(['']);
    expect(shown).toEqual([]);
  });

  it('without a notify port (the CLI) there is nothing to show, on or off', async () => {
    await updateSettings(sb.appDir, { notifications: true });
    await expect(createNotifications(sb.deps).afterScan(scanWithDrift())).resolves.toEqual([]);
  });
});
