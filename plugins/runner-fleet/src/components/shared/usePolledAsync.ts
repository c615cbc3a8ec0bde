import { DependencyList } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';

/** How often dashboards fetch fresh data, in milliseconds. */
export const POLL_INTERVAL_MS = 15_000;

/**
 * Runs `fn` now and again every `intervalMs`. While a refresh runs, `value`
 * keeps the previous result, so pages update in place instead of flashing a
 * progress bar. Pass `intervalMs: null` to stop polling.
 */
export function usePolledAsync<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
  intervalMs: number | null = POLL_INTERVAL_MS,
) {
  const state = useAsyncRetry(fn, deps);
  useInterval(state.retry, intervalMs);
  return state;
}
