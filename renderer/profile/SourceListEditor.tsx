import { useId, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { SourceKind } from '../../contract/plan';
import { Icon } from '../components/icons';
import { emptySource, KIND_INFO, KIND_ORDER, moveItem, type SourceItem } from '../lib/drafts';
import type { FormErrors } from '../lib/form-errors';

interface Props {
  items: SourceItem[];
  onChange(items: SourceItem[]): void;
  errors: FormErrors;
  /** Only show field errors once the user tried to save. */
  showErrors: boolean;
}

/**
 * The ordered list of a profile's sources. Later sources override earlier ones, so order matters: each card moves
 * with its buttons, with Alt+↑/↓ while focus is inside it, or by dragging its handle.
 */
export function SourceListEditor({ items, onChange, errors, showErrors }: Props): ReactElement {
  const list = useRef<HTMLOListElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState<number | null>(null);

  const update = (uid: number, change: Partial<SourceItem>) =>
    onChange(items.map((it) => (it.uid === uid ? { ...it, ...change } : it)));

  const move = (from: number, to: number, focusSelector?: string) => {
    if (to < 0 || to >= items.length) return;
    const moved = items[from]!;
    onChange(moveItem(items, from, to));
    setAnnouncement(
      `Moved source ${KIND_INFO[moved.kind].label} ${moved.main} to position ${to + 1} of ${items.length}.`,
    );
    // Keep focus on the moved card once React has re-ordered it.
    requestAnimationFrame(() => {
      const card = list.current?.querySelector<HTMLElement>(`[data-uid="${moved.uid}"]`);
      const target = (focusSelector ? card?.querySelector<HTMLElement>(focusSelector) : null) ?? card;
      // A move button that became disabled (first or last place) cannot hold focus: fall back to the card.
      if (target && !(target as HTMLButtonElement).disabled) target.focus();
      else card?.focus();
    });
  };

  const remove = (index: number) => {
    const removed = items[index]!;
    onChange(items.filter((_, i) => i !== index));
    setAnnouncement(`Removed source ${index + 1}, ${KIND_INFO[removed.kind].label} ${removed.main}.`);
  };

  const add = (kind: SourceKind) => {
    const item = emptySource(kind);
    onChange([...items, item]);
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`[data-uid="${item.uid}"] input`)?.focus());
  };

  const onCardKey = (e: KeyboardEvent, index: number) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    const active = document.activeElement as HTMLElement | null;
    const selector = active?.dataset.field ? `[data-field="${active.dataset.field}"]` : undefined;
    move(index, index + (e.key === 'ArrowUp' ? -1 : 1), selector);
  };

  return (
    <div className="source-editor">
      <ol className="source-list" ref={list} aria-label="Sources, applied in order">
        {items.map((item, index) => {
          const at = `sources.${index}`;
          const err = (field: string) => (showErrors ? errors[`${at}.${field}`] : undefined);
          const info = KIND_INFO[item.kind];
          return (
            <li
              key={item.uid}
              data-uid={item.uid}
              className={`source-card ${dragging === index ? 'is-dragging' : ''} ${showErrors && Object.keys(errors).some((k) => k.startsWith(`${at}.`)) ? 'has-error' : ''}`}
              tabIndex={-1}
              onKeyDown={(e) => onCardKey(e, index)}
              onDragOver={(e) => {
                if (dragging === null) return;
                e.preventDefault();
                if (dragging !== index) {
                  onChange(moveItem(items, dragging, index));
                  setDragging(index);
                }
              }}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(null);
              }}
              data-testid={`source-${index}`}
              aria-label={`Source ${index + 1} of ${items.length}: ${info.label}`}
            >
              <div className="source-card-head">
                <span
                  className="drag-handle"
                  draggable
                  onDragStart={(e) => {
                    e.dataTransfer.effectAllowed = 'move';
                    e.dataTransfer.setData('text/plain', String(item.uid));
                    setDragging(index);
                  }}
                  onDragEnd={() => setDragging(null)}
                  aria-hidden="true"
                >
                  <Icon name="grip" size={14} />
                </span>
                <span className="source-index">{index + 1}</span>
                <span className={`kind-tag kind-${item.kind}`}>{info.label}</span>
                <span className="subtle small ellipsis grow">{info.help}</span>
                <div className="source-card-actions">
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon btn-sm"
                    aria-label={`Move source ${index + 1} up`}
                    disabled={index === 0}
                    onClick={() => move(index, index - 1, '[data-move="up"]')}
                    data-move="up"
                    title="Move up (Alt+↑)"
                  >
                    <Icon name="arrow-up" size={14} />
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon btn-sm"
                    aria-label={`Move source ${index + 1} down`}
                    disabled={index === items.length - 1}
                    onClick={() => move(index, index + 1, '[data-move="down"]')}
                    data-move="down"
                    title="Move down (Alt+↓)"
                  >
                    <Icon name="arrow-down" size={14} />
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon btn-sm btn-danger"
                    aria-label={`Remove source ${index + 1}`}
                    onClick={() => remove(index)}
                    data-testid={`source-remove-${index}`}
                    title="Remove"
                  >
                    <Icon name="trash" size={14} />
                  </button>
                </div>
              </div>

              {item.kind === 'set' ? (
                <SetValues item={item} onChange={(values) => update(item.uid, { values })} error={err('values')} />
              ) : (
                <div className={`source-fields kind-fields-${item.kind}`}>
                  <TextField
                    label={info.main}
                    value={item.main}
                    placeholder={info.placeholder}
                    onChange={(main) => update(item.uid, { main })}
                    error={err('main')}
                    mono
                    field="main"
                    testId={`source-${index}-main`}
                  />
                  {item.kind === 'chamber' ? (
                    <TextField
                      label="Only keys"
                      optional
                      value={item.only}
                      placeholder="db_host, db_user"
                      onChange={(only) => update(item.uid, { only })}
                      error={err('only')}
                      mono
                      field="only"
                    />
                  ) : null}
                  {item.kind === 'ssm' || item.kind === 'op' || item.kind === 's3' ? (
                    <TextField
                      label="As"
                      optional
                      value={item.as}
                      placeholder="ENV_NAME"
                      onChange={(as) => update(item.uid, { as })}
                      error={err('as')}
                      mono
                      field="as"
                      testId={`source-${index}-as`}
                    />
                  ) : null}
                  {item.kind === 's3' ? (
                    <TextField
                      label="Write to file"
                      optional
                      value={item.file}
                      placeholder="certs/dev.key"
                      onChange={(file) => update(item.uid, { file })}
                      error={err('file')}
                      mono
                      field="file"
                    />
                  ) : null}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {showErrors && errors.sources ? (
        <p className="field-error" role="alert">
          <Icon name="error" size={13} />
          {errors.sources}
        </p>
      ) : null}
      <div className="add-source" role="group" aria-label="Add a source">
        <span className="subtle small">Add</span>
        {KIND_ORDER.map((kind) => (
          <button
            key={kind}
            type="button"
            className="btn btn-sm"
            onClick={() => add(kind)}
            data-testid={`add-source-${kind}`}
          >
            <Icon name="plus" size={13} />
            {KIND_INFO[kind].label}
          </button>
        ))}
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

export function TextField({
  label,
  value,
  onChange,
  placeholder,
  error,
  mono = false,
  optional = false,
  field,
  testId,
  help,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  error?: string | undefined;
  mono?: boolean;
  optional?: boolean;
  field?: string;
  testId?: string;
  help?: string;
}): ReactElement {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
        {optional ? <span className="subtle optional"> optional</span> : null}
      </label>
      <input
        id={id}
        className={`input ${mono ? 'mono' : ''}`}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : help ? `${id}-help` : undefined}
        spellCheck={false}
        autoComplete="off"
        data-field={field}
        data-testid={testId}
      />
      {help && !error ? (
        <span className="field-help" id={`${id}-help`}>
          {help}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-err`}>
          <Icon name="error" size={13} />
          {error}
        </span>
      ) : null}
    </div>
  );
}

function SetValues({
  item,
  onChange,
  error,
}: {
  item: SourceItem;
  onChange(values: SourceItem['values']): void;
  error?: string | undefined;
}): ReactElement {
  const set = (i: number, change: Partial<{ key: string; value: string }>) =>
    onChange(item.values.map((v, j) => (j === i ? { ...v, ...change } : v)));
  return (
    <div className="set-values">
      {item.values.map((v, i) => (
        <div className="set-row" key={i}>
          <input
            className="input mono"
            aria-label={`Name ${i + 1}`}
            placeholder="LOG_LEVEL"
            value={v.key}
            onChange={(e) => set(i, { key: e.target.value })}
            spellCheck={false}
            data-field={`key-${i}`}
          />
          <span className="subtle" aria-hidden="true">
            =
          </span>
          <input
            className="input mono"
            aria-label={`Value of ${v.key || `name ${i + 1}`}`}
            placeholder={item.valuesUnknown ? 'type it again' : 'debug'}
            value={v.value}
            onChange={(e) => set(i, { value: e.target.value })}
            spellCheck={false}
            data-field={`value-${i}`}
          />
          <button
            type="button"
            className="btn btn-ghost btn-icon btn-sm"
            aria-label={`Remove ${v.key || `name ${i + 1}`}`}
            onClick={() => onChange(item.values.filter((_, j) => j !== i))}
            disabled={item.values.length === 1}
          >
            <Icon name="x" size={13} />
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn btn-ghost btn-sm add-value"
        onClick={() => onChange([...item.values, { key: '', value: '' }])}
      >
        <Icon name="plus" size={13} />
        Add a value
      </button>
      {error ? (
        <span className="field-error">
          <Icon name="error" size={13} />
          {error}
        </span>
      ) : null}
    </div>
  );
}
