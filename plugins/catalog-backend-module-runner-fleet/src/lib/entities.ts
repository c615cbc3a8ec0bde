import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  ANNOTATIONS,
  ARCHITECTURES,
  RUNNER_FLEET_TYPE,
  type Architecture,
  type Executor,
  type FleetLifecycle,
  type FleetLiveFacts,
} from '@runner-fleet/plugin-runner-fleet-common';
import type { ObservedRunner } from './liveFacts';
import { toEntityName, type FleetGroup } from './mapping';

type SpecValue = NonNullable<Entity['spec']>[string];

/** Types live facts as a spec value; `FleetLiveFacts` holds only JSON values. */
export function toSpecValue(facts: FleetLiveFacts): SpecValue {
  return facts as unknown as SpecValue;
}

/** GOARCH names that GitLab Runner reports, mapped to Kubernetes' names. */
const ARCHITECTURE_ALIASES: Record<string, Architecture> = {
  amd64: 'amd64',
  x86_64: 'amd64',
  arm64: 'arm64',
  aarch64: 'arm64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
};

/**
 * Infers a lifecycle from live facts: no runners means `planned`; all
 * runners stale means `decommissioned`; all runners paused means `draining`;
 * anything else is `production`.
 */
export function inferLifecycle(facts: FleetLiveFacts): FleetLifecycle {
  const counts = facts.runners;
  if (counts.total === 0) {
    return 'planned';
  }
  if (counts.stale === counts.total) {
    return 'decommissioned';
  }
  if (counts.paused === counts.total) {
    return 'draining';
  }
  return 'production';
}

/**
 * Picks the architecture that most runner managers report, or `amd64` when
 * none reports a known one. Ties go to the name that sorts first.
 */
export function inferArchitecture(runners: ObservedRunner[]): Architecture {
  const counts = new Map<Architecture, number>();
  for (const runner of runners) {
    const reported = runner.managers.map(m => m.architecture);
    if (reported.length === 0) {
      reported.push(runner.legacyArchitecture);
    }
    for (const name of reported) {
      const known = name ? ARCHITECTURE_ALIASES[name.toLowerCase()] : undefined;
      if (known && ARCHITECTURES.includes(known)) {
        counts.set(known, (counts.get(known) ?? 0) + 1);
      }
    }
  }
  const ranked = [...counts].sort(
    ([nameA, countA], [nameB, countB]) =>
      countB - countA || nameA.localeCompare(nameB),
  );
  return ranked[0]?.[0] ?? 'amd64';
}

/** Tags the fleet spec accepts; GitLab allows more, which stay in `spec.live.tags` only. */
const SPEC_TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/+-]*$/;

function inferAccess(runners: ObservedRunner[]): 'open' | 'restricted' {
  return runners.every(r => r.runnerType === 'instance_type')
    ? 'open'
    : 'restricted';
}

export interface DiscoveredFleetOptions {
  group: FleetGroup;
  facts: FleetLiveFacts;
  providerName: string;
  owner: string;
  namePrefix: string;
  defaultExecutor: Executor;
  /** Web URL of the GitLab instance, for the location annotations. */
  gitlabBaseUrl: string;
}

/**
 * Builds the `Resource` entity of a fleet that is not declared in the
 * catalog. Values GitLab does not report get documented defaults:
 * `concurrency` 0 (unknown) and the configured default executor, unless a
 * config rule set one.
 */
export function buildDiscoveredFleet(options: DiscoveredFleetOptions): Entity {
  const { group, facts } = options;
  const ref = parseEntityRef(group.fleetRef);
  const name = toEntityName(`${options.namePrefix}${ref.name}`);
  const location = `url:${options.gitlabBaseUrl}/admin/runners`;
  const descriptions = [...new Set(group.runners.map(r => r.description))];

  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: ref.namespace,
      title: `${ref.name} (discovered)`,
      description: `Runners discovered on GitLab that no declared fleet claims, grouped by ${
        group.matchedBy
      }. Example description: ${JSON.stringify(descriptions[0] ?? '')}.`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATIONS.discovered]: 'true',
        [ANNOTATIONS.provider]: options.providerName,
      },
      tags: ['discovered'],
    },
    spec: {
      type: RUNNER_FLEET_TYPE,
      owner: options.owner,
      lifecycle: inferLifecycle(facts),
      executor: group.executor ?? options.defaultExecutor,
      tags: facts.tags.filter(tag => SPEC_TAG_PATTERN.test(tag)),
      runUntagged: facts.runUntagged,
      access: inferAccess(group.runners),
      // NOTE: GitLab's API does not expose `concurrent` from config.toml, so
      // discovered fleets report 0 (unknown); declare the fleet to set it.
      concurrency: 0,
      architecture: inferArchitecture(group.runners),
      ...(group.clusters.length > 0
        ? {
            clusters: group.clusters.map(cluster => ({
              ref: `resource:${ref.namespace}/${toEntityName(cluster)}`,
            })),
          }
        : {}),
      live: toSpecValue(facts),
    },
  };
}
