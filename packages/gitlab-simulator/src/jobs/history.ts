import { JobTemplate, Project, Runner, User } from '../model';
import { hashString, SeededRandom } from '../random';
import { MigrationTimeline } from '../seed/runners';
import { burstJobTemplates } from '../seed/synthetic';
import { DAY, HOUR, SECOND, startOfUtcDay } from '../time';
import { JobStore, PipelineRecord, PipelineSource } from './store';

/** GitLab drops a job that no runner picked up within an hour as stuck. */
const STUCK_TIMEOUT_MS = HOUR;

/** Chooses runners for jobs, as GitLab matches job tags to runner tags. */
export class Dispatcher {
  private readonly candidatesByTags = new Map<string, Runner[]>();

  constructor(private readonly runners: Runner[]) {}

  private candidates(tags: string[]): Runner[] {
    const key = [...tags].sort().join(',');
    let candidates = this.candidatesByTags.get(key);
    if (!candidates) {
      candidates = this.runners.filter(runner =>
        tags.length === 0
          ? runner.untaggedUntil > runner.untaggedFrom
          : tags.every(tag => runner.tagList.includes(tag)),
      );
      this.candidatesByTags.set(key, candidates);
    }
    return candidates;
  }

  /** Runners that could take a job with `tags` of `project` at time `at`. */
  eligible(tags: string[], project: Project, at: number): Runner[] {
    return this.candidates(tags).filter(runner => {
      if (at < runner.jobsFrom || at >= runner.jobsUntil) return false;
      if (
        tags.length === 0 &&
        (at < runner.untaggedFrom || at >= runner.untaggedUntil)
      )
        return false;
      if (runner.runnerType === 'group_type')
        return runner.groupIds.includes(project.group.id);
      if (runner.runnerType === 'project_type')
        return runner.projectIds.includes(project.id);
      return true;
    });
  }
}

const DOCKER_TAGS = ['docker'];

/** Tags a job had at time `at`: before its project switched fleets it used `docker`. */
function tagsAt(project: Project, template: JobTemplate, at: number): string[] {
  if (project.switchedAt === undefined || at >= project.switchedAt) {
    return template.tags;
  }
  const generic =
    template.tags.length === 0 ||
    (template.tags.length === 1 && template.tags[0] === 'k8s-default');
  return generic ? DOCKER_TAGS : template.tags;
}

function queueMs(runner: Runner, random: SeededRandom): number {
  if (runner.fleet === 'fleet-docker-machine') {
    // A Docker Machine job waits for a VM to be created.
    return (20 + random.exponential(70)) * SECOND;
  }
  if (runner.fleet) {
    return (2 + random.exponential(8)) * SECOND;
  }
  return (1 + random.exponential(4)) * SECOND;
}

interface PlannedJob {
  outcome: 'success' | 'failed' | 'canceled';
  failureReason: string | null;
  durationMs: number;
}

function planJob(
  template: JobTemplate,
  runner: Runner,
  random: SeededRandom,
): PlannedJob {
  const baseSeconds = 45 + (hashString(template.name) % 840);
  const durationMs = baseSeconds * random.range(0.7, 1.4) * SECOND;
  const systemFailureRate =
    runner.fleet === 'fleet-docker-machine' ? 0.03 : 0.005;
  const roll = random.next();
  if (roll < 0.07) {
    return {
      outcome: 'failed',
      failureReason: 'script_failure',
      durationMs: durationMs * random.range(0.2, 1),
    };
  }
  if (roll < 0.07 + systemFailureRate) {
    return {
      outcome: 'failed',
      failureReason: 'runner_system_failure',
      durationMs: random.range(5, 90) * SECOND,
    };
  }
  if (roll < 0.073 + systemFailureRate) {
    const timeoutMs = (runner.maximumTimeout ?? 3600) * SECOND;
    return {
      outcome: 'failed',
      failureReason: 'job_execution_timeout',
      durationMs: timeoutMs,
    };
  }
  if (roll < 0.088 + systemFailureRate) {
    return {
      outcome: 'canceled',
      failureReason: null,
      durationMs: durationMs * random.range(0.1, 0.9),
    };
  }
  return { outcome: 'success', failureReason: null, durationMs };
}

export interface PipelineContext {
  store: JobStore;
  dispatcher: Dispatcher;
  users: User[];
}

