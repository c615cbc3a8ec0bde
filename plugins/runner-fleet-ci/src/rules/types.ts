import type {
  ResolvedJob,
  ResolvedPipeline,
  SourceLocation,
  ValuePath,
} from '../model';
import type { EngineConfig } from '../config';

/**
 * How a finding affects the migration:
 * - `blocker`: the job fails on the Kubernetes executor as written.
 * - `warning`: the job may fail, hang or behave differently on Kubernetes.
 * - `info`: nothing breaks, but the configuration should change before the
 *   Docker Machine fleet is decommissioned.
 */
export type Severity = 'blocker' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['blocker', 'warning', 'info'];

/**
 * An automatic fix that edits one YAML value in one file. The fix engine
 * finds the value by the location the resolver reported, so fixes follow
 * `extends` and includes to the file that wrote the value.
 */
export type AutoFix =
  | {
      kind: 'remove-sequence-item';
      /** Where the item is written, as returned by `job.locate`. */
      location: SourceLocation;
      /** The item's current value, checked before the edit. */
      expected: string;
      description: string;
    }
  | {
      kind: 'replace-in-scalar';
      location: SourceLocation;
      /** The scalar's current value, checked before the edit. */
      expected: string;
      search: string;
      replacement: string;
      description: string;
    };

/** What a rule reports for one job; the engine adds the rule's metadata. */
export interface RuleHit {
  /** A sentence about this occurrence, naming the value that triggered it. */
  message: string;
  /** The line that set the value. Defaults to the job's own location. */
  location?: SourceLocation;
  /** Overrides the rule's severity for this hit, for example after a date. */
  severity?: Severity;
  autoFix?: AutoFix;
}

/** Everything a rule may read besides the job. */
export interface RuleContext {
  pipeline: ResolvedPipeline;
  config: EngineConfig;
  /** The moment the analysis runs; rules compare dates against it. */
  now: Date;
}

/**
 * A migration rule. Built-in rules live in one file each under `src/rules/`;
 * an organisation can pass its own objects of this shape to
 * `analyzePipeline` through `AnalyzeOptions.rules`.
 */
export interface Rule {
  /** Stable id in kebab-case, used in waivers and reports. */
  id: string;
  severity: Severity;
  title: string;
  /** Reason the pattern breaks or changes on the Kubernetes executor. */
  rationale: string;
  /** Pattern the rule looks for, in one or two sentences. */
  detection: string;
  /** Change the project should make. */
  fix: string;
  /** Reports every occurrence in one job; returns an empty array when the job is fine. */
  check(job: ResolvedJob, context: RuleContext): RuleHit[];
}

/** A rule's metadata without its check function, as `listRules()` returns it. */
export type RuleDescription = Omit<Rule, 'check'> & {
  /** True when the rule can change the configuration with `--fix`. */
  autoFixable: boolean;
  /** `builtin` for rules shipped here, `custom` for an organisation's own. */
  source: 'builtin' | 'custom';
};

/** A value in a job together with the path that `job.locate` understands. */
export interface LocatedValue<T> {
  value: T;
  path: ValuePath;
}
