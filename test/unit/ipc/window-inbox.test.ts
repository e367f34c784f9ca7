import { describe, expect, it } from 'vitest';
import { createWindowInbox } from '../../../main/ipc/window-inbox';

describe('the window inbox (menu commands for a page that may not listen yet)', () => {
  it('keeps what comes before the page listens, hands it over once, then delivers as it comes', () => {
    const delivered: string[] = [];
    const inbox = createWindowInbox<string>((item) => delivered.push(item), { keep: 10 });
    inbox.post('a');
    inbox.post('b');
    expect(delivered).toEqual([]);
    expect(inbox.take()).toEqual(['a', 'b']);
    expect(inbox.take()).toEqual([]);
    inbox.post('c');
    expect(delivered).toEqual(['c']);
  });

  it('keeps items again once the page is gone, until the new page asks', () => {
    const delivered: string[] = [];
    const inbox = createWindowInbox<string>((item) => delivered.push(item), { keep: 10 });
    inbox.take();
    inbox.pageGone();
    inbox.post('while reloading');
    expect(delivered).toEqual([]);
    expect(inbox.take()).toEqual(['while reloading']);
  });

  it('keeps only the latest `keep` for a page that never asks', () => {
    const inbox = createWindowInbox<number>(() => undefined, { keep: 10 });
    for (let i = 1; i <= 25; i++) inbox.post(i);
    expect(inbox.take()).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });
});
