import {
  MergeRequestRecord,
  SimulatorInstance,
  VariableRecord,
} from '../instance';
import {
  JobRecord,
  jobStatusAt,
  PipelineRecord,
  pipelineStatusAt,
} from '../jobs/store';
import { Group, Project, Runner, RunnerManager, User } from '../model';
import { CommitRecord } from '../repository/repositories';
import { HOUR, isoTime, isoTimeOrNull } from '../time';

/** GitLab reports a runner online when it made contact within the last 2 hours. */
const ONLINE_TIMEOUT_MS = 2 * HOUR;
/** GitLab reports a runner stale after 7 days without contact. */
const STALE_TIMEOUT_MS = 7 * 24 * HOUR;

/**
 * Jobs wait at most an hour for a runner. Seeded jobs stop at the 3-hour runner
 * timeout and burst jobs run at most 24 hours, so a job created earlier than
 * this cannot be running.
 */
const RUNNING_JOB_LOOKBACK_MS = 26 * HOUR;

export type RunnerStatus = 'online' | 'offline' | 'stale' | 'never_contacted';

/** Builds GitLab REST API v4 JSON bodies from the simulator's records. */
export class Presenter {
  constructor(
    private readonly instance: SimulatorInstance,
    private readonly baseUrl: () => string,
  ) {}

  private get now() {
    return this.instance.now();
  }

  webUrl(path: string): string {
    return `${this.baseUrl()}/${path}`;
  }

  avatarUrl(user: User): string {
    return this.webUrl(`uploads/-/system/user/avatar/${user.id}/avatar.png`);
  }

  userBasic(user: User) {
    return {
      id: user.id,
      username: user.username,
      name: user.name,
      state: 'active',
      locked: false,
      avatar_url: this.avatarUrl(user),
      web_url: this.webUrl(user.username),
    };
  }

  user(user: User) {
    return {
      ...this.userBasic(user),
      created_at: isoTime(user.createdAt),
      bio: '',
      location: '',
      public_email: null,
      linkedin: '',
      twitter: '',
      website_url: '',
      organization: 'Example Research Organisation',
      job_title: '',
      bot: false,
    };
  }

  currentUser(user: User) {
    return {
      ...this.user(user),
      email: user.email,
      is_admin: user.isAdmin,
      can_create_group: true,
      can_create_project: true,
      two_factor_enabled: false,
      external: false,
      private_profile: false,
    };
  }

  member(user: User, accessLevel: number) {
    return {
      ...this.userBasic(user),
      access_level: accessLevel,
      created_at: isoTime(user.createdAt),
      expires_at: null,
      membership_state: 'active',
    };
  }

  namespace(group: Group) {
    return {
      id: group.id,
      name: group.name,
      path: group.path,
      kind: 'group',
      full_path: group.path,
      parent_id: null,
      avatar_url: null,
      web_url: this.webUrl(`groups/${group.path}`),
    };
  }

  group(group: Group) {
    return {
      id: group.id,
      web_url: this.webUrl(`groups/${group.path}`),
      name: group.name,
      path: group.path,
      description: group.description,
      visibility: 'internal',
      share_with_group_lock: false,
      require_two_factor_authentication: false,
      project_creation_level: 'developer',
      subgroup_creation_level: 'maintainer',
      lfs_enabled: true,
      default_branch: null,
      avatar_url: null,
      request_access_enabled: true,
      full_name: group.name,
      full_path: group.path,
      created_at: isoTime(group.createdAt),
      parent_id: null,
      shared_runners_setting: 'enabled',
    };
  }

  /** Returns the seven fields of GitLab's ProjectIdentity entity, which every project representation starts with. */
  private projectIdentity(project: Project, fullPath: string) {
    return {
      id: project.id,
      description: project.description,
      name: project.name,
      name_with_namespace: `${project.group.name} / ${project.name}`,
      path: project.path,
      path_with_namespace: fullPath,
      created_at: isoTime(project.createdAt),
    };
  }

  projectSimple(project: Project) {
    const fullPath = this.instance.fullPath(project);
    return {
      ...this.projectIdentity(project, fullPath),
      default_branch: project.defaultBranch,
      tag_list: [],
      topics: [],
      ssh_url_to_repo: `git@${new URL(this.baseUrl()).host}:${fullPath}.git`,
      http_url_to_repo: this.webUrl(`${fullPath}.git`),
      web_url: this.webUrl(fullPath),
      readme_url: this.webUrl(
        `${fullPath}/-/blob/${project.defaultBranch}/README.md`,
      ),
      forks_count: 0,
      avatar_url: null,
      star_count: 0,
      last_activity_at: isoTime(project.lastActivityAt),
      namespace: this.namespace(project.group),
    };
  }

