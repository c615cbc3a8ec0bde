import type {
  FleetLiveFacts,
  FleetRunnerCounts,
} from '@runner-fleet/plugin-runner-fleet-common';
import type {
  GitLabRunnerStatus,
  GitLabRunnerType,
} from '@runner-fleet/plugin-runner-fleet-node';

/** GitLab marks a runner offline after 2 hours without contact. */
export const OFFLINE_AFTER_MS = 2 * 60 * 60 * 1000;
/** GitLab marks a runner stale after 7 days without contact, or 7 days after creation when it never connected. */
export const STALE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

/** One runner manager as discovery keeps it. */
export interface ObservedManager {
  systemId: string;
  version?: string;
  platform?: string;
  architecture?: string;
  contactedAt?: string;
}

/** One GitLab runner with its details and managers, as read in one sync. */
export interface ObservedRunner {
  id: number;
  description: string;
  runnerType: GitLabRunnerType;
  paused: boolean;
  tags: string[];
  runUntagged: boolean;
  /** `status` as GitLab reported it, used when contact times are missing. */
  reportedStatus: GitLabRunnerStatus;
  contactedAt?: string;
  createdAt?: string;
  managers: ObservedManager[];
  /** False when GitLab returned no manager list (404 or 403), so version and architecture are unknown. */
  managersKnown: boolean;
  /** Runner-level version and architecture from GitLab before 17; empty on GitLab 17 and later. */
  legacyVersion?: string;
  legacyArchitecture?: string;
}

/** Status of a runner at `nowMs`, following GitLab's thresholds. */
export function classifyRunner(
  runner: ObservedRunner,
  nowMs: number,
): GitLabRunnerStatus {
  const contactTimes = [
    runner.contactedAt,
    ...runner.managers.map(m => m.contactedAt),
  ]
    .map(value => (value ? Date.parse(value) : NaN))
    .filter(value => !Number.isNaN(value));

  if (contactTimes.length > 0) {
    const sinceContact = nowMs - Math.max(...contactTimes);
    if (sinceContact > STALE_AFTER_MS) {
      return 'stale';
    }
    return sinceContact > OFFLINE_AFTER_MS ? 'offline' : 'online';
  }

  const createdMs = runner.createdAt ? Date.parse(runner.createdAt) : NaN;
  if (!Number.isNaN(createdMs)) {
    return nowMs - createdMs > STALE_AFTER_MS ? 'stale' : 'never_contacted';
  }
  return runner.reportedStatus;
}

/**
 * Compares GitLab Runner versions such as `18.5.0`, `17.11.3` or
 * `18.6.0~pre.123.g1234abcd`, newest first. Versions that do not start with
 * three numbers sort after the others, by text.
 */
export function compareVersionsNewestFirst(a: string, b: string): number {
  const parse = (version: string) =>
    /^v?(\d+)\.(\d+)\.(\d+)(.*)$/.exec(version.trim());
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) {
    if (left) return -1;
    if (right) return 1;
    return a.localeCompare(b);
  }
  for (let i = 1; i <= 3; i++) {
    const difference = Number(right[i]) - Number(left[i]);
    if (difference !== 0) {
      return difference;
    }
  }
  // A release ("") is newer than its pre-release ("~pre..." or "-rc1").
  if (left[4] === right[4]) return 0;
  if (left[4] === '') return -1;
  if (right[4] === '') return 1;
  return right[4].localeCompare(left[4]);
}

function versionsOf(runner: ObservedRunner): string[] {
  const fromManagers = runner.managers
    .map(m => m.version)
    .filter((v): v is string => Boolean(v));
  if (fromManagers.length > 0) {
    return fromManagers;
  }
  return runner.legacyVersion ? [runner.legacyVersion] : [];
}

function architecturesOf(runner: ObservedRunner): string[] {
  const fromManagers = runner.managers
    .map(m => m.architecture)
    .filter((v): v is string => Boolean(v));
  if (fromManagers.length > 0) {
    return fromManagers;
  }
  return runner.legacyArchitecture ? [runner.legacyArchitecture] : [];
}

/** Computes the live facts of a fleet from its runners at `syncedAt`. */
export function computeLiveFacts(
  runners: ObservedRunner[],
  syncedAt: Date,
): FleetLiveFacts {
  const nowMs = syncedAt.getTime();
  const counts: FleetRunnerCounts = {
    online: 0,
    offline: 0,
    stale: 0,
    neverContacted: 0,
    paused: 0,
    total: runners.length,
  };
  const versions = new Set<string>();
  const architectures = new Set<string>();
  const tags = new Set<string>();
  let runUntagged = false;

  for (const runner of runners) {
    const status = classifyRunner(runner, nowMs);
    if (status === 'never_contacted') {
      counts.neverContacted += 1;
    } else {
      counts[status] += 1;
    }
    if (runner.paused) {
      counts.paused += 1;
    }
    versionsOf(runner).forEach(v => versions.add(v));
    architecturesOf(runner).forEach(a => architectures.add(a));
    runner.tags.forEach(t => tags.add(t));
    runUntagged ||= runner.runUntagged;
  }

  return {
    runners: counts,
    versions: [...versions].sort(compareVersionsNewestFirst),
    architectures: [...architectures].sort(),
    runUntagged,
    tags: [...tags].sort(),
    runnerIds: runners.map(r => r.id).sort((a, b) => a - b),
    syncedAt: syncedAt.toISOString(),
  };
}
