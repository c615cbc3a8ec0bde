/**
 * The resolved pipeline model shared by the resolver (src/resolve) and the
 * migration rules (src/rules). The resolver produces a ResolvedPipeline; rules
 * read it and return findings. Keep this file free of Node.js imports so the
 * types can be used from browser code.
 */

/** A place in a CI configuration file, as the user sees it. */
export interface SourceLocation {
  /** Path relative to the project root, for example `.gitlab-ci.yml` or `ci/build.yml`. */
  file: string;
  /** 1-based line number. */
  line: number;
  /** 1-based column number. */
  column?: number;
}

/** A path into a job definition, for example `['image', 'entrypoint']` or `['script', 3]`. */
export type ValuePath = ReadonlyArray<string | number>;

/** A job after `include`, `extends`, `default`, `inherit`, anchors and `!reference` were applied. */
export interface ResolvedJob {
  name: string;
  /** The job definition as GitLab would run it, as plain JSON-compatible data. */
  definition: Record<string, unknown>;
  /** Location of the job's key. */
  location: SourceLocation;
  /**
   * Returns where a resolved value was written, following extends, default,
   * anchors, !reference and includes back to the file and line that set it.
   * Returns undefined when the path does not exist in the definition.
   */
  locate(path: ValuePath): SourceLocation | undefined;
  /** The job's direct `extends` parents, in the order written; empty when it has none. */
  extends?: string[];
  /**
   * Variables visible to the job: top-level `variables`
   * allowed by `inherit:variables`, overridden by the job's own `variables`.
   */
  effectiveVariables?: Record<string, unknown>;
}

/** Severity of a configuration error found while resolving. */
export type ConfigErrorCode =
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'include-cycle'
  | 'include-missing'
  | 'include-limit'
  | 'include-not-allowed'
  | 'file-too-large'
  | 'alias-limit'
  | 'extends-missing'
  | 'extends-cycle'
  | 'extends-depth'
  | 'reference-missing'
  | 'invalid-config';

/** A problem that stops GitLab from reading the configuration, or part of it. */
export interface ConfigError {
  code: ConfigErrorCode;
  /**
   * `warning` for problems GitLab accepts silently, such as a duplicate key;
   * absent or `error` for problems GitLab rejects.
   */
  severity?: 'error' | 'warning';
  /** A sentence that names the value and the action to take. */
  message: string;
  location: SourceLocation;
}

/** One file that took part in the resolution. */
export interface ResolvedFile {
  /** Path relative to the project root, or `project:group/name:path@ref`, `template:Name.gitlab-ci.yml`, `remote:https://…`. */
  file: string;
  /** The raw text, kept so fixes can rewrite it while keeping comments and layout. */
  text: string;
  /** The file that included this one, undefined for the root file. */
  includedFrom?: SourceLocation;
}

/** The outcome of resolving a project's CI configuration. */
export interface ResolvedPipeline {
  /** Visible jobs in file order; hidden jobs (names starting with `.`) and reserved keys are excluded. */
  jobs: ResolvedJob[];
  /** Top-level `variables`, resolved. */
  variables: Record<string, unknown>;
  /** Every file read, root first. */
  files: ResolvedFile[];
  /** Configuration errors; resolution goes on past recoverable ones. */
  errors: ConfigError[];
}
