import { whenIdle } from './idle';

/**
 * The first number or time the page formats loads the browser's locale data: about 35 ms for a number and 10 more
 * for a time, measured in the bench's Chromium, paid once per window. Paid inside a render (the first count in the
 * keys table's facets, the action bar's summary) it made a long task of an otherwise short one (issue 14, item 5),
 * so each is paid here instead, in its own idle moment after the window starts, where no one waits for it.
 */
export function warmIntlWhenIdle(): void {
  whenIdle(() => {
    (1_000).toLocaleString();
    whenIdle(() => {
      new Date(0).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    });
  });
}