  project(project: Project) {
    const fullPath = this.instance.fullPath(project);
    return {
      ...this.projectSimple(project),
      visibility: 'internal',
      archived: false,
      empty_repo: false,
      issues_enabled: true,
      merge_requests_enabled: true,
      jobs_enabled: true,
      wiki_enabled: false,
      snippets_enabled: false,
      container_registry_enabled: true,
      shared_runners_enabled: true,
      group_runners_enabled: true,
      creator_id: 1,
      open_issues_count: 0,
      ci_config_path: project.ciConfigPath,
      ci_default_git_depth: 20,
      build_timeout: 3600,
      updated_at: isoTime(project.lastActivityAt),
      _links: {
        self: this.webUrl(`api/v4/projects/${project.id}`),
        merge_requests: this.webUrl(
          `api/v4/projects/${project.id}/merge_requests`,
        ),
        repo_branches: this.webUrl(
          `api/v4/projects/${project.id}/repository/branches`,
        ),
        members: this.webUrl(`api/v4/projects/${project.id}/members`),
      },
      web_url: this.webUrl(fullPath),
    };
  }

  runnerStatus(runner: Runner): RunnerStatus {
    const contactedAt = this.runnerContactedAt(runner);
    if (contactedAt === null) {
      return this.now - runner.createdAt > STALE_TIMEOUT_MS
        ? 'stale'
        : 'never_contacted';
    }
    const age = this.now - contactedAt;
    if (age < ONLINE_TIMEOUT_MS) return 'online';
    return age > STALE_TIMEOUT_MS ? 'stale' : 'offline';
  }

  managerContactedAt(manager: RunnerManager): number | null {
    switch (manager.contact.kind) {
      case 'live':
        return this.now - manager.contact.lagMs;
      case 'fixed':
        return Math.min(manager.contact.at, this.now);
      default:
        return null;
    }
  }

  runnerContactedAt(runner: Runner): number | null {
    let latest: number | null = null;
    for (const manager of runner.managers) {
      const contactedAt = this.managerContactedAt(manager);
      if (contactedAt !== null && (latest === null || contactedAt > latest)) {
        latest = contactedAt;
      }
    }
    return latest;
  }

  runnerSummary(runner: Runner) {
    const status = this.runnerStatus(runner);
    return {
      id: runner.id,
      description: runner.description,
      ip_address: '',
      active: !runner.paused,
      paused: runner.paused,
      is_shared: runner.runnerType === 'instance_type',
      runner_type: runner.runnerType,
      name: 'gitlab-runner',
      online: status === 'never_contacted' ? null : status === 'online',
      created_by: runner.createdByUserId
        ? this.userBasic(this.instance.users[runner.createdByUserId - 1])
        : null,
      created_at: isoTime(runner.createdAt),
      status,
    };
  }

  /** Looks for a running job among the runner's recent jobs, newest first. */
  private hasRunningJob(runner: Runner, now: number): boolean {
    const jobs = this.instance.store.runnerJobs(runner.id);
    for (let index = jobs.length - 1; index >= 0; index -= 1) {
      const job = jobs[index];
      if (job.createdAt < now - RUNNING_JOB_LOOKBACK_MS) {
        return false;
      }
      if (job.createdAt <= now && jobStatusAt(job, now) === 'running') {
        return true;
      }
    }
    return false;
  }

  runnerDetails(runner: Runner) {
    const now = this.now;
    const running = this.hasRunningJob(runner, now);
    return {
      ...this.runnerSummary(runner),
      // GitLab 17+ reports these per runner manager; on the runner they are empty.
      architecture: null,
      platform: null,
      revision: null,
      version: null,
      contacted_at: isoTimeOrNull(this.runnerContactedAt(runner)),
      maintenance_note: runner.maintenanceNote,
      tag_list: runner.tagList,
      run_untagged: runner.runUntagged,
      locked: runner.locked,
      access_level: runner.accessLevel,
      maximum_timeout: runner.maximumTimeout,
      job_execution_status: running ? 'active' : 'idle',
      projects: runner.projectIds
        .map(id => this.instance.projects[id - 1])
        .filter((project): project is Project => project !== undefined)
        .map(project => ({
          id: project.id,
          name: project.name,
          name_with_namespace: `${project.group.name} / ${project.name}`,
          path: project.path,
          path_with_namespace: this.instance.fullPath(project),
        })),
      groups: runner.groupIds
        .map(id => this.instance.groups.find(group => group.id === id))
        .filter((group): group is Group => group !== undefined)
        .map(group => ({
          id: group.id,
          web_url: this.webUrl(`groups/${group.path}`),
          name: group.name,
        })),
    };
  }

