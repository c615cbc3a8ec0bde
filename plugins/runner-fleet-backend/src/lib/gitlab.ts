/** A CI job as the GitLab jobs APIs return it, reduced to the fields used here. */
export interface GitLabJob {
  id: number;
  status: string;
  name?: string;
  created_at?: string | null;
  started_at?: string | null;
  finished_at?: string | null;
  /** Seconds the job waited in the queue before a runner picked it up. */
  queued_duration?: number | null;
  failure_reason?: string | null;
  tag_list?: string[];
  runner?: { id: number; description?: string } | null;
  project?: { id?: number; path_with_namespace?: string } | null;
  pipeline?: { project_id?: number } | null;
}

/** A runner as `GET /runners/:id` returns it, reduced to the fields used here. */
export interface GitLabRunner {
  id: number;
  description?: string;
  status?: string;
  paused?: boolean;
  online?: boolean | null;
  runner_type?: string;
  tag_list?: string[];
  version?: string | null;
  architecture?: string | null;
  platform?: string | null;
  contacted_at?: string | null;
  created_at?: string | null;
}

/** A runner manager as `GET /runners/:id/managers` returns it. */
export interface GitLabRunnerManager {
  id: number;
  system_id?: string;
  version?: string | null;
  architecture?: string | null;
  platform?: string | null;
  contacted_at?: string | null;
  status?: string;
}

/** A project as `GET /projects/:id` returns it, reduced to the fields used here. */
export interface GitLabProject {
  id: number;
  path_with_namespace: string;
  default_branch?: string | null;
  web_url?: string;
  ci_config_path?: string | null;
  namespace?: { full_path?: string };
  archived?: boolean;
}

/** Identity of a repository file from a `HEAD` request on the files API. */
export interface GitLabFileHead {
  blobId: string;
  /** Commit at the tip of the ref. */
  commitId?: string;
  /** Last commit that changed the file. */
  lastCommitId?: string;
  size?: number;
}

/** Options of the job listings. */
export interface ListJobsOptions {
  status?: string | string[];
  /** Stop after this many jobs; default one page of 100. */
  limit?: number;
  /** Stop paging once jobs were created before this time (jobs come newest first). */
  createdAfter?: Date;
}

/**
 * The GitLab calls the backend makes. The production implementation wraps
 * the shared client of `@runner-fleet/plugin-runner-fleet-node`; tests may
 * pass their own.
 */
export interface GitLabApi {
  getRunner(runnerId: number): Promise<GitLabRunner>;
  /** Lists all runners of the instance (`GET /runners/all`), optionally those with all of `tagList`; needs an administrator token. */
  listAllRunners(filter?: { tagList?: string[] }): Promise<GitLabRunner[]>;
  listRunnerManagers(runnerId: number): Promise<GitLabRunnerManager[]>;
  listRunnerJobs(
    runnerId: number,
    options?: ListJobsOptions,
  ): Promise<GitLabJob[]>;
  /** Lists pending jobs across the instance; needs an administrator token. Returns undefined when the API is not available. */
  listPendingJobs(options?: { limit?: number }): Promise<GitLabJob[] | undefined>;
  getProject(projectIdOrPath: number | string): Promise<GitLabProject>;
  /** Iterates over every project the token can see, page by page. */
  listProjects(): AsyncIterable<GitLabProject[]>;
  listProjectJobs(
    projectIdOrPath: number | string,
    options?: ListJobsOptions,
  ): Promise<GitLabJob[]>;
  /** Returns undefined when the file or ref does not exist. */
  headFile(
    projectIdOrPath: number | string,
    path: string,
    ref: string,
  ): Promise<GitLabFileHead | undefined>;
  /** Returns undefined when the file or ref does not exist. */
  readFile(
    projectIdOrPath: number | string,
    path: string,
    ref: string,
  ): Promise<string | undefined>;
  /** Returns a CI template of the instance, such as `Auto-DevOps.gitlab-ci.yml`, or undefined. */
  readTemplate(name: string): Promise<string | undefined>;
  /** Lists file paths of a repository, for wildcard local includes. */
  listFiles(projectIdOrPath: number | string, ref: string): Promise<string[]>;
  /** Runs GitLab's CI lint on the project's configuration and returns `merged_yaml`. */
  lintProject(
    projectIdOrPath: number | string,
    ref: string,
  ): Promise<{ valid: boolean; mergedYaml?: string; errors: string[] }>;
}
