import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';

/** Settings of the fleet load sampler, read from `runnerFleet.sampling`. */
export interface SamplingOptions {
  frequency: HumanDuration | { cron: string };
  timeout: HumanDuration;
  initialDelay: HumanDuration;
  /** How long samples are kept, in milliseconds. */
  retentionMs: number;
  /** Window over which jobs started per minute and queue waits are computed, in milliseconds. */
  windowMs: number;
  /** Hours of running-jobs history derived from job start and finish times on first start. */
  backfillHours: number;
  /** Resolution of the backfilled history, in seconds. */
  backfillResolutionSeconds: number;
}

/** Settings of the optional Prometheus source, read from `runnerFleet.prometheus`. */
export interface PrometheusOptions {
  baseUrl: string;
  /** Label that carries the fleet's entity name on the runners' metrics. */
  fleetLabel: string;
  timeoutMs: number;
}

/** Settings of the scorecard evaluation, read from `runnerFleet.scorecards`. */
export interface ScorecardOptions {
  frequency: HumanDuration | { cron: string };
  timeout: HumanDuration;
  initialDelay: HumanDuration;
  /** Projects claimed by one replica at a time. */
  batchSize: number;
  /** Projects evaluated in parallel inside one batch. */
  concurrency: number;
  /** A project is evaluated again once its last evaluation is older than this, in milliseconds. */
  reevaluateAfterMs: number;
  /** Job evidence is fetched again once it is older than this, in milliseconds. */
  evidenceMaxAgeMs: number;
  /** How long a claimed batch stays locked to one replica, in milliseconds. */
  lockMs: number;
  /** Evaluate every project the GitLab token can see, not only those in the catalog. */
  includeAllProjects: boolean;
  /** Cross-check the resolved job list against GitLab's CI lint `merged_yaml`. */
  ciLintCrossCheck: boolean;
  /** Re-check a project when a `gitlab.push` event arrives for it. */
  pushEvents: boolean;
  /** Days of job history used as evidence. */
  evidenceWindowDays: number;
  /** Maximum jobs read per project for evidence. */
  evidenceMaxJobs: number;
  /** Hosts that remote includes may be fetched from. */
  allowedRemoteHosts: string[];
}

/** Settings of the migration overview, read from `runnerFleet.migration`. */
export interface MigrationOptions {
  /** ISO date (YYYY-MM-DD) on which the legacy fleet is switched off. */
  decommissionDate: string;
  /** Entity reference of the legacy Docker Machine fleet. */
  legacyFleetRef: string;
}

/** Settings of the runner list flags, read from `runnerFleet.runners`. */
export interface RunnerOptions {
  /** Runners without contact for longer than this are flagged stale, in milliseconds. */
  staleAfterMs: number;
  /** Versions below this one are flagged outdated; default: older minor than the newest seen. */
  minimumVersion?: string;
}

/** All settings of the plugin. */
export interface RunnerFleetOptions {
  sampling: SamplingOptions;
  prometheus?: PrometheusOptions;
  scorecards: ScorecardOptions;
  migration: MigrationOptions;
  runners: RunnerOptions;
}

function durationMs(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(duration(config, key, fallback));
}

function duration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config?.has(key)) {
    return fallback;
  }
  return readDurationFromConfig(config, { key });
}

/** Reads a task frequency: a duration, or `{ cron: '...' }`. */
function frequency(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): HumanDuration | { cron: string } {
  const raw = config?.getOptional(key);
  if (raw && typeof raw === 'object' && 'cron' in raw) {
    return { cron: config!.getString(`${key}.cron`) };
  }
  return duration(config, key, fallback);
}

function positiveInteger(
  config: Config | undefined,
  key: string,
  fallback: number,
  path: string,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      `Invalid config ${path}.${key}: ${value}; set it to a whole number of 1 or more`,
    );
  }
  return value;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads and validates the `runnerFleet` config block, filling in defaults. */