  managerStatus(manager: RunnerManager): RunnerStatus {
    const contactedAt = this.managerContactedAt(manager);
    if (contactedAt === null) return 'never_contacted';
    const age = this.now - contactedAt;
    if (age < ONLINE_TIMEOUT_MS) return 'online';
    return age > STALE_TIMEOUT_MS ? 'stale' : 'offline';
  }

  manager(manager: RunnerManager) {
    return {
      id: manager.id,
      system_id: manager.systemId,
      version: manager.version,
      revision: manager.revision,
      platform: manager.platform,
      architecture: manager.architecture,
      created_at: isoTime(manager.createdAt),
      contacted_at: isoTimeOrNull(this.managerContactedAt(manager)),
      ip_address: manager.ipAddress,
      status: this.managerStatus(manager),
    };
  }

  pipelineBasic(pipeline: PipelineRecord) {
    const now = this.now;
    const updatedAt = Math.min(
      now,
      pipeline.jobs.reduce((latest, job) => {
        const times = [job.createdAt, job.startedAt, job.finishedAt].filter(
          time => !Number.isNaN(time) && time <= now,
        );
        return Math.max(latest, ...times);
      }, pipeline.createdAt),
    );
    return {
      id: pipeline.id,
      iid: pipeline.iid,
      project_id: pipeline.project.id,
      sha: pipeline.sha,
      ref: pipeline.ref,
      status: pipelineStatusAt(pipeline, now),
      source: pipeline.source,
      created_at: isoTime(pipeline.createdAt),
      updated_at: isoTime(updatedAt),
      web_url: this.webUrl(
        `${this.instance.fullPath(pipeline.project)}/-/pipelines/${
          pipeline.id
        }`,
      ),
    };
  }

  /** Builds the commit summary that jobs embed for their pipeline. */
  private pipelineCommit(pipeline: PipelineRecord) {
    const fullPath = this.instance.fullPath(pipeline.project);
    return {
      id: pipeline.sha,
      short_id: pipeline.sha.slice(0, 8),
      created_at: isoTime(pipeline.createdAt),
      parent_ids: [],
      title: 'Update pipeline configuration',
      message: 'Update pipeline configuration\n',
      author_name: pipeline.user.name,
      author_email: pipeline.user.email,
      authored_date: isoTime(pipeline.createdAt),
      committer_name: pipeline.user.name,
      committer_email: pipeline.user.email,
      committed_date: isoTime(pipeline.createdAt),
      web_url: this.webUrl(`${fullPath}/-/commit/${pipeline.sha}`),
    };
  }

  /** Builds a job as GET /projects/:id/jobs returns it; `withProject` adds the project summary of GET /runners/:id/jobs. */
  job(job: JobRecord, withProject = false) {
    const now = this.now;
    const status = jobStatusAt(job, now);
    const started = !Number.isNaN(job.startedAt) && job.startedAt <= now;
    const finished =
      !Number.isNaN(job.finishedAt) &&
      job.finishedAt <= now &&
      status !== 'running' &&
      status !== 'pending' &&
      status !== 'created';
    let queuedUntil = now;
    if (started) {
      queuedUntil = job.startedAt;
    } else if (finished) {
      queuedUntil = job.finishedAt;
    }
    const project = job.pipeline.project;
    const fullPath = this.instance.fullPath(project);
    const runner = job.runner && started ? job.runner : null;
    const manager =
      runner && job.managerIndex >= 0
        ? runner.managers[job.managerIndex]
        : undefined;
    const pipeline = job.pipeline;
    return {
      id: job.id,
      status,
      stage: job.template.stage,
      name: job.template.name,
      ref: pipeline.ref,
      tag: false,
      coverage: null,
      allow_failure: false,
      created_at: isoTime(job.createdAt),
      started_at: started ? isoTime(job.startedAt) : null,
      finished_at: finished ? isoTime(job.finishedAt) : null,
      erased_at: null,
      duration: started
        ? Math.round((finished ? job.finishedAt : now) - job.startedAt) / 1000
        : null,
      queued_duration:
        status === 'created' || status === 'skipped'
          ? null
          : Math.round(Math.max(0, queuedUntil - job.queuedAt)) / 1000,
      user: this.user(pipeline.user),
      commit: this.pipelineCommit(pipeline),
      pipeline: this.pipelineBasic(pipeline),
      failure_reason:
        status === 'failed' ? job.failureReason ?? undefined : undefined,
      web_url: this.webUrl(`${fullPath}/-/jobs/${job.id}`),
      project: withProject
        ? this.projectIdentity(project, fullPath)
        : { ci_job_token_scope_enabled: false },
      artifacts: [],
      runner: runner ? this.runnerSummary(runner) : null,
      runner_manager: manager ? this.manager(manager) : null,
      artifacts_expire_at: null,
      archived: false,
      tag_list: job.tags,
    };
  }

