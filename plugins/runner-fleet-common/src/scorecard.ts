/** Severity of a finding: how much it blocks running on Kubernetes runners. @public */
export type FindingSeverity = 'blocker' | 'warning' | 'info';

/**
 * Readiness of a project: `blocked` while any unwaived blocker remains,
 * `needs-changes` while any unwaived warning remains, otherwise `ready`.
 * @public
 */
export type ScorecardLevel = 'blocked' | 'needs-changes' | 'ready';

/**
 * Migration phase of a project, derived from its jobs and tags:
 * `legacy` (still on the legacy tag), `opted-in` (uses the opt-in tag),
 * `on-kubernetes` (its jobs run on Kubernetes fleets), `migrated`
 * (no job needs the legacy fleet any more).
 * @public
 */
export type MigrationPhase =
  | 'legacy'
  | 'opted-in'
  | 'on-kubernetes'
  | 'migrated';

/** A place in a CI configuration file. @public */
export interface FindingLocation {
  file: string;
  line: number;
  column?: number;
}

/** A waiver that a project recorded for a rule. @public */
export interface FindingWaiver {
  reason: string;
  /** ISO date (YYYY-MM-DD) after which the waiver no longer applies. */
  expires: string;
}

/** One rule violation in one job. @public */
export interface ScorecardFinding {
  ruleId: string;
  severity: FindingSeverity;
  title: string;
  message: string;
  fix: string;
  /** Job name, or undefined for a finding about the whole file. */
  job?: string;
  location?: FindingLocation;
  /** Present when a valid, unexpired waiver covers the finding. */
  waiver?: FindingWaiver;
  /** True when the engine can apply the fix automatically. */
  autoFixable?: boolean;
}

/** A configuration error that stopped part of the analysis. @public */
export interface ScorecardConfigError {
  code: string;
  message: string;
  location?: FindingLocation;
}

/** Evidence from a project's recent jobs. @public */
export interface JobEvidence {
  /** Jobs counted, over `windowDays`. */
  jobs: number;
  windowDays: number;
  /** Jobs per fleet entity reference. */
  jobsByFleet: Record<string, number>;
  /** Failure rate on the legacy fleet before the move, 0 to 1, when known. */
  failureRateBefore?: number;
  /** Failure rate on Kubernetes fleets after the move, 0 to 1, when known. */
  failureRateAfter?: number;
}

/** The migration scorecard of one GitLab project. @public */
export interface ProjectScorecard {
  /** GitLab project path, for example `physics/atlas-analysis`. */
  projectPath: string;
  projectId?: number;
  /** Catalog entity reference of the component, when one is known. */
  entityRef?: string;
  /** 0 to 100; the formula is documented with the migration engine. */
  score: number;
  level: ScorecardLevel;
  phase: MigrationPhase;
  findings: ScorecardFinding[];
  configErrors: ScorecardConfigError[];
  evidence?: JobEvidence;
  /** Blob id of the root CI file that was analysed. */
  blobId?: string;
  /** ISO timestamp of the evaluation. */
  evaluatedAt: string;
  /** Link to the CI file in GitLab. */
  webUrl?: string;
}

/** A point in a project's scorecard history. @public */
export interface ScorecardHistoryPoint {
  evaluatedAt: string;
  score: number;
  level: ScorecardLevel;
  phase: MigrationPhase;
}
