import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { loadPaletteData, paletteSnapshot, runPaletteCommand } from '../lib/commands';
import { PALETTE_GROUPS, derivePaletteCommands, type PaletteCommand } from '../lib/palette-commands';
import { rankCommands } from '../lib/palette-rank';
import { useApp } from '../state/app-store';
import { useAws } from '../state/aws-store';
import { usePalette } from '../state/palette-store';
import { useProfiles } from '../state/profile-store';
import { useProjects } from '../state/projects-store';
import { useSettings } from '../state/settings-store';
import { Icon } from './icons';

export function CommandPalette(): ReactElement | null {
  const open = useApp((s) => s.paletteOpen);
  if (!open) return null;
  return <PaletteDialog />;
}

/** The derived commands, rebuilt as the stores' state changes while the palette is open (profiles arriving). */
function usePaletteCommands(): PaletteCommand[] {
  const projects = useProjects((s) => s.projects);
  const manifests = useProjects((s) => s.manifests);
  const awsProfiles = useAws((s) => s.profiles);
  const awsBusy = useAws((s) => s.busy);
  const activity = useProfiles((s) => s.byKey);
  const logins = usePalette((s) => s.logins);
  const theme = useSettings((s) => s.settings.theme);
  return useMemo(
    () => derivePaletteCommands(paletteSnapshot()),
    // The snapshot reads these same slices; they are listed so a change rebuilds the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [projects, manifests, awsProfiles, awsBusy, activity, logins, theme],
  );
}

function PaletteDialog(): ReactElement {
  const setPalette = useApp((s) => s.setPalette);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const commands = usePaletteCommands();
  // The order of recent commands as the palette opened: running one closes it, so this never reorders under the user.
  const [recent] = useState(() => usePalette.getState().recent);
  const groups = useMemo(() => rankCommands(commands, query, recent, PALETTE_GROUPS), [commands, query, recent]);
  const results = useMemo(() => groups.flatMap((g) => g.commands), [groups]);
  const current = Math.min(active, Math.max(0, results.length - 1));
  const listId = useId();
  const list = useRef<HTMLDivElement>(null);
  const previousFocus = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    loadPaletteData();
    const before = previousFocus.current;
    return () => {
      if (before instanceof HTMLElement) before.focus();
    };
  }, []);

  useEffect(() => {
    list.current?.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const close = () => setPalette(false);
  const run = (c: PaletteCommand | undefined) => {
    // A disabled command stays on screen with its reason; Enter does not close the palette over it.
    if (!c || c.disabled !== undefined) return;
    close();
    void runPaletteCommand(c);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive(Math.min(results.length - 1, current + 1));
    else if (e.key === 'ArrowUp') setActive(Math.max(0, current - 1));
    else if (e.key === 'Home' && e.ctrlKey) setActive(0);
    else if (e.key === 'End' && e.ctrlKey) setActive(results.length - 1);
    else if (e.key === 'Enter') run(results[current]);
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') {
      /* A modal dialog keeps the focus: the input is its only stop, and the list is driven by the arrows. */
    } else return;
    e.preventDefault();
  };

  let index = 0;
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
            aria-activedescendant={results[current] ? `${listId}-${current}` : undefined}
            aria-autocomplete="list"
            placeholder="Projects, profiles, logins, AWS profiles, screens…"
            aria-label="Jump to or run"
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
        {/* A listbox may only hold options and groups, so "nothing matches" is a status beside it, announced. */}
        <p className="palette-empty" role="status" hidden={results.length > 0}>
          {results.length === 0 ? `Nothing matches “${query}”.` : ''}
        </p>
        <div
          className="palette-list"
          role="listbox"
          id={listId}
          ref={list}
          aria-label="Results"
          hidden={results.length === 0}
        >
          {groups.map((g, gi) => (
            <div role="group" key={g.heading} aria-labelledby={`${listId}-g${gi}`}>
              <div className="palette-group" id={`${listId}-g${gi}`}>
                {g.heading}
              </div>
              {g.commands.map((c) => {
                const i = index++;
                return (
                  <div
                    key={`${g.heading}:${c.id}`}
                    role="option"
                    id={`${listId}-${i}`}
                    data-index={i}
                    data-command={c.id}
                    aria-selected={i === current}
                    aria-disabled={c.disabled !== undefined ? true : undefined}
                    className="palette-item"
                    onMouseMove={() => setActive(i)}
                    onClick={() => run(c)}
                  >
                    <Icon name={c.icon} size={15} />
                    <span className="ellipsis palette-label">{c.label}</span>
                    {c.disabled !== undefined ? (
                      <span className="palette-hint palette-why ellipsis">{c.disabled}</span>
                    ) : c.hint ? (
                      <span className={`palette-hint ellipsis ${c.hintMono ? 'mono' : ''}`}>{c.hint}</span>
                    ) : null}
                    {i === current && c.disabled === undefined ? (
                      <Icon name="chevron-right" size={14} className="icon palette-enter" />
                    ) : null}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        <div className="palette-foot">
          <span>
            <kbd>↑</kbd>
            <kbd>↓</kbd> move
          </span>
          <span>
            <kbd>↵</kbd> run
          </span>
          <span>
            <kbd>Esc</kbd> close
          </span>
        </div>
      </div>
    </div>
  );
}
