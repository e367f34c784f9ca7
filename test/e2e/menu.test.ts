import { describe, expect, it } from 'vitest';
import { visible } from './harness/flows';
import { makeProjectDir } from './harness/project';
import { useE2eSuite } from './harness/suite';

// File ▸ Open Folder…, File ▸ Open Recent and `--open-project <folder>` reach the page as main's menu commands.
// The page subscribes a few tasks after its first paint, so a folder named at launch must wait in main until the page
// asks for it (menu.pending); once the page listens, commands arrive as events.
const e2e = useE2eSuite();

describe('menu commands', () => {
  it('opens a folder named on the command line before the page listened, then follows the menu live', async () => {
    const app = await e2e.launch();
    const { page } = app;
    const atLaunch = makeProjectDir(undefined, 'named-at-launch');
    const fromMenu = makeProjectDir(undefined, 'picked-from-menu');
    // Main registers the folder (as admitChosen does for the command line) and posts before the page exists.
    app.setPickedFolder(atLaunch);
    const registered = await app.call('projects.pick', {});
    if (!registered.picked) throw new Error('the folder was not registered');
    app.postMenuCommand({ command: 'open-project', projectId: registered.picked.projectId, dir: atLaunch });

    await app.open();
    await visible(page.getByTestId('manifest-form'));
    await visible(page.getByRole('heading', { level: 1, name: 'named-at-launch', exact: true }));
    // One h1 per page: the form under the crumb is a section of it.
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await visible(page.getByRole('heading', { level: 2, name: 'Set up Latchkey in named-at-launch' }));
    expect(app.events.filter((e) => e.event === 'menu.command')).toEqual([]);

    // File ▸ Open Folder… once the page listens: an event, and the page shows main's picker.
    app.setPickedFolder(fromMenu);
    app.postMenuCommand({ command: 'open-folder' });
    await visible(page.getByRole('heading', { level: 1, name: 'picked-from-menu', exact: true }));
    expect(app.events.filter((e) => e.event === 'menu.command')).toEqual([
      { event: 'menu.command', payload: { command: 'open-folder' } },
    ]);
  });
});
