/**
 * Parses an HTTP `Retry-After` value, either delay-seconds or an HTTP date
 * (RFC 9110, section 10.2.3), into milliseconds from `nowMs`.
 *
 * Returns undefined for a missing or unparseable value, and 0 for a date in
 * the past.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  // All three HTTP-date formats start with a day name; this keeps
  // Date.parse from accepting values such as "-5" or "1.5".
  const dateMs = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : NaN;
  if (Number.isNaN(dateMs)) {
    return undefined;
  }
  return Math.max(0, dateMs - nowMs);
}

/**
 * Computes the wait before retry number `retry` (0 for the first retry):
 * exponential growth from `baseDelayMs`, capped at `maxDelayMs`, with
 * "equal jitter" so the wait is between half and all of the capped value.
 * Jitter spreads out clients that failed at the same moment.
 */
export function computeBackoffDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const capped = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  const half = capped / 2;
  return Math.round(half + random() * half);
}

/** HTTP statuses after which an idempotent request is retried. */
export const RETRYABLE_SERVER_STATUSES: ReadonlySet<number> = new Set([
  500, 502, 503, 504,
]);

/** Methods that are safe to send twice. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'PUT',
  'DELETE',
]);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Resolves after `ms` milliseconds, or rejects when `signal` aborts first. */
export function sleepWithSignal(
  ms: number,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
