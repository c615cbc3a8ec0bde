/*
 * GitLab REST API v4 payloads, with GitLab's snake_case field names. Only the
 * fields that Runner Fleet reads are typed; GitLab returns more.
 */

/** @public */
export type GitLabRunnerType = 'instance_type' | 'group_type' | 'project_type';

/**
 * Runner status as GitLab 16 and later report it. GitLab marks a runner
 * `offline` after 2 hours without contact and `stale` after 7 days without
 * contact (or 7 days after creation when it never connected).
 * @public
 */
export type GitLabRunnerStatus =
  | 'online'
  | 'offline'
  | 'stale'
  | 'never_contacted';

/** An entry of `GET /runners/all`. @public */
export interface GitLabRunner {
  id: number;
  description: string | null;
  paused: boolean;
  /** Deprecated opposite of `paused`; absent on some versions. */
  active?: boolean;
  is_shared: boolean;
  runner_type: GitLabRunnerType;
  name: string | null;
  online: boolean | null;
  status: GitLabRunnerStatus;
  /** Present on GitLab 17.3 and later. */
  created_at?: string | null;
}

/**
 * `GET /runners/:id`. Since GitLab 17 the runner-level `version`,
 * `revision`, `platform` and `architecture` are empty strings: read them from
 * the runner managers instead.
 * @public
 */
export interface GitLabRunnerDetails extends GitLabRunner {
  tag_list: string[];
  run_untagged: boolean;
  locked: boolean;
  access_level: 'not_protected' | 'ref_protected' | string;
  maximum_timeout: number | null;
  contacted_at: string | null;
  maintenance_note?: string | null;
  version?: string | null;
  revision?: string | null;
  platform?: string | null;
  architecture?: string | null;
  projects?: Array<{ id: number; path_with_namespace: string }>;
  groups?: Array<{ id: number; web_url?: string; name?: string }>;
}

/**
 * An entry of `GET /runners/:id/managers`: one `gitlab-runner` process
 * registered with the runner's token, identified by its `system_id`.
 * @public
 */
export interface GitLabRunnerManager {
  id: number;
  system_id: string;
  version: string | null;
  revision: string | null;
  platform: string | null;
  architecture: string | null;
  created_at: string | null;
  contacted_at: string | null;
  ip_address: string | null;
  status: GitLabRunnerStatus;
  job_execution_status?: string;
}

/** A CI job as `GET /projects/:id/jobs` and `GET /runners/:id/jobs` return it. @public */
export interface GitLabJob {
  id: number;
  name: string;
  stage: string;
  status: string;
  ref?: string;
  tag_list?: string[];
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Seconds. */
  duration: number | null;
  /** Seconds spent pending before a runner picked the job up. */
  queued_duration: number | null;
  failure_reason?: string;
  web_url?: string;
  runner?: { id: number; description: string | null } | null;
  project?: { id: number; path_with_namespace?: string };
  pipeline?: { id: number; project_id: number; ref?: string; status?: string };
}

/** An entry of `GET /projects`. @public */
export interface GitLabProject {
  id: number;
  name: string;
  path: string;
  path_with_namespace: string;
  default_branch: string | null;
  web_url: string;
  archived?: boolean;
  last_activity_at?: string;
  /** Empty or absent means `.gitlab-ci.yml`. */
  ci_config_path?: string | null;
  namespace?: { id: number; full_path: string; kind: string };
}

/** A repository file read by {@link GitLabClient.getFile}. @public */
export interface GitLabFile {
  projectId: number | string;
  filePath: string;
  ref: string;
  /** File content as UTF-8 text. */
  content: string;
  /** Git blob SHA, from the `X-Gitlab-Blob-Id` header; undefined when GitLab sent none. */
  blobId?: string;
  /** From the `X-Gitlab-Last-Commit-Id` header, when GitLab sent it. */
  lastCommitId?: string;
}

/** One page read by the pagination walker. @public */
export interface GitLabPage<T> {
  items: T[];
  /** 1-based number of the page within this walk. */
  page: number;
}
