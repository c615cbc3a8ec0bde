import type { FleetRunner } from '@runner-fleet/plugin-runner-fleet-common';

/** GitLab marks a runner stale after 7 days without contact. */
export const STALE_AFTER_MS = 7 * 24 * 3600 * 1000;

/** Parses `17.11.1` (or `v17.11.1~beta`) into numbers; undefined when it is no version. */
export function parseVersion(version: string | undefined): number[] | undefined {
  const match = version?.match(/^v?(\d+)\.(\d+)(?:\.(\d+))?/);
  if (!match) {
    return undefined;
  }
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Compares two parsed versions like `Array.prototype.sort` expects. */
function compareParsed(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return 0;
}

/** Returns the newest version among `versions`, or undefined when none parses. */
export function newestVersion(versions: Array<string | undefined>): string | undefined {
  let newest: { text: string; parsed: number[] } | undefined;
  for (const text of versions) {
    const parsed = parseVersion(text);
    if (parsed && (!newest || compareParsed(parsed, newest.parsed) > 0)) {
      newest = { text: text!, parsed };
    }
  }
  return newest?.text;
}

/**
 * A runner is on an old version when its major.minor is below the newest
 * one in the fleet; patch releases do not count.
 */
export function isOldVersion(version: string | undefined, newest: string | undefined): boolean {
  const own = parseVersion(version);
  const best = parseVersion(newest);
  if (!own || !best) {
    return false;
  }
  return own[0] < best[0] || (own[0] === best[0] && own[1] < best[1]);
}

/**
 * True when the backend or GitLab marks the runner stale, or its last
 * contact is older than 7 days.
 */
export function isStale(
  runner: Pick<FleetRunner, 'stale' | 'status' | 'contactedAt'>,
  now: number = Date.now(),
): boolean {
  if (runner.stale || runner.status === 'stale') {
    return true;
  }
  if (!runner.contactedAt) {
    return false;
  }
  const contacted = Date.parse(runner.contactedAt);
  return !Number.isNaN(contacted) && now - contacted > STALE_AFTER_MS;
}
