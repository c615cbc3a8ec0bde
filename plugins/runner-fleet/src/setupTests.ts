import '@testing-library/jest-dom';

/**
 * jsdom has no ResizeObserver and lays nothing out, so recharts'
 * ResponsiveContainer would measure 0 × 0 and draw nothing. This stand-in
 * reports an 800 × 300 box once on observe, which lets tests see the
 * rendered axes and series.
 */
class FixedSizeResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}

  observe(target: Element) {
    this.callback(
      [{ target, contentRect: { width: 800, height: 300 } } as unknown as ResizeObserverEntry],
      this as unknown as ResizeObserver,
    );
  }

  unobserve() {}

  disconnect() {}
}

if (!('ResizeObserver' in globalThis)) {
  (globalThis as any).ResizeObserver = FixedSizeResizeObserver;
}
