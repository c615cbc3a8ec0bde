import type { QueueWaitPercentiles } from '@runner-fleet/plugin-runner-fleet-common';
import type { GitLabApi, GitLabJob } from '../lib/gitlab';
import type { NewFleetSample } from '../database/FleetStore';
import type { PrometheusOptions } from '../config';
import { Fleet, FleetResolver } from './fleets';
import { countJobsByCluster } from './clusters';

/** Nearest-rank percentile of sorted values; 0 for an empty list. */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function queuePercentiles(waits: number[]): QueueWaitPercentiles {
  const sorted = [...waits].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p99: round(percentile(sorted, 0.99)),
  };
}

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}

function timeMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The time span one sample covers. */
export interface SampleWindow {
  nowMs: number;
  /** End of the previous sample of the fleet; counts of started and failed jobs start here. */
  sinceMs: number;
  /** Span for jobs started per minute and queue waits, in milliseconds. */
  windowMs: number;
  resolutionSeconds: number;
}

/**
 * Samples a fleet through the GitLab runner jobs API: per runner one
 * request for running jobs and one for the newest 100 jobs. Pending jobs
 * have no runner yet, so they are matched to the fleet by tags from the
 * instance-wide pending list, when the token may read it.
 */
export async function sampleFleetFromGitLab(
  gitlab: GitLabApi,
  fleet: Fleet,
  window: SampleWindow,
  pendingJobs: GitLabJob[] | undefined,
  resolver: FleetResolver,
): Promise<NewFleetSample> {
  const perRunner = await mapLimited(fleet.runnerIds, 4, async runnerId => {
    const [running, recent] = await Promise.all([
      gitlab.listRunnerJobs(runnerId, { status: 'running', limit: 1000 }),
      gitlab.listRunnerJobs(runnerId, { limit: 100 }),
    ]);
    return { runnerId, running, recent };
  });

  const seen = new Set<number>();
  const recentJobs: GitLabJob[] = [];
  let runningJobs = 0;
  for (const { running, recent } of perRunner) {
    runningJobs += running.length;
    for (const job of [...running, ...recent]) {
      if (seen.has(job.id)) continue;
      seen.add(job.id);
      recentJobs.push(job);
    }
  }

  const windowStart = window.nowMs - window.windowMs;
  const isStartedInWindow = (job: GitLabJob) => {
    const started = timeMs(job.started_at);
    return started !== undefined && started > windowStart && started <= window.nowMs;
  };
  const startedInWindow = recentJobs.filter(isStartedInWindow);
  const clusters = countJobsByCluster(
    fleet,
    perRunner.map(({ runnerId, running, recent }) => {
      const ids = new Set<number>();
      const started = [...running, ...recent].filter(job => {
        if (ids.has(job.id) || !isStartedInWindow(job)) return false;
        ids.add(job.id);
        return true;
      });
      return { runnerId, running, startedInWindow: started };
    }),
  );
  const jobsStarted = recentJobs.filter(job => {
    const started = timeMs(job.started_at);
    return started !== undefined && started > window.sinceMs && started <= window.nowMs;
  }).length;

  const failuresByReason: Record<string, number> = {};
  for (const job of recentJobs) {
    const finished = timeMs(job.finished_at);
    if (
      job.status === 'failed' &&
      finished !== undefined &&
      finished > window.sinceMs &&
      finished <= window.nowMs
    ) {
      const reason = job.failure_reason || 'unknown_failure';
      failuresByReason[reason] = (failuresByReason[reason] ?? 0) + 1;
    }
  }

  const waits = startedInWindow
    .map(job => job.queued_duration)
    .filter((value): value is number => typeof value === 'number');

  const pending = (pendingJobs ?? []).filter(
    job => resolver.fleetOfJob(job)?.ref === fleet.ref,
  ).length;

  return {
    fleetRef: fleet.ref,
    sampledAtMs: window.nowMs,
    resolutionSeconds: window.resolutionSeconds,
    runningJobs,
    pendingJobs: pending,
    jobsStarted,
    jobsStartedPerMinute:
      Math.round((startedInWindow.length / (window.windowMs / 60_000)) * 100) / 100,
    queueWaitSeconds: queuePercentiles(waits),
    failuresByReason,
    clusters,
    source: 'gitlab',
  };
}

/** Runs one PromQL instant query and returns its vector as label sets and values. */
async function promQuery(
  options: PrometheusOptions,
  query: string,
  atMs: number,
): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const url = new URL(`${options.baseUrl}/api/v1/query`);
  url.searchParams.set('query', query);
  url.searchParams.set('time', String(atMs / 1000));
  const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`Prometheus query failed with HTTP ${response.status}: ${query}`);
  }
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (body.status !== 'success' || !body.data) {
    throw new Error(`Prometheus query failed: ${body.error ?? 'no data'}: ${query}`);
  }
  return body.data.result.map(item => {
    const value = Number(item.value[1]);
    return { labels: item.metric, value: Number.isFinite(value) ? value : 0 };
  });
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Samples a fleet from the runners' Prometheus metrics. The fleet's series
 * are selected by the label `runnerFleet.prometheus.fleetLabel` carrying the
 * fleet's entity name, which the Prometheus scrape config must add. Pending
 * jobs are not in the runner metrics and come from GitLab.
 */
