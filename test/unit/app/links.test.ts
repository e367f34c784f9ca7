import { describe, expect, it } from 'vitest';
import { openHttpsLink } from '../../../main/app/links';

describe('links', () => {
  it('opens https links only, as the parsed URL', async () => {
    const opened: string[] = [];
    const open = async (url: string) => void opened.push(url);
    await openHttpsLink(open, 'https://example.test/a b');
    await expect(openHttpsLink(open, 'http://example.test/')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(openHttpsLink(open, 'file:///etc/passwd')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(openHttpsLink(open, 'not a url')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'That is not a link Latchkey can open.',
    });
    expect(opened).toEqual(['https://example.test/a%20b']);
  });
});
