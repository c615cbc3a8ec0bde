import type { FleetSample } from '@runner-fleet/plugin-runner-fleet-common';

/** A selectable time range and the bucket size its charts use. */
export interface TimeRange {
  id: string;
  label: string;
  durationMs: number;
  /** Bucket size in ms; 0 plots every stored sample. */
  bucketMs: number;
  /** Failure window passed to the backend, in its `15m` / `1h` / `24h` form. */
  failureWindow: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Short ranges plot every sample, so a scale-up from 0 to 100 jobs within a
 * minute shows as it happened. Long ranges take the maximum per bucket, so
 * peaks survive the downsampling.
 */
export const TIME_RANGES: TimeRange[] = [
  { id: '15m', label: 'Last 15 minutes', durationMs: 15 * MINUTE, bucketMs: 0, failureWindow: '15m' },
  { id: '1h', label: 'Last hour', durationMs: HOUR, bucketMs: 0, failureWindow: '1h' },
  { id: '6h', label: 'Last 6 hours', durationMs: 6 * HOUR, bucketMs: MINUTE, failureWindow: '6h' },
  { id: '24h', label: 'Last day', durationMs: 24 * HOUR, bucketMs: 5 * MINUTE, failureWindow: '24h' },
  { id: '7d', label: 'Last 7 days', durationMs: 7 * 24 * HOUR, bucketMs: HOUR, failureWindow: '7d' },
];

/** A point of the fleet load charts; `time` is epoch milliseconds. */
export interface LoadPoint {
  time: number;
  runningJobs: number;
  pendingJobs: number;
  p50: number;
  p90: number;
  p99: number;
}

/**
 * Turns samples into chart points. With a bucket size, each bucket becomes
 * one point at the bucket start holding the maximum of each series. Samples
 * with an unparseable timestamp are dropped.
 */
export function toLoadPoints(samples: FleetSample[], bucketMs: number): LoadPoint[] {
  const points: LoadPoint[] = [];
  for (const sample of samples) {
    const time = Date.parse(sample.sampledAt);
    if (Number.isNaN(time)) {
      continue;
    }
    points.push({
      time,
      runningJobs: sample.runningJobs,
      pendingJobs: sample.pendingJobs,
      p50: sample.queueWaitSeconds.p50,
      p90: sample.queueWaitSeconds.p90,
      p99: sample.queueWaitSeconds.p99,
    });
  }
  points.sort((a, b) => a.time - b.time);
  if (bucketMs <= 0) {
    return points;
  }

  const buckets = new Map<number, LoadPoint>();
  for (const point of points) {
    const start = Math.floor(point.time / bucketMs) * bucketMs;
    const bucket = buckets.get(start);
    if (!bucket) {
      buckets.set(start, { ...point, time: start });
      continue;
    }
    bucket.runningJobs = Math.max(bucket.runningJobs, point.runningJobs);
    bucket.pendingJobs = Math.max(bucket.pendingJobs, point.pendingJobs);
    bucket.p50 = Math.max(bucket.p50, point.p50);
    bucket.p90 = Math.max(bucket.p90, point.p90);
    bucket.p99 = Math.max(bucket.p99, point.p99);
  }
  return [...buckets.values()];
}

/**
 * Finds the fastest rise of running jobs within `windowMs`, as the number of
 * jobs added and the time of the point where the rise ended. Returns
 * undefined when running jobs never rose.
 */
export function fastestRise(
  points: LoadPoint[],
  windowMs: number,
): { added: number; at: number } | undefined {
  let best: { added: number; at: number } | undefined;
  let start = 0;
  for (let end = 0; end < points.length; end++) {
    while (points[end].time - points[start].time > windowMs) {
      start++;
    }
    let lowest = points[start].runningJobs;
    for (let i = start; i <= end; i++) {
      lowest = Math.min(lowest, points[i].runningJobs);
    }
    const added = points[end].runningJobs - lowest;
    if (added > 0 && (!best || added > best.added)) {
      best = { added, at: points[end].time };
    }
  }
  return best;
}

/** Formats an axis tick: clock time for ranges up to a day, date and hour beyond. */
export function formatTick(time: number, range: TimeRange): string {
  const date = new Date(time);
  if (range.durationMs > 24 * HOUR) {
    return date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit' });
  }
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
