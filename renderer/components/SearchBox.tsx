import type { ReactElement } from 'react';
import { Icon } from './icons';

/**
 * The search field of a list: Esc clears it, ↓ moves into the list (to the row `firstRowSelector` finds, the one a
 * roving tabindex left focusable), and a shortcut hint shows while it is empty. The keys table's filter and the
 * Services search are both this one field.
 */
export function SearchBox({
  value,
  onChange,
  placeholder,
  label,
  testId,
  firstRowSelector,
  shortcut,
  className,
}: {
  value: string;
  onChange(value: string): void;
  placeholder: string;
  /** The accessible name: what is searched, which the placeholder alone does not say. */
  label: string;
  testId: string;
  firstRowSelector: string;
  /** A key that focuses the field from elsewhere, shown as a hint while it is empty. */
  shortcut?: string;
  className?: string;
}): ReactElement {
  return (
    <div className={`input-group filter-box${className ? ` ${className}` : ''}`}>
      <Icon name="search" size={14} />
      <input
        className="input"
        type="search"
        placeholder={placeholder}
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            onChange('');
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            document.querySelector<HTMLElement>(firstRowSelector)?.focus();
          }
        }}
        spellCheck={false}
        autoComplete="off"
        data-testid={testId}
      />
      {shortcut && !value ? (
        <span className="input-suffix">
          <kbd>{shortcut}</kbd>
        </span>
      ) : null}
    </div>
  );
}
