import type { FleetLoad, FleetSample } from './fleetLoad';
import type {
  MigrationPhase,
  ProjectScorecard,
  ScorecardHistoryPoint,
  ScorecardLevel,
} from './scorecard';

/** A page of a list returned by the Runner Fleet backend. @public */
export interface Page<T> {
  items: T[];
  totalCount: number;
  /** 1-based page number. */
  page: number;
  pageSize: number;
}

/** One stored sample with its resolution, from `GET /fleets/:namespace/:name/samples`. @public */
export interface FleetSampleRow extends FleetSample {
  /** Seconds between samples: the sampling frequency, or the backfill step. */
  resolutionSeconds: number;
  /** Jobs that started since the previous sample. */
  jobsStarted: number;
  source: 'gitlab' | 'prometheus' | 'backfill';
}

/** A runner of a fleet, from `GET /fleets/:namespace/:name/runners`. @public */
export interface FleetRunner {
  id: number;
  description?: string;
  /** GitLab's runner status: online, offline, stale or never_contacted. */
  status?: string;
  paused: boolean;
  runnerType?: string;
  tags: string[];
  /** Newest GitLab Runner version among the runner's managers. */
  version?: string;
  architecture?: string;
  platform?: string;
  /** ISO timestamp of the last contact of any of the runner's managers. */
  contactedAt?: string;
  managers: number;
  /** Catalog reference of the cluster the runner runs on, when known. */
  cluster?: string;
  /** No contact for longer than `runnerFleet.runners.staleAfter`, or never. */
  stale: boolean;
  /** Version below `runnerFleet.runners.minimumVersion`, or an older minor than the newest runner. */
  outdated: boolean;
}

/** Failed jobs of a fleet over a window, from `GET /fleets/:namespace/:name/failures`. @public */
export interface FleetFailures {
  fleetRef: string;
  windowSeconds: number;
  total: number;
  /** Counts by GitLab `failure_reason`, largest first. */
  items: Array<{ reason: string; count: number }>;
}

/** Jobs per day on the legacy fleet against the Kubernetes fleets, from `GET /overview/migration`. @public */
export interface MigrationOverview {
  legacyFleetRef: string;
  decommissionDate: string;
  items: Array<{
    /** ISO date (YYYY-MM-DD, UTC). */
    day: string;
    legacyJobs: number;
    kubernetesJobs: number;
    /** Jobs per Kubernetes fleet entity reference. */
    byFleet: Record<string, number>;
  }>;
}

/** One project in `GET /projects`, without findings. @public */
export interface ProjectSummary {
  projectPath: string;
  projectId?: number;
  entityRef?: string;
  ownerRef?: string;
  group: string;
  score?: number;
  level?: ScorecardLevel;
  phase?: MigrationPhase;
  blockers: number;
  warnings: number;
  infos: number;
  configErrors: number;
  evaluatedAt?: string;
  /** Message of the last failed evaluation, if the last attempt failed. */
  error?: string;
  webUrl?: string;
}

/** Aggregates over every project that matches the filter of `GET /projects`. @public */
export interface ProjectAggregates {
  byPhase: Record<MigrationPhase, number>;
  byLevel: Record<ScorecardLevel, number>;
  averageScore?: number;
  /** Matching projects not evaluated yet. */
  pending: number;
}

/** Response of `GET /projects`. @public */
export interface ProjectsPage extends Page<ProjectSummary> {
  aggregates: ProjectAggregates;
}

/** Response of `GET /scorecards/:projectRef/history`. @public */
export interface ScorecardHistory {
  projectPath: string;
  items: ScorecardHistoryPoint[];
}

/** One group of `GET /rollups`. @public */
export interface ScorecardRollup {
  /** Owner entity reference, top-level GitLab group, rule id or phase. */
  key: string;
  projects: number;
  averageScore?: number;
  byLevel: Record<ScorecardLevel, number>;
  byPhase: Record<MigrationPhase, number>;
  /** Unwaived blocker findings summed over the projects; for `by=rule`, findings of the rule. */
  findings: number;
  /** Only for `by=rule`. */
  severity?: string;
}

/** Response of `GET /rollups`. @public */
export interface ScorecardRollups {
  by: 'owner' | 'group' | 'rule' | 'phase';
  items: ScorecardRollup[];
}

/** Response of `GET /progress`. @public */
export interface MigrationProgress {
  decommissionDate: string;
  /** Whole days from today (UTC) to the decommission date; negative once it passed. */
  daysToDecommission: number;
  current: Record<MigrationPhase, number>;
  items: Array<{ day: string; byPhase: Record<MigrationPhase, number> }>;
}

/** Response of `POST /scorecards/:projectRef/refresh`. @public */
export interface ScorecardRefreshResult {
  scorecard: ProjectScorecard;
  /** False when nothing changed since the last evaluation, so the stored result was kept. */
  reanalyzed: boolean;
}

/** Response of `GET /fleets`. @public */
export type FleetsResponse = Page<FleetLoad>;

/** Jobs that one cluster behind a fleet took in the fleet's newest GitLab sample. @public */
export interface FleetClusterLoad {
  /** Catalog entity reference of the cluster. */
  clusterRef: string;
  /** Jobs running on the cluster's runners when the sample was taken. */
  runningJobs: number;
  /** Jobs that started on the cluster's runners in the sampling window (`runnerFleet.sampling.window`). */
  jobsStarted: number;
  /**
   * Fraction from 0 to 1, rounded to 4 decimals, of the fleet's jobs started
   * in the window that this cluster took. It is 0 for every cluster when no
   * job started.
   */
  share: number;
}

/**
 * Response of `GET /fleets/:namespace/:name/load` and an item of
 * `GET /fleets`: the fleet's load with its jobs per cluster.
 * @public
 */
export interface FleetLoadResponse extends FleetLoad {
  /**
   * Clusters from the fleet's `spec.clusters` and from runner descriptions
   * of the form `<tag> @ <cluster>`. Empty for samples from Prometheus or
   * backfill, which have no runner per job.
   */
  clusters: FleetClusterLoad[];
}
