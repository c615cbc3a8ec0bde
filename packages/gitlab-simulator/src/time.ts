export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Formats epoch milliseconds as GitLab does, for example `2026-12-04T10:15:30.123Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Formats epoch milliseconds or null, for optional timestamp fields. */
export function isoTimeOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || Number.isNaN(ms)
    ? null
    : isoTime(ms);
}

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}
