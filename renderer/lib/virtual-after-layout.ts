import {
  defaultRangeExtractor,
  elementScroll,
  observeElementOffset,
  type Rect,
  type Virtualizer,
  type VirtualizerOptions,
} from '@tanstack/react-virtual';

// A virtualizer that never reads or writes the page's layout inside React's commit.
//
// As its scroll element mounts, the library reads the element's size and scroll offset, and writes the offset back,
// in a layout effect. On a page that has just been rendered, each of those forced the page's first layout inside
// the commit: the opening of a big profile made its render and that layout one long task (issue 14, item 5).
// Here the size comes from a ResizeObserver, which reports an element once the frame's own layout has placed it,
// and the library's scroll observer starts then. Until that first report the virtualizer works from the window's
// size and an offset of 0, which is where a scroll element that has just mounted stands, and draws no overscan:
// nothing can have scrolled yet, and the rows below the window were a third of a big table's first commit.

type AfterLayoutOptions<T extends HTMLElement, I extends Element> = Pick<
  VirtualizerOptions<T, I>,
  'getScrollElement' | 'initialRect' | 'observeElementRect' | 'observeElementOffset' | 'scrollToFn' | 'rangeExtractor'
>;

/** Scroll elements the frame's layout has placed (their first ResizeObserver report came). */
const laidOut = new WeakSet<Element>();

/**
 * The options to spread into useVirtualizer for the scroll element `getScrollElement` returns, inside the window.
 * `below` is how far down the window the element starts at the least, in pixels: the first render draws rows for the
 * rest of the window's height only.
 */
export function afterLayoutOptions<T extends HTMLElement, I extends Element>(
  getScrollElement: () => T | null,
  below = 0,
): AfterLayoutOptions<T, I> {
  return {
    getScrollElement,
    // The element is never larger than the part of the window below where it can start. Drawn from that guess, the
    // first render has the rows in view, and the first report trims those that do not fit, or adds the few a low
    // guess left out (in a task of their own, after the first frame has painted).
    initialRect: { width: window.innerWidth, height: Math.max(0, window.innerHeight - below) },
    observeElementRect,
    observeElementOffset: observeOffsetOnceLaidOut,
    scrollToFn: (offset, options, instance) => {
      const element = instance.scrollElement;
      // Not laid out yet, it stands at 0: writing 0 only forced the layout (and scrolls nothing, so fires no event).
      if (element && !laidOut.has(element) && offset + (options.adjustments ?? 0) === 0) return;
      elementScroll(offset, options, instance);
    },
    // The first report changes the size, so the range is worked out again, overscan and all.
    rangeExtractor: (range) => {
      const element = getScrollElement();
      return defaultRangeExtractor(element && laidOut.has(element) ? range : { ...range, overscan: 0 });
    },
  };
}

/** The element's client size (what the library measures), each time the frame's layout changes it. */
function observeElementRect<T extends HTMLElement, I extends Element>(
  instance: Virtualizer<T, I>,
  cb: (rect: Rect) => void,
): () => void {
  const element = instance.scrollElement;
  if (!element) return () => undefined;
  const observer = new ResizeObserver(() => {
    laidOut.add(element);
    cb({ width: element.clientWidth, height: element.clientHeight });
  });
  observer.observe(element, { box: 'content-box' });
  return () => observer.disconnect();
}

/** The library's scroll observer, started once the element has been laid out (it can scroll from then on only). */
function observeOffsetOnceLaidOut<T extends HTMLElement, I extends Element>(
  instance: Virtualizer<T, I>,
  cb: (offset: number, isScrolling: boolean) => void,
): () => void {
  const element = instance.scrollElement;
  if (!element) return () => undefined;
  let stopScrollObserver: (() => void) | undefined;
  let stopped = false;
  const firstLayout = new ResizeObserver(() => {
    firstLayout.disconnect();
    laidOut.add(element);
    if (!stopped) stopScrollObserver = observeElementOffset(instance, cb);
  });
  firstLayout.observe(element);
  return () => {
    stopped = true;
    firstLayout.disconnect();
    stopScrollObserver?.();
  };
}
