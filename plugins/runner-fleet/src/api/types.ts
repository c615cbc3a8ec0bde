import type {
  FleetLoad,
  FleetRunnerCounts,
  FleetSample,
  MigrationPhase,
  ProjectScorecard,
  ScorecardHistoryPoint,
  ScorecardLevel,
} from '@runner-fleet/plugin-runner-fleet-common';

/** One fleet as the fleet overview lists it. @public */
export interface FleetSummary {
  /** Catalog entity reference, for example `resource:default/fleet-k8s-default`. */
  entityRef: string;
  namespace: string;
  name: string;
  title?: string;
  lifecycle: string;
  executor: string;
  tags: string[];
  access?: string;
  /** Maximum jobs at once across the fleet. */
  concurrency: number;
  runners: FleetRunnerCounts;
  /** Latest load sample, absent until the backend sampled the fleet once. */
  load?: FleetLoad;
}

/** GitLab's runner status values. @public */
export type RunnerStatus = 'online' | 'offline' | 'stale' | 'never_contacted';

/** One GitLab runner of a fleet. @public */
export interface FleetRunner {
  id: number;
  description: string;
  status: RunnerStatus;
  paused?: boolean;
  /** GitLab Runner version of the newest runner manager, for example `17.11.1`. */
  version?: string;
  architecture?: string;
  /** Cluster entity reference the runner runs on, when known. */
  cluster?: string;
  /** ISO timestamp of the runner's last contact with GitLab. */
  contactedAt?: string;
}

/** A page of items with the total count across pages. @public */
export interface Page<T> {
  items: T[];
  totalCount: number;
}

/** Failed jobs of a fleet over a time window. @public */
export interface FleetFailures {
  /** Window as requested, for example `1h` or `24h`. */
  window: string;
  /** Failed job counts keyed by GitLab's `failure_reason`. */
  byReason: Record<string, number>;
}

/** Jobs that ran on one day, by fleet. @public */
export interface MigrationDay {
  /** ISO date, YYYY-MM-DD. */
  date: string;
  /** Jobs per fleet entity reference. */
  jobsByFleet: Record<string, number>;
}

/** Jobs per day on the legacy fleet and on the Kubernetes fleets. @public */
export interface MigrationOverview {
  /** Entity reference of the legacy (Docker Machine) fleet. */
  legacyFleetRef?: string;
  /** ISO date on which the legacy fleet is decommissioned. */
  decommissionDate?: string;
  days: MigrationDay[];
}

/** Project counts by phase on one day. @public */
export interface ProgressPoint {
  date: string;
  byPhase: Partial<Record<MigrationPhase, number>>;
}

/** Projects by migration phase over time. @public */
export interface MigrationProgress {
  decommissionDate?: string;
  points: ProgressPoint[];
}

/** Dimension of a scorecard rollup. @public */
export type RollupDimension = 'owner' | 'group' | 'rule' | 'phase';

/** Scorecard counts for one owner, group, rule or phase. @public */
export interface RollupRow {
  /** Owner entity reference, GitLab group path, rule id or phase. */
  key: string;
  /** Human-readable name, for example the rule's title. */
  title?: string;
  /** Projects in this row; for rules, projects with an unwaived finding. */
  projects: number;
  byPhase?: Partial<Record<MigrationPhase, number>>;
  byLevel?: Partial<Record<ScorecardLevel, number>>;
  /** Projects that this rule blocks (rules only). */
  blocked?: number;
}

/** One project row of the organisation table. @public */
export interface ProjectRow {
  projectPath: string;
  entityRef?: string;
  owner?: string;
  group?: string;
  score: number;
  level: ScorecardLevel;
  phase: MigrationPhase;
  blockers?: number;
  warnings?: number;
  evaluatedAt?: string;
}

/** Query of the organisation's project table, paginated on the server. @public */
export interface ProjectQuery {
  /** Zero-based page. */
  page: number;
  pageSize: number;
  /** Field to sort by, for example `score`; prefix `-` for descending order. */
  sort?: string;
  /** Free-text filter on project path, owner and group. */
  filter?: string;
}

export type {
  FleetLoad,
  FleetSample,
  ProjectScorecard,
  ScorecardHistoryPoint,
};
