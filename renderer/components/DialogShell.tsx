import { useEffect, useId, useRef, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import { keepTabInside } from '../lib/focus';
import { Icon, type IconId } from './icons';

/**
 * A confirmation dialog's frame: the scrim (a click on it closes), the modal box with its title and description
 * wired to aria, Esc closes, Tab stays inside, and the focus goes back where it was when the dialog closes. What
 * takes the focus first is the caller's (its own buttons), as is what closing means while work runs.
 */
export function DialogShell({
  icon,
  title,
  description,
  descriptionTestId,
  onClose,
  testId,
  phase,
  busy,
  children,
}: {
  icon: IconId;
  title: ReactNode;
  description: ReactNode;
  descriptionTestId?: string;
  onClose(): void;
  testId: string;
  /** Shown as data-phase, for a dialog that goes through steps. */
  phase?: string;
  busy?: boolean;
  children: ReactNode;
}): ReactElement {
  const box = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  const previous = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    const before = previous.current;
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (box.current) keepTabInside(e, box.current);
  };

  return (
    <div className="scrim" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog aws-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        ref={box}
        onKeyDown={onKeyDown}
        data-testid={testId}
        data-phase={phase}
        aria-busy={busy || undefined}
      >
        <div className="aws-dialog-head">
          <span className="aws-dialog-icon tone-warn">
            <Icon name={icon} size={18} />
          </span>
          <div className="grow">
            <h2 id={titleId}>{title}</h2>
            <p className="muted" id={descId} data-testid={descriptionTestId}>
              {description}
            </p>
          </div>
        </div>
        {children}
      </div>
    </div>
  );
}
