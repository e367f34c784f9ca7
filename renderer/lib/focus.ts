/**
 * True when nobody holds the focus any more: it fell to the page (the control that had it was removed or
 * disabled, like Sync now while a sync runs), or it sits on a disabled control, or on `holder` itself, a
 * container that only keeps it in place until something better appears.
 */
function focusIsLost(holder?: Element | null): boolean {
  const active = document.activeElement;
  if (!active || active === document.body || active === document.documentElement) return true;
  if (holder && active === holder) return true;
  return active instanceof HTMLElement && active.matches(':disabled');
}

/**
 * Moves the focus to `el` only when it was lost, so keys like Esc keep reaching the panel it is in; focus the user
 * put somewhere else (typing in the filter during a sync) stays where it is.
 */
export function takeFocusIfLost(el: HTMLElement | null, holder?: Element | null): void {
  if (el && el.isConnected && focusIsLost(holder)) el.focus({ preventScroll: false });
}