  commit(project: Project, commit: CommitRecord) {
    const title = commit.message.split('\n')[0];
    return {
      id: commit.id,
      short_id: commit.id.slice(0, 8),
      created_at: isoTime(commit.createdAt),
      parent_ids: commit.parentIds,
      title,
      message: commit.message,
      author_name: commit.authorName,
      author_email: commit.authorEmail,
      authored_date: isoTime(commit.createdAt),
      committer_name: commit.authorName,
      committer_email: commit.authorEmail,
      committed_date: isoTime(commit.createdAt),
      trailers: {},
      extended_trailers: {},
      web_url: this.webUrl(
        `${this.instance.fullPath(project)}/-/commit/${commit.id}`,
      ),
    };
  }

  branch(project: Project, name: string, commit: CommitRecord) {
    return {
      name,
      merged: false,
      protected: name === project.defaultBranch,
      default: name === project.defaultBranch,
      developers_can_push: false,
      developers_can_merge: false,
      can_push: true,
      web_url: this.webUrl(`${this.instance.fullPath(project)}/-/tree/${name}`),
      commit: this.commit(project, commit),
    };
  }

  mergeRequest(mr: MergeRequestRecord) {
    const fullPath = this.instance.fullPath(mr.project);
    return {
      id: mr.id,
      iid: mr.iid,
      project_id: mr.project.id,
      title: mr.title,
      description: mr.description,
      state: mr.state,
      created_at: isoTime(mr.createdAt),
      updated_at: isoTime(mr.createdAt),
      merged_by: null,
      merged_at: null,
      closed_by: null,
      closed_at: null,
      target_branch: mr.targetBranch,
      source_branch: mr.sourceBranch,
      user_notes_count: 0,
      upvotes: 0,
      downvotes: 0,
      author: this.userBasic(mr.author),
      assignee: mr.assignee ? this.userBasic(mr.assignee) : null,
      assignees: mr.assignee ? [this.userBasic(mr.assignee)] : [],
      reviewers: mr.reviewers.map(user => this.userBasic(user)),
      source_project_id: mr.project.id,
      target_project_id: mr.project.id,
      labels: mr.labels,
      draft: false,
      work_in_progress: false,
      milestone: null,
      merge_when_pipeline_succeeds: false,
      merge_status: 'can_be_merged',
      detailed_merge_status: 'mergeable',
      sha: mr.sha,
      merge_commit_sha: null,
      squash_commit_sha: null,
      discussion_locked: null,
      should_remove_source_branch: null,
      force_remove_source_branch: mr.removeSourceBranch,
      reference: `!${mr.iid}`,
      references: {
        short: `!${mr.iid}`,
        relative: `!${mr.iid}`,
        full: `${fullPath}!${mr.iid}`,
      },
      web_url: this.webUrl(`${fullPath}/-/merge_requests/${mr.iid}`),
      time_stats: {
        time_estimate: 0,
        total_time_spent: 0,
        human_time_estimate: null,
        human_total_time_spent: null,
      },
      squash: false,
      task_completion_status: { count: 0, completed_count: 0 },
      has_conflicts: false,
      blocking_discussions_resolved: true,
    };
  }

  variable(variable: VariableRecord) {
    return {
      variable_type: variable.variableType,
      key: variable.key,
      // GitLab returns masked values to maintainers; only hidden variables have no value.
      value: variable.hidden ? null : variable.value,
      hidden: variable.hidden,
      protected: variable.protected,
      masked: variable.masked,
      raw: variable.raw,
      environment_scope: variable.environmentScope,
      description: variable.description,
    };
  }
}
