import { useState, type ReactElement } from 'react';
import { editorCommandProblem } from '../../contract/editor-command';

/**
 * Settings ▸ editor command: how "Open in editor" opens a file at a line. Checked with the contract's own rule as
 * it is typed, saved on blur or Enter; main runs it without a shell.
 */
export function EditorSetting({ value, onSave }: { value: string; onSave(v: string): void }): ReactElement {
  const [text, setText] = useState(value);
  const [shownValue, setShownValue] = useState(value);
  if (shownValue !== value) {
    setShownValue(value);
    setText(value);
  }
  const problem = editorCommandProblem(text);
  const commit = () => {
    if (problem === undefined && text.trim() !== value) onSave(text.trim());
  };
  return (
    <div className="setting">
      <div className="setting-text">
        <label className="setting-label" htmlFor="editor-command">
          Editor command
        </label>
        <span className={`small ${problem ? 'tone-text-bad' : 'subtle'}`} id="editor-command-help">
          {problem
            ? `Not usable: ${problem}.`
            : 'Opens a file at a line, e.g. code -g {file}:{line}. Run without a shell. Empty: the default app.'}
        </span>
      </div>
      <input
        id="editor-command"
        className="input mono setting-command"
        value={text}
        placeholder="code -g {file}:{line}"
        spellCheck={false}
        aria-invalid={problem !== undefined || undefined}
        aria-describedby="editor-command-help"
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        data-testid="editor-command"
      />
    </div>
  );
}