export function readRunnerFleetOptions(root: Config): RunnerFleetOptions {
  const config = root.getOptionalConfig('runnerFleet');
  const sampling = config?.getOptionalConfig('sampling');
  const prometheus = config?.getOptionalConfig('prometheus');
  const scorecards = config?.getOptionalConfig('scorecards');
  const migration = config?.getOptionalConfig('migration');
  const runners = config?.getOptionalConfig('runners');

  const decommissionDate =
    migration?.getOptionalString('decommissionDate') ?? '2027-03-31';
  if (!ISO_DATE.test(decommissionDate)) {
    throw new InputError(
      `Invalid config runnerFleet.migration.decommissionDate: "${decommissionDate}"; use an ISO date such as 2027-03-31`,
    );
  }

  const prometheusBaseUrl = prometheus?.getOptionalString('baseUrl');
  if (prometheusBaseUrl !== undefined) {
    let protocol: string | undefined;
    try {
      protocol = new URL(prometheusBaseUrl).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new InputError(
        `Invalid config runnerFleet.prometheus.baseUrl: "${prometheusBaseUrl}"; use an absolute URL such as http://prometheus:9090`,
      );
    }
  }

  return {
    sampling: {
      frequency: frequency(sampling, 'frequency', { minutes: 1 }),
      timeout: duration(sampling, 'timeout', { minutes: 5 }),
      initialDelay: duration(sampling, 'initialDelay', { seconds: 15 }),
      retentionMs: durationMs(sampling, 'retention', { days: 14 }),
      windowMs: durationMs(sampling, 'window', { minutes: 10 }),
      backfillHours: positiveInteger(
        sampling,
        'backfillHours',
        6,
        'runnerFleet.sampling',
      ),
      backfillResolutionSeconds: positiveInteger(
        sampling,
        'backfillResolutionSeconds',
        10,
        'runnerFleet.sampling',
      ),
    },
    prometheus: prometheusBaseUrl
      ? {
          baseUrl: prometheusBaseUrl.replace(/\/+$/, ''),
          fleetLabel: prometheus?.getOptionalString('fleetLabel') ?? 'fleet',
          timeoutMs: durationMs(prometheus, 'timeout', { seconds: 10 }),
        }
      : undefined,
    scorecards: {
      frequency: frequency(scorecards, 'frequency', { minutes: 5 }),
      timeout: duration(scorecards, 'timeout', { minutes: 30 }),
      initialDelay: duration(scorecards, 'initialDelay', { seconds: 30 }),
      batchSize: positiveInteger(
        scorecards,
        'batchSize',
        50,
        'runnerFleet.scorecards',
      ),
      concurrency: positiveInteger(
        scorecards,
        'concurrency',
        8,
        'runnerFleet.scorecards',
      ),
      reevaluateAfterMs: durationMs(scorecards, 'reevaluateAfter', {
        hours: 6,
      }),
      evidenceMaxAgeMs: durationMs(scorecards, 'evidenceMaxAge', {
        hours: 24,
      }),
      lockMs: durationMs(scorecards, 'lockDuration', { minutes: 10 }),
      includeAllProjects:
        scorecards?.getOptionalBoolean('includeAllProjects') ?? false,
      ciLintCrossCheck:
        scorecards?.getOptionalBoolean('ciLintCrossCheck') ?? false,
      pushEvents: scorecards?.getOptionalBoolean('pushEvents') ?? true,
      evidenceWindowDays: positiveInteger(
        scorecards,
        'evidenceWindowDays',
        30,
        'runnerFleet.scorecards',
      ),
      evidenceMaxJobs: positiveInteger(
        scorecards,
        'evidenceMaxJobs',
        200,
        'runnerFleet.scorecards',
      ),
      allowedRemoteHosts:
        scorecards?.getOptionalStringArray('allowedRemoteHosts') ?? [],
    },
    migration: {
      decommissionDate,
      legacyFleetRef:
        migration?.getOptionalString('legacyFleet') ??
        'resource:default/fleet-docker-machine',
    },
    runners: {
      staleAfterMs: durationMs(runners, 'staleAfter', { days: 7 }),
      minimumVersion: runners?.getOptionalString('minimumVersion'),
    },
  };
}
