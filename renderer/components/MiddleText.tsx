import { useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import { flushSync } from 'react-dom';
import { fitMiddle } from '../lib/middle-truncate';

/**
 * One measurer per font: its own canvas context, set once (setting a context's font again on every cell made the
 * canvas resolve the font again each time, most of a table's commit), and the widths it measured (a table's rows
 * repeat their sources).
 */
const measurers = new Map<string, (text: string) => number>();

const fitters = new WeakMap<Element, () => void>();
let observer: ResizeObserver | undefined;

/**
 * Names are fitted from one ResizeObserver: it reports each element once laid out, in the frame's own layout pass,
 * where reading a width costs nothing, and it reports all the names of a table (or of a pane a panel just narrowed)
 * at once, fitted in one render before the frame is painted. Measured in a layout effect instead, every mounted name
 * forced the page's layout inside React's commit, a table's rows adding a long task to it (issue 14, item 5).
 */
function sharedObserver(): ResizeObserver {
  observer ??= new ResizeObserver((entries) =>
    flushSync(() => {
      for (const entry of entries) fitters.get(entry.target)?.();
    }),
  );
  return observer;
}

/** The width of `text` in the element's own font, measured off-screen (no layout of the page involved). */
function measurerFor(el: HTMLElement): (text: string) => number {
  const style = getComputedStyle(el);
  const letterSpacing = style.letterSpacing === 'normal' ? '0px' : style.letterSpacing;
  const font = `${style.font}|${letterSpacing}`;
  let measure = measurers.get(font);
  if (!measure) {
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return () => 0;
    ctx.font = style.font;
    ctx.letterSpacing = letterSpacing;
    const widths = new Map<string, number>();
    measure = (text) => {
      let width = widths.get(text);
      if (width === undefined) {
        width = ctx.measureText(text).width;
        if (widths.size > 20_000) widths.clear();
        widths.set(text, width);
      }
      return width;
    };
    measurers.set(font, measure);
  }
  return measure;
}

/**
 * A one-line identifier (a key, a source, a profile, a project) that never truncates to ambiguity: when it does not
 * fit, its middle gives way, so both its start and its end stay in view, and the whole of it is in the tooltip and
 * for screen readers. It takes the width its container gives it (flex: 1), so its width never follows its text.
 * `identifier` names the family of names it belongs to (data-identifier): the layout test checks no two of one
 * family look the same.
 */
export function MiddleText({
  text,
  identifier,
  className,
}: {
  text: string;
  identifier: string;
  className?: string;
}): ReactElement {
  const ref = useRef<HTMLSpanElement>(null);
  const [shown, setShown] = useState(text);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      const width = el.clientWidth;
      // Not laid out (a hidden column, a closed panel): keep what is there until it is.
      if (width === 0) return;
      // One pixel of slack for the rounding between the canvas and the layout.
      setShown(fitMiddle(text, width - 1, measurerFor(el)));
    };
    fitters.set(el, fit);
    sharedObserver().observe(el);
    // A web font arriving late changes every width without resizing anything.
    const refit = () => {
      measurers.clear();
      fit();
    };
    document.fonts.addEventListener('loadingdone', refit);
    return () => {
      sharedObserver().unobserve(el);
      fitters.delete(el);
      document.fonts.removeEventListener('loadingdone', refit);
    };
  }, [text]);

  const cut = shown !== text;
  return (
    <span
      ref={ref}
      className={`middle-text${className ? ` ${className}` : ''}`}
      data-identifier={identifier}
      title={cut ? text : undefined}
    >
      {cut ? (
        <>
          <span aria-hidden="true">{shown}</span>
          <span className="sr-only">{text}</span>
        </>
      ) : (
        text
      )}
    </span>
  );
}