export async function sampleFleetFromPrometheus(
  options: PrometheusOptions,
  fleet: Fleet,
  window: SampleWindow,
  pendingJobs: number,
): Promise<NewFleetSample> {
  const selector = `${options.fleetLabel}="${escapeLabelValue(fleet.name)}"`;
  const windowSeconds = Math.max(60, Math.round(window.windowMs / 1000));
  const sinceSeconds = Math.max(1, Math.round((window.nowMs - window.sinceMs) / 1000));
  const scalar = async (query: string) => {
    const result = await promQuery(options, query, window.nowMs);
    return result.reduce((sum, item) => sum + item.value, 0);
  };
  const quantile = (q: number) =>
    scalar(
      `histogram_quantile(${q}, sum by (le) (rate(gitlab_runner_job_queue_duration_seconds_bucket{${selector}}[${windowSeconds}s])))`,
    );

  const [running, startedInWindow, startedSince, p50, p90, p99, failures] =
    await Promise.all([
      scalar(`sum(gitlab_runner_jobs{${selector}})`),
      scalar(`sum(increase(gitlab_runner_jobs_total{${selector}}[${windowSeconds}s]))`),
      scalar(`sum(increase(gitlab_runner_jobs_total{${selector}}[${sinceSeconds}s]))`),
      quantile(0.5),
      quantile(0.9),
      quantile(0.99),
      promQuery(
        options,
        `sum by (failure_reason) (increase(gitlab_runner_failed_jobs_total{${selector}}[${sinceSeconds}s]))`,
        window.nowMs,
      ),
    ]);

  const failuresByReason: Record<string, number> = {};
  for (const item of failures) {
    const count = Math.round(item.value);
    if (count > 0) failuresByReason[item.labels.failure_reason || 'unknown_failure'] = count;
  }
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    fleetRef: fleet.ref,
    sampledAtMs: window.nowMs,
    resolutionSeconds: window.resolutionSeconds,
    runningJobs: Math.round(running),
    pendingJobs,
    jobsStarted: Math.round(startedSince),
    jobsStartedPerMinute: Math.round((startedInWindow / (windowSeconds / 60)) * 100) / 100,
    queueWaitSeconds: { p50: round(p50), p90: round(p90), p99: round(p99) },
    failuresByReason,
    source: 'prometheus',
  };
}

/**
 * Derives running-jobs history for the last hours from the start and finish
 * times of the fleet's jobs, one sample per `resolutionSeconds`. Jobs still
 * running count until now. Queue waits are those of the jobs that started in
 * each step; failures are left out, because the live samples count them.
 */
export async function backfillFleet(
  gitlab: GitLabApi,
  fleet: Fleet,
  options: { nowMs: number; hours: number; resolutionSeconds: number },
): Promise<NewFleetSample[]> {
  const fromMs = options.nowMs - options.hours * 3_600_000;
  const createdAfter = new Date(fromMs - 3_600_000);
  const perRunner = await mapLimited(fleet.runnerIds, 4, runnerId =>
    gitlab.listRunnerJobs(runnerId, { limit: 5000, createdAfter }),
  );
  const intervals: Array<{ start: number; end: number; wait?: number }> = [];
  const seen = new Set<number>();
  for (const jobs of perRunner) {
    for (const job of jobs) {
      if (seen.has(job.id)) continue;
      seen.add(job.id);
      const start = timeMs(job.started_at);
      if (start === undefined) continue;
      const end = timeMs(job.finished_at) ?? options.nowMs;
      if (end < fromMs) continue;
      intervals.push({ start, end, wait: job.queued_duration ?? undefined });
    }
  }

  const stepMs = options.resolutionSeconds * 1000;
  const firstStep = Math.ceil(fromMs / stepMs) * stepMs;
  const samples: NewFleetSample[] = [];
  for (let t = firstStep; t <= options.nowMs; t += stepMs) {
    let running = 0;
    const started: number[] = [];
    for (const interval of intervals) {
      if (interval.start <= t && t < interval.end) running += 1;
      if (interval.start > t - stepMs && interval.start <= t && interval.wait !== undefined) {
        started.push(interval.wait);
      }
    }
    const startedCount = intervals.filter(i => i.start > t - stepMs && i.start <= t).length;
    samples.push({
      fleetRef: fleet.ref,
      sampledAtMs: t,
      resolutionSeconds: options.resolutionSeconds,
      runningJobs: running,
      pendingJobs: 0,
      jobsStarted: startedCount,
      jobsStartedPerMinute: Math.round(startedCount * (60 / options.resolutionSeconds) * 100) / 100,
      queueWaitSeconds: queuePercentiles(started),
      failuresByReason: {},
      source: 'backfill',
    });
  }
  return samples;
}
