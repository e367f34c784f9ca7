import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { thisPlatform } from './platform';

/** True on macOS, where the command palette and shortcuts use Cmd instead of Ctrl. */
const isMac = thisPlatform === 'mac';

export const modKeyLabel = isMac ? '⌘' : 'Ctrl';

/** How a Mod+key shortcut is written on this platform: ⌘P on a Mac, Ctrl+P elsewhere. */
export const shortcut = (key: string) => (isMac ? `⌘${key}` : `Ctrl+${key}`);

export function isModKey(event: KeyboardEvent | ReactKeyboardEvent): boolean {
  return isMac ? event.metaKey : event.ctrlKey;
}

/** Whether a keystroke landed in a field that wants its own keys. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.tagName === 'INPUT' ||
    target.tagName === 'TEXTAREA' ||
    target.tagName === 'SELECT'
  );
}

/**
 * Arrow keys inside a role="radiogroup" move to the next or previous radio and choose it, as the ARIA radio
 * pattern expects. Attach as the group's onKeyDown.
 */
export function radioGroupKeys(event: ReactKeyboardEvent<HTMLElement>): void {
  const step =
    event.key === 'ArrowRight' || event.key === 'ArrowDown'
      ? 1
      : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
        ? -1
        : 0;
  if (step === 0) return;
  const radios = [...event.currentTarget.querySelectorAll<HTMLElement>('[role="radio"]:not([disabled])')];
  const at = radios.indexOf(document.activeElement as HTMLElement);
  if (at === -1) return;
  event.preventDefault();
  const next = radios[(at + step + radios.length) % radios.length]!;
  next.focus();
  next.click();
}
