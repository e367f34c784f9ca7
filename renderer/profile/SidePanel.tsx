import {
  useEffect,
  useEffectEvent,
  useRef,
  useSyncExternalStore,
  type KeyboardEvent,
  type ReactElement,
  type ReactNode,
} from 'react';
import { Icon } from '../components/icons';
import { focusIsOnPage, takeFocusIfLostAfterPaint, trapTab } from '../lib/focus';

/**
 * Below this width a panel beside the main pane would squeeze it (descriptions one word a line, columns dropped):
 * the panel lies over it instead. Kept in step with the overlay rules in profile.css.
 */
const OVERLAY_QUERY = '(max-width: 1199px)';

/** The panels on screen, in the order they opened. */
const openPanels: HTMLElement[] = [];

function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const media = window.matchMedia(query);
      media.addEventListener('change', onChange);
      return () => media.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/**
 * A detail panel. On a wide window it sits beside the main pane (not a modal); on a narrower one it lies over the
 * main pane as a modal dialog over a scrim, with the focus kept inside it. Either way Esc or the close button puts
 * the focus back where it was.
 */
export function SidePanel({
  title,
  subtitle,
  onClose,
  children,
  footer,
  testId,
  busy = false,
  headerExtra,
  status,
  scrollTopKey,
  focusKey,
  focusOnOpen = false,
}: {
  title: string;
  subtitle?: ReactNode;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  busy?: boolean;
  headerExtra?: ReactNode;
  /** Progress and results: pinned under the header so they stay in view while the body scrolls. */
  status?: ReactNode;
  /** When this changes, the body scrolls back to the top (a new run starts: show it from the beginning). */
  scrollTopKey?: unknown;
  /**
   * When this changes (a run starts or ends) and the focus was lost, say because the button that had it is now
   * disabled, the panel takes it: Esc still closes the panel and Tab continues inside it.
   */
  focusKey?: unknown;
  /** Take the focus when it opens (from a row's button), so Esc closes it and Tab starts inside it. */
  focusOnOpen?: boolean;
}): ReactElement {
  const panel = useRef<HTMLDivElement>(null);
  const opener = useRef<Element | null>(document.activeElement);
  const body = useRef<HTMLDivElement>(null);
  const overlay = useMediaQuery(OVERLAY_QUERY);

  const scrolledFor = useRef(scrollTopKey);
  useEffect(() => {
    // Only when the key changes: a panel opens at the top anyway, and scrolling forces the page's layout inside the
    // click's task, where the panel's first render already is (a long task with a 5,000-key plan, issue 14, item 5).
    if (Object.is(scrolledFor.current, scrollTopKey)) return;
    scrolledFor.current = scrollTopKey;
    body.current?.scrollTo({ top: 0 });
  }, [scrollTopKey]);

  // After the frame that shows the panel, and without scrolling (the panel is in view): focusing it in the commit laid
  // the whole page out inside the click that opened the panel, with the panel's first render (issue 14, item 5).
  useEffect(() => takeFocusIfLostAfterPaint(panel.current, panel.current, { scroll: false }), [focusKey]);

  // Esc closes the panel while the focus is on the page too: before the panel has taken it, or after the control that
  // had it went away. Only the panel opened last answers.
  const closeFromPage = useEffectEvent(onClose);
  useEffect(() => {
    const node = panel.current;
    if (!node) return;
    openPanels.push(node);
    const onPageKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || !focusIsOnPage() || openPanels.at(-1) !== node) return;
      e.preventDefault();
      closeFromPage();
    };
    window.addEventListener('keydown', onPageKey);
    return () => {
      window.removeEventListener('keydown', onPageKey);
      openPanels.splice(openPanels.indexOf(node), 1);
    };
  }, []);

  // Lying over the page, the panel is where the user is: the focus goes in, not left on the covered page.
  useEffect(() => {
    const node = panel.current;
    if (overlay && node && !node.contains(document.activeElement)) node.focus({ preventScroll: true });
  }, [overlay]);

  useEffect(() => {
    if (focusOnOpen) panel.current?.focus({ preventScroll: true });
    // Only as it opens: later renders leave the focus where the user put it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const before = opener.current;
    // The panel's own node, as mounted: by cleanup time the ref may already point elsewhere (or nowhere).
    const node = panel.current;
    return () => {
      if (before instanceof HTMLElement && before.isConnected && !node?.isConnected)
        before.focus({ preventScroll: true });
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      onClose();
    } else if (e.key === 'Tab' && overlay && panel.current && trapTab(panel.current, e.shiftKey)) {
      e.preventDefault();
    }
  };

  // One element either way (a change of element would remount the panel and lose an edit in progress on a resize).
  const aside = (
    <div
      className="side-panel"
      ref={panel}
      tabIndex={-1}
      aria-label={title}
      onKeyDown={onKeyDown}
      data-testid={testId}
      data-overlay={overlay || undefined}
      aria-busy={busy || undefined}
      role={overlay ? 'dialog' : 'complementary'}
      aria-modal={overlay || undefined}
    >
      <header className="side-panel-head">
        <div className="grow">
          <h2>{title}</h2>
          {subtitle ? <div className="side-panel-sub subtle small">{subtitle}</div> : null}
        </div>
        {headerExtra}
        <button
          type="button"
          className="btn btn-ghost btn-icon btn-sm"
          aria-label={`Close ${title.toLowerCase()}`}
          onClick={onClose}
          data-testid="panel-close"
        >
          <Icon name="x" size={15} />
        </button>
      </header>
      {status ? <div className="side-panel-status">{status}</div> : null}
      <div className="side-panel-body" ref={body}>
        {children}
      </div>
      {footer ? <footer className="side-panel-foot">{footer}</footer> : null}
    </div>
  );
  if (!overlay) return aside;
  return (
    <>
      {/* A click on the covered page closes the panel, as Esc does; the keyboard has the close button. */}
      <div className="side-panel-scrim" aria-hidden="true" onClick={onClose} data-testid="panel-scrim" />
      {aside}
    </>
  );
}