function pipelineUser(
  project: Project,
  users: User[],
  random: SeededRandom,
): User {
  const memberIds = [...project.group.members.keys()];
  const id = memberIds.length > 0 ? random.pick(memberIds) : 1;
  return users.find(user => user.id === id) ?? users[0];
}

/** Creates a pipeline of `templates` at `at`: stages run one after another. */
export function createPipeline(
  context: PipelineContext,
  project: Project,
  templates: JobTemplate[],
  at: number,
  source: PipelineSource,
  random: SeededRandom,
): PipelineRecord {
  const { store, dispatcher } = context;
  const pipeline = store.createPipeline({
    project,
    createdAt: at,
    source,
    user: pipelineUser(project, context.users, random),
    ref:
      source === 'merge_request_event'
        ? `feature/change-${random.int(100, 999)}`
        : project.defaultBranch,
    sha: random.hex(40),
  });
  const stageIndexes = [
    ...new Set(templates.map(template => template.stageIndex)),
  ].sort((a, b) => a - b);
  let stageReadyAt = at + random.range(1, 3) * SECOND;
  let failedBefore = false;
  for (const stageIndex of stageIndexes) {
    let stageEnd = stageReadyAt;
    for (const template of templates.filter(
      candidate => candidate.stageIndex === stageIndex,
    )) {
      const tags = tagsAt(project, template, at);
      // Fields of a job that never started: skipped after an earlier
      // failure, or stuck because no runner was eligible.
      const unstarted = {
        pipeline,
        template,
        tags,
        runner: null,
        managerIndex: -1,
        createdAt: at,
        queuedAt: stageReadyAt,
        startedAt: NaN,
      };
      if (failedBefore) {
        store.addJob({
          ...unstarted,
          finishedAt: stageReadyAt,
          outcome: 'skipped',
          failureReason: null,
        });
        continue;
      }
      const eligible = dispatcher.eligible(tags, project, stageReadyAt);
      if (eligible.length === 0) {
        const finishedAt = stageReadyAt + STUCK_TIMEOUT_MS;
        store.addJob({
          ...unstarted,
          finishedAt,
          outcome: 'failed',
          failureReason: 'stuck_or_timeout_failure',
        });
        stageEnd = Math.max(stageEnd, finishedAt);
        continue;
      }
      const runner = random.pick(eligible);
      const startedAt = stageReadyAt + queueMs(runner, random);
      const plan = planJob(template, runner, random);
      const finishedAt = startedAt + plan.durationMs;
      store.addJob({
        pipeline,
        template,
        tags,
        runner,
        managerIndex: runner.managers.length
          ? random.int(0, runner.managers.length - 1)
          : -1,
        createdAt: at,
        queuedAt: stageReadyAt,
        startedAt,
        finishedAt,
        outcome: plan.outcome,
        failureReason: plan.failureReason,
      });
      stageEnd = Math.max(stageEnd, finishedAt);
    }
    failedBefore = pipeline.jobs.some(job => job.outcome === 'failed');
    stageReadyAt = stageEnd + SECOND;
  }
  return pipeline;
}

export interface BurstOptions {
  /** Parallel jobs; the recorded burst has 100. */
  count: number;
  /** Time from the first to the last job start. */
  rampMs: number;
  /** Shortest and longest job duration. */
  minDurationMs: number;
  maxDurationMs: number;
}

export const DEFAULT_BURST: BurstOptions = {
  count: 100,
  rampMs: 55 * SECOND,
  minDurationMs: 10 * 60 * SECOND,
  maxDurationMs: 14 * 60 * SECOND,
};

/**
 * Creates a pipeline whose `count` parallel jobs start one after another
 * within `rampMs` on the active runners of `fleet-k8s-default`, so the
 * number of running jobs climbs from 0 to `count`. Returns undefined when
 * the fleet has no active runner at `at`.
 */
