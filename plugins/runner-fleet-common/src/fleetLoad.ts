/** Queue wait percentiles in seconds, from recent jobs. @public */
export interface QueueWaitPercentiles {
  p50: number;
  p90: number;
  p99: number;
}

/** Current load of one runner fleet, as the backend's REST API returns it. @public */
export interface FleetLoad {
  /** Catalog entity reference of the fleet. */
  fleetRef: string;
  runningJobs: number;
  pendingJobs: number;
  /** Jobs started per minute, averaged over the sampling window. */
  jobsStartedPerMinute: number;
  queueWaitSeconds: QueueWaitPercentiles;
  /** Failed job counts keyed by GitLab's `failure_reason`. */
  failuresByReason: Record<string, number>;
  /** Maximum jobs at once, from the fleet's spec. */
  concurrency?: number;
  /** Source of the numbers. */
  source: 'gitlab' | 'prometheus';
  /** ISO timestamp of the sample. */
  sampledAt: string;
}

/** One stored sample of a fleet's load. @public */
export interface FleetSample {
  sampledAt: string;
  runningJobs: number;
  pendingJobs: number;
  jobsStartedPerMinute: number;
  queueWaitSeconds: QueueWaitPercentiles;
}

/** Runner counts of a fleet by status, using GitLab's definitions. @public */
export interface FleetRunnerCounts {
  online: number;
  /** No contact for more than 2 hours. */
  offline: number;
  /** No contact for more than 7 days, or never contacted and created more than 7 days ago. */
  stale: number;
  neverContacted: number;
  paused: number;
  total: number;
}

/**
 * Facts that discovery writes into `spec.live` of a fleet entity at each
 * sync. Declared fleets get them merged in. They are not meant to be set by hand.
 * @public
 */
export interface FleetLiveFacts {
  runners: FleetRunnerCounts;
  /** GitLab Runner versions in use, from the runner managers, newest first. */
  versions: string[];
  /** Architectures reported by the runner managers. */
  architectures: string[];
  /** True when any runner of the fleet picks up untagged jobs. */
  runUntagged: boolean;
  /** Union of the runners' tags. */
  tags: string[];
  /** GitLab runner ids in the fleet. */
  runnerIds: number[];
  /** ISO timestamp of the sync that produced these facts. */
  syncedAt: string;
}
