/**
 * The simulated instance's data, as the seed creates it and the routes read
 * and change it. JSON shapes for the API are built from these in
 * `src/http/present.ts`; nothing here is GitLab's wire format.
 */

/** GitLab access levels, as the members API returns them. */
export const AccessLevel = {
  guest: 10,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export interface User {
  id: number;
  username: string;
  name: string;
  email: string;
  isAdmin: boolean;
  /** The personal access token that authenticates as this user. */
  token: string;
  createdAt: number;
}

export interface Group {
  id: number;
  name: string;
  path: string;
  description: string;
  createdAt: number;
  /** Direct members: user id to access level. Projects inherit them. */
  members: Map<number, number>;
}

/** Where a project stands in the move from Docker Machine to Kubernetes. */
export type MigrationPhase =
  | 'legacy'
  | 'opted-in'
  | 'on-kubernetes'
  | 'migrated';

/** One job of a project's pipeline, as the job history generator uses it. */
export interface JobTemplate {
  name: string;
  stage: string;
  /** Position of the stage in the pipeline, for start times. */
  stageIndex: number;
  /** Tags as the current CI configuration sets them. */
  tags: string[];
}

export type ProjectSource =
  | {
      kind: 'corpus';
      /** Folder under fixtures/corpus/gitlab-ci, for example `acts-project__acts`. */
      dir: string;
      /** Upstream repository, from SOURCES.tsv. */
      upstream: string;
      features: string[];
    }
  | { kind: 'synthetic' };

export interface Project {
  id: number;
  name: string;
  path: string;
  group: Group;
  description: string;
  createdAt: number;
  lastActivityAt: number;
  defaultBranch: string;
  /** Phase of the synthetic CI file; corpus projects use the phase their tags suggest. */
  phase: MigrationPhase;
  /** Hardware tags (cvmfs, arm64, gpu, fpga, spark) that some jobs use. */
  hardwareTags: string[];
  source: ProjectSource;
  /** GitLab's `ci_config_path`; empty means `.gitlab-ci.yml`. */
  ciConfigPath: string;
  jobTemplates: JobTemplate[];
  /** Relative pipeline rate; a few projects run most pipelines. */
  activity: number;
  /**
   * When the project changed its tags from `docker` to what the current CI
   * file sets (ms since epoch), or undefined for never or before the history.
   */
  switchedAt?: number;
  /** Tag of the project runner that serves this project, if it has one. */
  projectRunnerTag?: string;
}

/** When a runner last contacted GitLab. */
export type ContactState =
  | { kind: 'live'; lagMs: number }
  | { kind: 'fixed'; at: number }
  | { kind: 'never' };

export interface RunnerManager {
  id: number;
  systemId: string;
  version: string;
  revision: string;
  platform: string;
  architecture: string;
  createdAt: number;
  contact: ContactState;
  ipAddress: string;
}

export type RunnerType = 'instance_type' | 'group_type' | 'project_type';

export interface Runner {
  id: number;
  description: string;
  runnerType: RunnerType;
  tagList: string[];
  runUntagged: boolean;
  paused: boolean;
  locked: boolean;
  accessLevel: 'not_protected' | 'ref_protected';
  maximumTimeout: number | null;
  maintenanceNote: string | null;
  createdAt: number;
  /** Entity name of the fleet in the catalog, for seeded instance runners. */
  fleet?: string;
  cluster?: string;
  managers: RunnerManager[];
  groupIds: number[];
  projectIds: number[];
  /** Jobs can be assigned to the runner only within [jobsFrom, jobsUntil). */
  jobsFrom: number;
  jobsUntil: number;
  /** The runner takes untagged jobs within [untaggedFrom, untaggedUntil). */
  untaggedFrom: number;
  untaggedUntil: number;
  tokenExpiresAt: string | null;
  createdByUserId: number | null;
}
