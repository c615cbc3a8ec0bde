import { JobTemplate, Project, Runner, User } from '../model';

export type JobOutcome = 'success' | 'failed' | 'canceled' | 'skipped';

export type PipelineSource =
  | 'push'
  | 'merge_request_event'
  | 'schedule'
  | 'api';

export interface PipelineRecord {
  id: number;
  iid: number;
  project: Project;
  createdAt: number;
  source: PipelineSource;
  user: User;
  ref: string;
  sha: string;
  jobs: JobRecord[];
}

/**
 * A job with its planned timeline. The status at a given time follows from
 * the timestamps (see `jobStatusAt`), so running jobs finish as the
 * simulator's clock moves on.
 */
export interface JobRecord {
  id: number;
  pipeline: PipelineRecord;
  template: JobTemplate;
  /** Tags the job had when it was created; they change when a project switches fleets. */
  tags: string[];
  runner: Runner | null;
  /** Index into `runner.managers`, or -1. */
  managerIndex: number;
  createdAt: number;
  /** When the job became pending (its stage was ready). */
  queuedAt: number;
  /** NaN when the job never starts. */
  startedAt: number;
  /** NaN when the job never ends within the plan. */
  finishedAt: number;
  outcome: JobOutcome;
  failureReason: string | null;
}

export type JobStatus =
  | 'created'
  | 'pending'
  | 'running'
  | 'success'
  | 'failed'
  | 'canceled'
  | 'skipped';

export const JOB_STATUSES: readonly JobStatus[] = [
  'created',
  'pending',
  'running',
  'success',
  'failed',
  'canceled',
  'skipped',
];

export function isVisibleAt(job: JobRecord, now: number): boolean {
  return job.createdAt <= now;
}

export function jobStatusAt(job: JobRecord, now: number): JobStatus {
  if (job.outcome === 'skipped') {
    return now < job.finishedAt ? 'created' : 'skipped';
  }
  if (now < job.queuedAt) {
    return 'created';
  }
  if (Number.isNaN(job.startedAt) || now < job.startedAt) {
    return Number.isNaN(job.finishedAt) || now < job.finishedAt
      ? 'pending'
      : job.outcome;
  }
  if (Number.isNaN(job.finishedAt) || now < job.finishedAt) {
    return 'running';
  }
  return job.outcome;
}

/** Derives a pipeline's status from its jobs' statuses, as GitLab composes it. */
export function pipelineStatusAt(
  pipeline: PipelineRecord,
  now: number,
): string {
  const statuses = pipeline.jobs.map(job => jobStatusAt(job, now));
  if (statuses.includes('running')) return 'running';
  if (statuses.includes('pending')) return 'pending';
  if (statuses.every(status => status === 'created')) return 'created';
  if (statuses.includes('created')) return 'running';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('canceled')) return 'canceled';
  if (statuses.every(status => status === 'skipped')) return 'skipped';
  return 'success';
}

/** Jobs and pipelines in ID order, indexed by project and runner. */
export class JobStore {
  readonly jobs: JobRecord[] = [];
  readonly pipelines: PipelineRecord[] = [];
  private readonly jobsByProject = new Map<number, JobRecord[]>();
  private readonly jobsByRunner = new Map<number, JobRecord[]>();
  private readonly pipelinesByProject = new Map<number, PipelineRecord[]>();
  private readonly iids = new Map<number, number>();
  private nextJobId = 1;
  private nextPipelineId = 1;

  constructor(firstJobId = 1, firstPipelineId = 1) {
    this.nextJobId = firstJobId;
    this.nextPipelineId = firstPipelineId;
  }

  /** Creates an empty pipeline; add its jobs with `addJob`. */
  createPipeline(
    fields: Omit<PipelineRecord, 'id' | 'iid' | 'jobs'>,
  ): PipelineRecord {
    const iid = (this.iids.get(fields.project.id) ?? 0) + 1;
    this.iids.set(fields.project.id, iid);
    const pipeline: PipelineRecord = {
      ...fields,
      id: this.nextPipelineId++,
      iid,
      jobs: [],
    };
    this.pipelines.push(pipeline);
    pushTo(this.pipelinesByProject, fields.project.id, pipeline);
    return pipeline;
  }

  addJob(fields: Omit<JobRecord, 'id'>): JobRecord {
    const job: JobRecord = { ...fields, id: this.nextJobId++ };
    job.pipeline.jobs.push(job);
    this.jobs.push(job);
    pushTo(this.jobsByProject, job.pipeline.project.id, job);
    if (job.runner) {
      pushTo(this.jobsByRunner, job.runner.id, job);
    }
    return job;
  }

  /** Returns every job of the instance, in creation order. */
  allJobs(): readonly JobRecord[] {
    return this.jobs;
  }

  projectJobs(projectId: number): readonly JobRecord[] {
    return this.jobsByProject.get(projectId) ?? [];
  }

  runnerJobs(runnerId: number): readonly JobRecord[] {
    return this.jobsByRunner.get(runnerId) ?? [];
  }

  projectPipelines(projectId: number): readonly PipelineRecord[] {
    return this.pipelinesByProject.get(projectId) ?? [];
  }

  findJob(id: number): JobRecord | undefined {
    let low = 0;
    let high = this.jobs.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const candidate = this.jobs[middle];
      if (candidate.id === id) return candidate;
      if (candidate.id < id) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }
}

function pushTo<T>(map: Map<number, T[]>, key: number, value: T) {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}
