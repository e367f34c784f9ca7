import { yieldToPage } from './yield';

/**
 * After a navigation, puts the focus at the top of the new page (its h1, else the main region), as a screen reader
 * user expects from a link: otherwise it stays on the sidebar and the new page is never announced. Focus already
 * inside the page (a control the screen focused itself, like a filter) is left where it is.
 */
export function focusNewPage(main: HTMLElement | null): void {
  if (!main || (main.contains(document.activeElement) && document.activeElement !== main)) return;
  const heading = main.querySelector<HTMLElement>('h1');
  const target = heading ?? main;
  if (heading && !heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  target.focus({ preventScroll: true });
}

/**
 * True when nobody holds the focus any more: it fell to the page (the control that had it was removed or
 * disabled, like Sync now while a sync runs), or it sits on a disabled control, or on `holder` itself, a
 * container that only keeps it in place until something better appears.
 */
function focusIsLost(holder?: Element | null): boolean {
  const active = document.activeElement;
  if (focusIsOnPage()) return true;
  if (holder && active === holder) return true;
  return active instanceof HTMLElement && active.matches(':disabled');
}

/**
 * Moves the focus to `el` only when it was lost, so keys like Esc keep reaching the panel it is in; focus the user
 * put somewhere else (typing in the filter during a sync) stays where it is. `scroll: false` for an element that is
 * in view anyway: scrolling to it makes the browser lay out the page first, inside the task that called this.
 */
export function takeFocusIfLost(el: HTMLElement | null, holder?: Element | null, { scroll = true } = {}): void {
  if (el && el.isConnected && focusIsLost(holder)) el.focus({ preventScroll: !scroll });
}

/**
 * takeFocusIfLost, once the frame that shows `el` has been laid out and painted. Chromium lays the page out before
 * it moves the focus, even with preventScroll: a panel that took the focus in the commit that rendered it made its
 * render and the page's whole layout one task (issue 14, item 5: 105-155 ms opening the plan panel on a 5,000-key
 * profile). Returns the cancel, for the effect's cleanup. Until then the focus is on the page, where Esc still
 * reaches the panel (SidePanel).
 */
export function takeFocusIfLostAfterPaint(
  el: HTMLElement | null,
  holder?: Element | null,
  options?: { scroll?: boolean },
): () => void {
  let cancelled = false;
  // A task posted from the frame's callback runs after that frame's layout and paint.
  const frame = requestAnimationFrame(() => {
    void yieldToPage().then(() => {
      if (!cancelled) takeFocusIfLost(el, holder, options);
    });
  });
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
  };
}

/** True when the focus is on the page itself (nothing holds it), where a key reaches only window listeners. */
export function focusIsOnPage(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || active === document.documentElement;
}

const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled):not([type="hidden"]), select:not(:disabled), ' +
  'textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab inside `container` (a panel lying over the page): from its last control Tab goes to its first, and
 * Shift+Tab from its first (or from the container itself) to its last. True when it moved the focus, so the caller
 * cancels the key's own move; false leaves the browser to move it, inside the container.
 */
export function trapTab(container: HTMLElement, backwards: boolean): boolean {
  const controls = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.getClientRects().length > 0 && !el.closest('[inert]'),
  );
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return true;
  const active = document.activeElement;
  if (backwards && (active === first || active === container)) {
    last.focus();
    return true;
  }
  if (!backwards && active === last) {
    first.focus();
    return true;
  }
  if (!(active instanceof Node) || !container.contains(active)) {
    (backwards ? last : first).focus();
    return true;
  }
  return false;
}

/** Keeps Tab and Shift+Tab inside a modal `box`: from its last control to its first and back. */
export function keepTabInside(e: { key: string; shiftKey: boolean; preventDefault(): void }, box: HTMLElement): void {
  if (e.key === 'Tab' && trapTab(box, e.shiftKey)) e.preventDefault();
}
