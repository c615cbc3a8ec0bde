import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  EXECUTORS,
  type Executor,
} from '@runner-fleet/plugin-runner-fleet-common';
import {
  readGitLabRequestPolicy,
  type GitLabRequestPolicy,
  type GitLabRunnerType,
} from '@runner-fleet/plugin-runner-fleet-node';
import type { FleetRule, UnmatchedPolicy } from './mapping';

/** Config key below which each provider has its own block, keyed by provider id. */
export const PROVIDERS_CONFIG_KEY = 'catalog.providers.runnerFleet';

/** Naming pattern of the example instance: `<fleet> @ <cluster>`, for example `k8s-default @ cluster-default-v3`. */
export const DEFAULT_NAMING_PATTERN = '^(?<fleet>.+?) @ (?<cluster>\\S+)$';

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
};

const RUNNER_TYPES: GitLabRunnerType[] = [
  'instance_type',
  'group_type',
  'project_type',
];

/** Settings of one discovery provider, read from `catalog.providers.runnerFleet.<id>`. */
export interface RunnerFleetProviderConfig {
  id: string;
  /** `integrations.gitlab` host; undefined when only one is configured. */
  host?: string;
  owner: string;
  namespace: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  runnerTypes: GitLabRunnerType[];
  discoveredNamePrefix: string;
  defaultExecutor: Executor;
  namingPattern?: RegExp;
  unmatched: UnmatchedPolicy;
  rules: FleetRule[];
  requestPolicy: GitLabRequestPolicy;
}

/**
 * Compiles a regular expression from config or an entity, with an error
 * that names where it came from when it is invalid.
 */
export function compilePattern(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new Error(
      `${where} is not a valid regular expression: ${JSON.stringify(
        pattern,
      )} (${(error as Error).message}); fix the pattern or remove it`,
    );
  }
}

/** Resolves a fleet name or reference to a lower-case `resource:<namespace>/<name>` reference. */
export function toFleetRef(
  value: string,
  namespace: string,
  where: string,
): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'resource',
      defaultNamespace: namespace,
    });
  } catch (error) {
    throw new Error(
      `${where} is not an entity reference: ${JSON.stringify(value)} (${
        (error as Error).message
      }); use a name such as fleet-k8s-default or resource:default/fleet-k8s-default`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'resource') {
    throw new Error(
      `${where} must refer to a Resource, got ${JSON.stringify(value)}`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

function readRules(
  config: Config,
  namespace: string,
  path: string,
): FleetRule[] {
  const ruleConfigs = config.getOptionalConfigArray('mapping.rules') ?? [];
  return ruleConfigs.map((rule, index) => {
    const where = `${path}.mapping.rules[${index}]`;
    const pattern = rule.getOptionalString('descriptionPattern');
    const tags = rule.getOptionalStringArray('tags');
    const systemIds = rule.getOptionalStringArray('systemIds');
    const executor = rule.getOptionalString('executor');
    if (!pattern && !tags?.length && !systemIds?.length) {
      throw new Error(
        `${where} has no criterion; set descriptionPattern, tags or systemIds`,
      );
    }
    if (executor !== undefined && !EXECUTORS.includes(executor as Executor)) {
      throw new Error(
        `${where}.executor is ${JSON.stringify(
          executor,
        )}; use one of ${EXECUTORS.join(', ')}`,
      );
    }
    return {
      fleetRef: toFleetRef(
        rule.getString('fleet'),
        namespace,
        `${where}.fleet`,
      ),
      descriptionPattern: pattern
        ? compilePattern(pattern, `${where}.descriptionPattern`)
        : undefined,
      tags,
      systemIds,
      executor: executor as Executor | undefined,
      source: 'config',
    };
  });
}

function readOne(id: string, config: Config): RunnerFleetProviderConfig {
  const path = `${PROVIDERS_CONFIG_KEY}.${id}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(id)) {
    throw new Error(
      `${path}: the provider id ${JSON.stringify(
        id,
      )} may contain only letters, digits, '-' and '_'`,
    );
  }

  const namespace = config.getOptionalString('namespace') ?? 'default';
  const owner =
    config.getOptionalString('owner') ?? 'group:default/platform-team';
  try {
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: namespace,
    });
  } catch (error) {
    throw new Error(
      `${path}.owner is not an entity reference: ${JSON.stringify(owner)} (${
        (error as Error).message
      }); use a group such as group:default/platform-team`,
    );
  }

  const runnerTypes = (config.getOptionalStringArray('runnerTypes') ??
    RUNNER_TYPES) as GitLabRunnerType[];
  for (const type of runnerTypes) {
    if (!RUNNER_TYPES.includes(type)) {
      throw new Error(
        `${path}.runnerTypes contains ${JSON.stringify(
          type,
        )}; use instance_type, group_type or project_type`,
      );
    }
  }

  const defaultExecutor = (config.getOptionalString('defaultExecutor') ??
    'kubernetes') as Executor;
  if (!EXECUTORS.includes(defaultExecutor)) {
    throw new Error(
      `${path}.defaultExecutor is ${JSON.stringify(
        defaultExecutor,
      )}; use one of ${EXECUTORS.join(', ')}`,
    );
  }

  const unmatched = (config.getOptionalString('mapping.unmatched') ??
    'group-by-tags') as UnmatchedPolicy;
  if (!['group-by-tags', 'group-all-by-tags', 'ignore'].includes(unmatched)) {
    throw new Error(
      `${path}.mapping.unmatched is ${JSON.stringify(
        unmatched,
      )}; use group-by-tags, group-all-by-tags or ignore`,
    );
  }

  const namingSource =
    config.getOptionalString('mapping.namingPattern') ?? DEFAULT_NAMING_PATTERN;
  let namingPattern: RegExp | undefined;
  if (namingSource !== '') {
    namingPattern = compilePattern(
      namingSource,
      `${path}.mapping.namingPattern`,
    );
    if (!namingSource.includes('(?<fleet>')) {
      throw new Error(
        `${path}.mapping.namingPattern must have a named group (?<fleet>...), got ${JSON.stringify(
          namingSource,
        )}; set it to an empty string to turn the pattern off`,
      );
    }
  }

  const prefix =
    config.getOptionalString('discoveredNamePrefix') ?? 'discovered-';
  if (prefix !== '' && !/^[a-z0-9][a-z0-9-]{0,20}$/.test(prefix)) {
    throw new Error(
      `${path}.discoveredNamePrefix is ${JSON.stringify(
        prefix,
      )}; use up to 21 lower-case letters, digits and '-', starting with a letter or digit`,
    );
  }

  return {
    id,
    host: config.getOptionalString('host'),
    owner,
    namespace,
    schedule: config.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    runnerTypes,
    discoveredNamePrefix: prefix,
    defaultExecutor,
    namingPattern,
    unmatched,
    rules: readRules(config, namespace, path),
    requestPolicy: readGitLabRequestPolicy(
      config.getOptionalConfig('gitlab'),
      `${path}.gitlab`,
    ),
  };
}

/**
 * Reads every provider block below `catalog.providers.runnerFleet`. Returns
 * an empty list when the key is absent. Throws on the first invalid value,
 * naming its config path, so a bad config stops the backend at startup.
 */
export function readRunnerFleetProviderConfigs(
  config: Config,
): RunnerFleetProviderConfig[] {
  const root = config.getOptionalConfig(PROVIDERS_CONFIG_KEY);
  if (!root) {
    return [];
  }
  return root.keys().map(id => readOne(id, root.getConfig(id)));
}
