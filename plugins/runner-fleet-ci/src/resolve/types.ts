import type { ConfigErrorCode } from '../model';

/**
 * Source of the files that a CI configuration includes. The CLI reads a
 * checkout on disk (see createDirectoryReader); a backend reads through the
 * GitLab API.
 *
 * A method may throw an IncludeReadError to reject a path, for example one
 * that leaves the project root. The resolver turns any thrown error into a
 * ConfigError and goes on.
 */
export interface IncludeReader {
  /** Returns the text, or undefined when the file does not exist. */
  readLocal(path: string): Promise<string | undefined>;
  readProject(
    project: string,
    path: string,
    ref?: string,
  ): Promise<string | undefined>;
  readTemplate(name: string): Promise<string | undefined>;
  readRemote(url: string): Promise<string | undefined>;
  readComponent?(component: string): Promise<string | undefined>;
  /**
   * Lists the local files that match a wildcard include such as
   * `ci/*.yml` or `configs/**.yml`, as paths relative to the project root.
   * Without it, wildcard local includes are reported as `include-missing`.
   */
  globLocal?(pattern: string): Promise<string[]>;
}

export interface ResolveOptions {
  reader: IncludeReader;
  /** Path of the root configuration file; default `.gitlab-ci.yml`. */
  rootFile?: string;
  /** Text of the root file when the caller already has it. */
  rootText?: string;
  /**
   * Host names that remote includes may be fetched from; default none, so
   * remote includes are reported as `include-not-allowed` and not fetched.
   */
  allowedRemoteHosts?: string[];
  /** Maximum number of included files, nested ones counted; default 150, GitLab's default. */
  maxIncludes?: number;
  /**
   * Maximum size of one file in bytes (UTF-8); default 2 MiB, matching
   * GitLab's default `max_yaml_size_bytes` application setting.
   */
  maxFileBytes?: number;
  /**
   * Limit passed to the `yaml` package as `maxAliasCount`; default 100,000.
   * The package weighs each alias use by the aliases inside its target, so
   * real files reach tens of thousands: gitlab-org/gitlab's 2018
   * `.gitlab-ci.yml` needs more than 10,000. The package's own default of
   * 100 rejects files that use one anchor more than 100 times.
   */
  maxAliasCount?: number;
  /**
   * Maximum number of values in one document after aliases are expanded;
   * default 1,000,000. Stops alias bombs that stay under maxAliasCount.
   */
  maxExpandedNodes?: number;
  /** Project path such as `physics/detector-sim`, used for `$CI_PROJECT_PATH` in include paths. */
  projectPath?: string;
  /** Host name of the GitLab instance, such as `gitlab.example.org`, for `$CI_SERVER_HOST` and `$CI_SERVER_FQDN`. */
  serverHost?: string;
  /** Variables for include path interpolation, added to the predefined ones; for example `CI_COMMIT_REF_NAME`. */
  includeVariables?: Record<string, string>;
}

/** An error a reader throws to report a rejected include with a specific code. */
export class IncludeReadError extends Error {
  readonly code: ConfigErrorCode;

  constructor(code: ConfigErrorCode, message: string) {
    super(message);
    this.name = 'IncludeReadError';
    this.code = code;
  }
}
