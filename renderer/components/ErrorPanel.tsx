import { useEffect, useId, useRef, type ReactElement, type ReactNode } from 'react';
import type { IpcError, ManifestProblem } from '../../contract/ipc';
import { errorAction, errorTitle, errorTodo } from '../lib/errors';
import { ErrorActionButton } from './ErrorActionButton';
import { takeFocusIfLost } from '../lib/focus';
import { Icon } from './icons';
import { PersonalSecretForm } from './PersonalSecretForm';

interface Props {
  error: IpcError;
  /** Where the error happened, in words: "Plan", "Sync". */
  context?: string;
  /** For NEEDS_INPUT: the folder whose keychain entries to ask for; for a manifest error, whose latchkey.yml to open. */
  dir?: string;
  /** For an error about an AWS profile's keys: the profile Import keys shows. */
  awsProfile?: string;
  /** Personal secrets the readiness checklist already asks for; they are pointed to, not asked twice. */
  askedElsewhere?: ReadonlySet<string>;
  onRetry?: () => void;
  onResolved?: () => void;
  actions?: ReactNode;
  /** Sync and plan never write on failure; say so. */
  nothingWritten?: boolean;
  /** Take the focus when it was lost (the button that started the failed run is disabled or gone). */
  takeFocus?: boolean;
  /**
   * The title's heading level: 2 on a page whose h1 is the screen's, 3 (the default) inside a panel or card with its
   * own h2, so the outline a screen reader lists never skips a level.
   */
  headingLevel?: 2 | 3;
}

/** An error as people need it: what failed (naming the key and the source), what to do, and a way to retry. */
export function ErrorPanel({
  error,
  context,
  dir,
  awsProfile,
  askedElsewhere,
  onRetry,
  onResolved,
  actions,
  nothingWritten = false,
  takeFocus = false,
  headingLevel = 3,
}: Props): ReactElement {
  const Title = headingLevel === 2 ? 'h2' : 'h3';
  const missing = error.code === 'NEEDS_INPUT' ? (error.missing ?? []) : [];
  const askHere = missing.filter((name) => !askedElsewhere?.has(name));
  const askedAbove = missing.filter((name) => askedElsewhere?.has(name));
  const todo =
    error.code === 'NEEDS_INPUT' && askHere.length === 0 && askedAbove.length > 0
      ? 'Enter it in the readiness checklist above. Personal secrets are stored in your OS keychain, never in a file.'
      : errorTodo(error);
  const listed = (error.problems?.length ?? 0) > 0;
  // Unlocking the keychain is a retry: one button says both.
  const retry = onRetry && errorAction(error) !== 'unlock-keychain' ? onRetry : undefined;
  const titleId = useId();
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    if (takeFocus) takeFocusIfLost(box.current, box.current?.closest('.side-panel'));
  }, [takeFocus]);
  return (
    <section
      className="error-panel"
      ref={box}
      tabIndex={takeFocus ? -1 : undefined}
      role="alert"
      aria-labelledby={titleId}
      data-testid="error-panel"
      data-code={error.code}
    >
      <div className="error-panel-head">
        <span className="error-panel-icon">
          <Icon name={error.code === 'NEEDS_INPUT' ? 'lock' : 'error'} size={18} />
        </span>
        <div className="grow">
          <Title id={titleId} className="error-panel-title">
            {context ? <span className="error-context">{context} failed · </span> : null}
            {errorTitle(error)}
          </Title>
          {/* Listed problems say all the message says, each with its position: the message would repeat them. */}
          {listed ? null : <p className="error-message">{error.message}</p>}
        </div>
        <span className="pill mono" aria-label={`Error code ${error.code}`}>
          {error.code}
        </span>
      </div>

      {listed && error.problems ? (
        <ol className="problems" data-testid="manifest-problems" aria-label="Problems in latchkey.yml">
          {error.problems.map((p, i) => (
            <li key={`${p.line}:${p.col}:${i}`} className="problem">
              <span className="problem-pos mono">
                line {p.line}:{p.col}
              </span>
              <span className="problem-text">
                {p.path ? <code className="problem-path">{p.path}</code> : null} {p.message}
              </span>
              {p.excerpt ? <ProblemExcerpt problem={p} excerpt={p.excerpt} /> : null}
            </li>
          ))}
        </ol>
      ) : null}

      {askHere.length > 0 && dir ? (
        <div className="needs-input">
          {askHere.map((name) => (
            <div key={name} className="needs-input-row">
              <span className="mono needs-input-name">{name}</span>
              <PersonalSecretForm dir={dir} name={name} onSaved={() => onResolved?.()} />
            </div>
          ))}
        </div>
      ) : null}
      {askedAbove.length > 0 ? (
        <p className="muted small">
          Missing:{' '}
          {askedAbove.map((n, i) => (
            <span key={n}>
              {i > 0 ? ', ' : ''}
              <code>{n}</code>
            </span>
          ))}
        </p>
      ) : null}

      {todo ? (
        <p className="error-todo">
          <Icon name="info" size={14} />
          <span>
            {todo}
            {nothingWritten && error.code !== 'WRITE_FAILED' && !/nothing was written/i.test(todo)
              ? ' Nothing was written.'
              : ''}
          </span>
        </p>
      ) : null}

      <div className="row error-actions">
        <ErrorActionButton error={error} onRetry={onRetry} dir={dir} awsProfile={awsProfile} />
        {retry ? (
          <button type="button" className="btn btn-sm" onClick={retry} data-testid="error-retry">
            <Icon name="refresh" size={13} />
            Try again
          </button>
        ) : null}
        {actions}
      </div>
    </section>
  );
}

/**
 * The lines of latchkey.yml around a problem, numbered, with a caret under its column: the place to fix, as an
 * editor would show it. Tabs show as one space each, so the caret stays under its character.
 */
function ProblemExcerpt({
  problem,
  excerpt,
}: {
  problem: ManifestProblem;
  excerpt: NonNullable<ManifestProblem['excerpt']>;
}): ReactElement {
  const last = excerpt.firstLine + excerpt.lines.length - 1;
  const gutter = String(last).length;
  return (
    // A long line scrolls sideways, so the excerpt takes the focus (and says which lines it shows) to be scrolled.
    <pre
      className="problem-excerpt mono"
      role="group"
      aria-label={`latchkey.yml, line ${excerpt.firstLine}${last > excerpt.firstLine ? ` to ${last}` : ''}`}
      tabIndex={0}
      data-testid="problem-excerpt"
    >
      {excerpt.lines.map((text, i) => {
        const number = excerpt.firstLine + i;
        const here = number === problem.line;
        return (
          <span key={number} className={here ? 'excerpt-line is-problem' : 'excerpt-line'}>
            <span className="excerpt-gutter" aria-hidden="true">
              {String(number).padStart(gutter)}{' '}
            </span>
            {text.replaceAll('\t', ' ')}
            {'\n'}
            {here ? (
              <span className="excerpt-caret" data-testid="problem-caret" aria-hidden="true">
                {' '.repeat(gutter + 1 + Math.max(0, problem.col - 1))}^{'\n'}
              </span>
            ) : null}
          </span>
        );
      })}
    </pre>
  );
}
