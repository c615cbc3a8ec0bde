import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  GitLabRequestError,
  type GitLabClient,
  type GitLabRunner,
  type GitLabRunnerDetails,
  type GitLabRunnerManager,
  type GitLabRunnerType,
} from '@runner-fleet/plugin-runner-fleet-node';
import type { ObservedManager, ObservedRunner } from './liveFacts';

/** A runner whose details or managers could not be read. */
export interface RunnerReadFailure {
  runnerId: number;
  step: 'details' | 'managers';
  error: Error;
}

export interface RunnerReadResult {
  runners: ObservedRunner[];
  /** Runners in `/runners/all`, before details. */
  listed: number;
  /** Runners that returned 404 on details, deleted since they were listed. */
  deletedDuringSync: number[];
  /** Runners whose manager list GitLab did not return (404 or 403). */
  withoutManagers: number[];
  /** Manager calls left out because the runner never contacted GitLab. */
  skippedManagerCalls: number;
  /** Details or manager reads that failed for good. Empty on a complete read. */
  failures: RunnerReadFailure[];
}

const ALL_RUNNER_TYPES: GitLabRunnerType[] = [
  'instance_type',
  'group_type',
  'project_type',
];

async function listRunners(
  client: GitLabClient,
  runnerTypes: GitLabRunnerType[],
  signal?: AbortSignal,
): Promise<GitLabRunner[]> {
  const everyType = ALL_RUNNER_TYPES.every(type => runnerTypes.includes(type));
  if (everyType) {
    return client.listAllRunners({}, { signal });
  }
  const lists = [];
  for (const type of runnerTypes) {
    lists.push(await client.listAllRunners({ type }, { signal }));
  }
  return lists.flat();
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value ? value : undefined;
}

function toObservedManager(manager: GitLabRunnerManager): ObservedManager {
  return {
    systemId: manager.system_id,
    version: nonEmpty(manager.version),
    platform: nonEmpty(manager.platform),
    architecture: nonEmpty(manager.architecture),
    contactedAt: nonEmpty(manager.contacted_at),
  };
}

function toObservedRunner(
  listed: GitLabRunner,
  details: GitLabRunnerDetails,
  managers: GitLabRunnerManager[] | undefined,
): ObservedRunner {
  return {
    id: listed.id,
    description: details.description ?? listed.description ?? '',
    runnerType: details.runner_type ?? listed.runner_type,
    paused: details.paused ?? listed.paused ?? details.active === false,
    tags: [...(details.tag_list ?? [])].sort(),
    runUntagged: Boolean(details.run_untagged),
    reportedStatus: details.status ?? listed.status,
    contactedAt: nonEmpty(details.contacted_at),
    createdAt: nonEmpty(details.created_at ?? listed.created_at),
    managers: (managers ?? []).map(toObservedManager),
    managersKnown: managers !== undefined,
    legacyVersion: nonEmpty(details.version),
    legacyArchitecture: nonEmpty(details.architecture),
  };
}

function isStatus(error: unknown, ...statuses: number[]): boolean {
  return (
    error instanceof GitLabRequestError &&
    error.status !== undefined &&
    statuses.includes(error.status)
  );
}

/**
 * Reads every runner visible to the token, then each runner's details and
 * managers. Details and managers are read concurrently, within the client's
 * concurrency limit. The first read that fails for good aborts the reads
 * still pending, because the sync is incomplete anyway and would not be
 * applied. Throws when the runner list itself cannot be read.
 */
export async function readRunners(
  client: GitLabClient,
  options: {
    runnerTypes: GitLabRunnerType[];
    logger: LoggerService;
    signal?: AbortSignal;
  },
): Promise<RunnerReadResult> {
  const listed = await listRunners(client, options.runnerTypes, options.signal);
  options.logger.debug(`Listed ${listed.length} runners`);

  const abort = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, abort.signal])
    : abort.signal;
  const result: RunnerReadResult = {
    runners: [],
    listed: listed.length,
    deletedDuringSync: [],
    withoutManagers: [],
    skippedManagerCalls: 0,
    failures: [],
  };

  const fail = (
    runnerId: number,
    step: RunnerReadFailure['step'],
    error: unknown,
  ) => {
    // Reads cancelled by the abort below are a consequence, not a cause.
    if (
      error instanceof GitLabRequestError &&
      error.failure === 'aborted' &&
      abort.signal.aborted
    ) {
      return;
    }
    result.failures.push({
      runnerId,
      step,
      error: error instanceof Error ? error : new Error(String(error)),
    });
    abort.abort();
  };

  const readOne = async (runner: GitLabRunner) => {
    // GitLab creates a runner manager when the runner first contacts it, so
    // a runner that never did has none and the call can be left out.
    const skipManagers = runner.status === 'never_contacted';
    if (skipManagers) {
      result.skippedManagerCalls += 1;
    }

    const [details, managers] = await Promise.all([
      client.getRunner(runner.id, { signal }).catch(error => {
        if (isStatus(error, 404)) {
          result.deletedDuringSync.push(runner.id);
        } else {
          fail(runner.id, 'details', error);
        }
        return undefined;
      }),
      skipManagers
        ? Promise.resolve([] as GitLabRunnerManager[])
        : client.listRunnerManagers(runner.id, { signal }).catch(error => {
            if (isStatus(error, 403, 404)) {
              return undefined;
            }
            fail(runner.id, 'managers', error);
            return null;
          }),
    ]);

    if (!details || managers === null) {
      return;
    }
    if (managers === undefined) {
      result.withoutManagers.push(runner.id);
    }
    result.runners.push(toObservedRunner(runner, details, managers));
  };

  await Promise.all(listed.map(readOne));
  result.runners.sort((a, b) => a.id - b.id);
  return result;
}