export function createBurstPipeline(
  context: PipelineContext,
  runners: Runner[],
  project: Project,
  at: number,
  source: PipelineSource,
  options: BurstOptions,
  random: SeededRandom,
): PipelineRecord | undefined {
  const fleet = runners.filter(
    runner =>
      runner.fleet === 'fleet-k8s-default' &&
      at >= runner.jobsFrom &&
      at < runner.jobsUntil,
  );
  if (fleet.length === 0) {
    return undefined;
  }
  const pipeline = context.store.createPipeline({
    project,
    createdAt: at,
    source,
    user: pipelineUser(project, context.users, random),
    ref: project.defaultBranch,
    sha: random.hex(40),
  });
  const templates = burstJobTemplates(options.count);
  const queuedAt = at + 2 * SECOND;
  templates.forEach((template, index) => {
    const runner = fleet[index % fleet.length];
    const startedAt = queuedAt + ((index + 1) * options.rampMs) / options.count;
    const failed = random.chance(0.02);
    context.store.addJob({
      pipeline,
      template,
      tags: template.tags,
      runner,
      managerIndex:
        Math.floor(index / fleet.length) % Math.max(runner.managers.length, 1),
      createdAt: at,
      queuedAt,
      startedAt,
      finishedAt:
        startedAt + random.range(options.minDurationMs, options.maxDurationMs),
      outcome: failed ? 'failed' : 'success',
      failureReason: failed ? 'script_failure' : null,
    });
  });
  return pipeline;
}

const PIPELINE_SOURCES: PipelineSource[] = [
  'push',
  'merge_request_event',
  'schedule',
];
const PIPELINE_SOURCE_WEIGHTS = [0.7, 0.2, 0.1];

/** When the recorded burst happened: 14:00 UTC two days before "now". */
export function recordedBurstTime(now: number): number {
  return startOfUtcDay(now - 2 * DAY) + 14 * HOUR;
}

function diurnalFactor(at: number): number {
  const date = new Date(at);
  const hour = date.getUTCHours();
  const day = date.getUTCDay();
  const hourFactor = hour >= 7 && hour < 19 ? 1.6 : 0.35;
  return day === 0 || day === 6 ? hourFactor * 0.4 : hourFactor;
}

/** Mean of `diurnalFactor` over a week. */
const MEAN_DIURNAL_FACTOR = ((12 * 1.6 + 12 * 0.35) / 24) * ((5 + 2 * 0.4) / 7);

export interface HistoryOptions {
  random: SeededRandom;
  timeline: MigrationTimeline;
  projects: Project[];
  runners: Runner[];
  users: User[];
  burstProject: Project | undefined;
  jobsPerDay: number;
  historyDays: number;
  /** Jobs are planned this far past "now" and appear as the clock reaches them. */
  futureMs: number;
}

/**
 * Generates pipelines over [now - historyDays, now + futureMs] in time order,
 * so job IDs grow with creation time as in GitLab. Busy projects (high
 * `activity`) get more pipelines; weekday working hours are busier.
 */
export function generateHistory(options: HistoryOptions): {
  store: JobStore;
  dispatcher: Dispatcher;
} {
  const { random, timeline, projects, runners, users } = options;
  const store = new JobStore();
  const dispatcher = new Dispatcher(runners);
  const context: PipelineContext = { store, dispatcher, users };
  const active = projects.filter(
    project => project.activity > 0 && project.jobTemplates.length > 0,
  );
  if (active.length === 0 || options.jobsPerDay <= 0) {
    return { store, dispatcher };
  }
  const cumulative: number[] = [];
  let totalActivity = 0;
  let weightedJobs = 0;
  for (const project of active) {
    totalActivity += project.activity;
    weightedJobs += project.activity * project.jobTemplates.length;
    cumulative.push(totalActivity);
  }
  const meanJobsPerPipeline = weightedJobs / totalActivity;
  const pipelinesPerMs =
    options.jobsPerDay / meanJobsPerPipeline / DAY / MEAN_DIURNAL_FACTOR;
  const pickProject = () => {
    const target = random.next() * totalActivity;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] <= target) low = middle + 1;
      else high = middle;
    }
    return active[low];
  };

  const end = timeline.now + options.futureMs;
  const burstAt = recordedBurstTime(timeline.now);
  let burstDone =
    !options.burstProject || burstAt < timeline.now - options.historyDays * DAY;
  let at = timeline.now - options.historyDays * DAY;
  for (;;) {
    at += random.exponential(1 / (pipelinesPerMs * diurnalFactor(at)));
    if (!burstDone && at >= burstAt) {
      burstDone = true;
      createBurstPipeline(
        context,
        runners,
        options.burstProject!,
        burstAt,
        'schedule',
        DEFAULT_BURST,
        random,
      );
    }
    if (at >= end) {
      break;
    }
    const project = pickProject();
    const source =
      PIPELINE_SOURCES[random.weightedIndex(PIPELINE_SOURCE_WEIGHTS)];
    createPipeline(context, project, project.jobTemplates, at, source, random);
  }
  return { store, dispatcher };
}
