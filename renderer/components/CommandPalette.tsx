import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { buildCommands, matchCommands, type Command } from '../lib/commands';
import { useApp } from '../state/app-store';
import { Icon } from './icons';

const GROUP_ORDER: Command['group'][] = ['Actions', 'Profiles', 'Projects', 'Go to'];

export function CommandPalette(): ReactElement | null {
  const open = useApp((s) => s.paletteOpen);
  if (!open) return null;
  return <PaletteDialog />;
}

function PaletteDialog(): ReactElement {
  const setPalette = useApp((s) => s.setPalette);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const commands = useMemo(() => buildCommands(), []);
  const results = useMemo(() => {
    const matched = matchCommands(commands, query);
    // With no query, show groups in a fixed order; with one, best matches first.
    return query.trim() ? matched : GROUP_ORDER.flatMap((g) => matched.filter((c) => c.group === g));
  }, [commands, query]);
  const listId = useId();
  const list = useRef<HTMLUListElement>(null);
  const previousFocus = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    const before = previousFocus.current;
    return () => {
      if (before instanceof HTMLElement) before.focus();
    };
  }, []);

  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const close = () => setPalette(false);
  const run = (c: Command | undefined) => {
    if (!c) return;
    close();
    c.run();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((i) => Math.min(results.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
    else if (e.key === 'Home' && e.ctrlKey) setActive(0);
    else if (e.key === 'End' && e.ctrlKey) setActive(results.length - 1);
    else if (e.key === 'Enter') run(results[active]);
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') {
      /* The input is the only stop inside the dialog. */
    } else return;
    e.preventDefault();
  };

  return (
    <div className="scrim" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="dialog palette"
        role="dialog"
        aria-modal="true"
        aria-label="Jump to"
        data-testid="command-palette"
      >
        <div className="palette-input">
          <Icon name="search" size={16} />
          <input
            autoFocus
            className="grow"
            role="combobox"
            aria-expanded={results.length > 0}
            aria-controls={results.length > 0 ? listId : undefined}
            aria-activedescendant={results[active] ? `${listId}-${active}` : undefined}
            aria-autocomplete="list"
            placeholder="Jump to a project, a profile, a screen…"
            value={query}
            onChange={(e) => {
              // A new query is a new list: the highlight starts again at its top.
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            spellCheck={false}
            data-testid="palette-input"
          />
          <kbd>Esc</kbd>
        </div>
        {/* A listbox may only hold options, so "nothing matches" is a status beside it, announced as it appears. */}
        <p className="palette-empty" role="status" hidden={results.length > 0}>
          {results.length === 0 ? `Nothing matches “${query}”.` : ''}
        </p>
        <ul
          className="palette-list"
          role="listbox"
          id={listId}
          ref={list}
          aria-label="Results"
          hidden={results.length === 0}
        >
          {results.map((c, i) => {
            const header = !query.trim() && c.group !== results[i - 1]?.group ? c.group : null;
            return (
              <li key={c.id} role="presentation">
                {header ? (
                  <div className="palette-group" role="presentation">
                    {header}
                  </div>
                ) : null}
                <div
                  role="option"
                  id={`${listId}-${i}`}
                  data-index={i}
                  aria-selected={i === active}
                  className="palette-item"
                  onMouseMove={() => setActive(i)}
                  onClick={() => run(c)}
                >
                  <Icon name={c.icon} size={15} />
                  <span className="ellipsis palette-label">{c.label}</span>
                  {c.hint ? (
                    <span className={`palette-hint ellipsis ${c.hintMono ? 'mono' : ''}`}>{c.hint}</span>
                  ) : null}
                  {i === active ? <Icon name="chevron-right" size={14} className="icon palette-enter" /> : null}
                </div>
              </li>
            );
          })}
        </ul>
        <div className="palette-foot">
          <span>
            <kbd>↑</kbd>
            <kbd>↓</kbd> move
          </span>
          <span>
            <kbd>↵</kbd> open
          </span>
          <span>
            <kbd>Esc</kbd> close
          </span>
        </div>
      </div>
    </div>
  );
}
