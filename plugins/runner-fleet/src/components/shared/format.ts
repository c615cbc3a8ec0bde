/** Formats seconds as `42 s`, `3.5 min` or `1.2 h`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return '–';
  }
  if (seconds < 120) {
    return `${Math.round(seconds)} s`;
  }
  if (seconds < 7200) {
    return `${(seconds / 60).toFixed(1)} min`;
  }
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Formats a ratio between 0 and 1 as a whole percentage. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) {
    return '–';
  }
  return `${Math.round(ratio * 100)} %`;
}

/** Formats the time since an ISO timestamp, for example `5 min ago`. */
export function formatAge(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) {
    return 'never';
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return iso;
  }
  const seconds = Math.max(0, (now - time) / 1000);
  if (seconds < 90) {
    return `${Math.round(seconds)} s ago`;
  }
  if (seconds < 5400) {
    return `${Math.round(seconds / 60)} min ago`;
  }
  if (seconds < 2 * 86400) {
    return `${Math.round(seconds / 3600)} h ago`;
  }
  return `${Math.round(seconds / 86400)} days ago`;
}
