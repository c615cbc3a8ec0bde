import type { ConfigError, SourceLocation } from '../model';
import type { AutoFix, Severity } from '../rules/types';
import type { Waiver, WaiverProblem } from '../waivers';

/** One occurrence of a rule in one job. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  /** A sentence about this occurrence, naming the value that triggered it. */
  message: string;
  /** Change to make, from the rule. */
  fix: string;
  /** Name of the job. */
  job: string;
  /** The line that set the value, following extends and includes. */
  location: SourceLocation;
  /** True when a waiver in `.runner-fleet.yaml` covers the finding. */
  waived?: boolean;
  waiver?: Waiver;
  autoFix?: AutoFix;
}

/** Readiness of the project to run on the Kubernetes fleets. */
export type ReadinessLevel = 'ready' | 'needs-changes' | 'blocked';

/** The outcome of checking one resolved pipeline. */
export interface AnalysisResult {
  findings: Finding[];
  /** 0 to 100; see docs/scorecard.md for the formula. */
  score: number;
  level: ReadinessLevel;
  /** Configuration errors from resolving the pipeline. */
  configErrors: ConfigError[];
  /** Waivers that expired, name unknown rules or match nothing. */
  waiverProblems: WaiverProblem[];
  /** Counts of unwaived findings per severity. */
  counts: Record<Severity, number>;
  /** Number of jobs checked. */
  jobCount: number;
}
