import { useEffect, useRef, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import { Icon } from '../components/icons';
import { takeFocusIfLost } from '../lib/focus';

/** A detail panel beside the main pane (not a modal): Esc or the close button puts focus back where it was. */
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
  const panel = useRef<HTMLElement>(null);
  const opener = useRef<Element | null>(document.activeElement);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    body.current?.scrollTo({ top: 0 });
  }, [scrollTopKey]);

  useEffect(() => {
    takeFocusIfLost(panel.current, panel.current);
  }, [focusKey]);

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
    }
  };

  return (
    <aside
      className="side-panel"
      ref={panel}
      tabIndex={-1}
      aria-label={title}
      onKeyDown={onKeyDown}
      data-testid={testId}
      aria-busy={busy || undefined}
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
    </aside>
  );
}
