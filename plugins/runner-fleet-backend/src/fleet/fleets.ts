import {
  AuthService,
} from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  RUNNER_FLEET_TYPE,
  type FleetLiveFacts,
} from '@runner-fleet/plugin-runner-fleet-common';
import type { GitLabJob } from '../lib/gitlab';

/** A runner fleet from the catalog, with the fields the sampler and scorecards use. */
export interface Fleet {
  ref: string;
  namespace: string;
  name: string;
  title?: string;
  lifecycle?: string;
  executor?: string;
  tags: string[];
  runUntagged: boolean;
  concurrency?: number;
  /** GitLab runner ids from `spec.live.runnerIds`, or from the tag mapping when discovery has not run. */
  runnerIds: number[];
  /** True when `runnerIds` came from discovery rather than the tag mapping. */
  runnerIdsFromDiscovery: boolean;
  /** Cluster entity references from `spec.clusters`, in spec order. Absent means the fleet declares none. */
  clusterRefs?: string[];
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Reads `spec.clusters`, whose items are `{ ref }` objects or plain
 * references, normalised to `resource:<namespace>/<name>` with the fleet's
 * namespace as default. Unparsable references are skipped.
 */
function clusterRefsOf(value: unknown, namespace: string): string[] {
  if (!Array.isArray(value)) return [];
  const refs: string[] = [];
  for (const item of value) {
    const ref = typeof item === 'string' ? item : (item as { ref?: unknown } | null)?.ref;
    if (typeof ref !== 'string' || ref === '') continue;
    try {
      refs.push(
        stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'resource', defaultNamespace: namespace })),
      );
    } catch {
      continue;
    }
  }
  return refs;
}

function toFleet(entity: Entity): Fleet {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const live = spec.live as Partial<FleetLiveFacts> | undefined;
  const runnerIds = Array.isArray(live?.runnerIds)
    ? live!.runnerIds.filter((id): id is number => Number.isInteger(id))
    : undefined;
  return {
    ref: stringifyEntityRef(entity),
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    title: entity.metadata.title,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
    executor: typeof spec.executor === 'string' ? spec.executor : undefined,
    tags: stringArray(spec.tags),
    runUntagged: spec.runUntagged === true,
    concurrency: typeof spec.concurrency === 'number' ? spec.concurrency : undefined,
    runnerIds: runnerIds ?? [],
    runnerIdsFromDiscovery: runnerIds !== undefined,
    clusterRefs: clusterRefsOf(spec.clusters, entity.metadata.namespace ?? 'default'),
  };
}

/** Reads all runner fleet entities from the catalog. */
export async function loadFleets(
  catalog: CatalogService,
  auth: AuthService,
): Promise<Fleet[]> {
  const credentials = await auth.getOwnServiceCredentials();
  const { items } = await catalog.getEntities(
    { filter: { kind: 'Resource', 'spec.type': RUNNER_FLEET_TYPE } },
    { credentials },
  );
  return items.map(toFleet).sort((a, b) => a.ref.localeCompare(b.ref));
}

/**
 * Assigns runners to fleets that lack `spec.live.runnerIds`, given for each
 * fleet the runners that carry all its tags. A runner belongs to the
 * matching fleet with the most tags, so a QA runner tagged
 * `k8s-default, qa` goes to the QA fleet and not to the default fleet.
 */
export function assignRunnersByTags(
  fleets: Fleet[],
  runnersByFleet: Map<string, number[]>,
): Fleet[] {
  const best = new Map<number, Fleet>();
  for (const fleet of fleets) {
    for (const runnerId of runnersByFleet.get(fleet.ref) ?? []) {
      const current = best.get(runnerId);
      if (!current || fleet.tags.length > current.tags.length) best.set(runnerId, fleet);
    }
  }
  const assigned = new Map<string, number[]>();
  for (const [runnerId, fleet] of best) {
    assigned.set(fleet.ref, [...(assigned.get(fleet.ref) ?? []), runnerId]);
  }
  return fleets.map(fleet =>
    fleet.runnerIdsFromDiscovery
      ? fleet
      : { ...fleet, runnerIds: (assigned.get(fleet.ref) ?? []).sort((a, b) => a - b) },
  );
}

function isSubset(subset: string[], superset: string[]): boolean {
  return subset.every(tag => superset.includes(tag));
}

/** Maps jobs to fleets by runner id, and by tags for jobs without a runner. */
export class FleetResolver {
  private readonly byRunner = new Map<number, Fleet>();

  constructor(readonly fleets: Fleet[]) {
    for (const fleet of fleets) {
      for (const id of fleet.runnerIds) this.byRunner.set(id, fleet);
    }
  }

  fleetOfRunner(runnerId: number): Fleet | undefined {
    return this.byRunner.get(runnerId);
  }

  /**
   * Returns the fleet a job ran on, or for a pending job the fleet that can
   * pick it up. The runner id decides first. Otherwise a tagged job goes to
   * the fleet with the fewest tags that covers the job's tags, and an
   * untagged job to a fleet with `runUntagged`.
   */
  fleetOfJob(job: Pick<GitLabJob, 'runner' | 'tag_list'>): Fleet | undefined {
    if (job.runner?.id !== undefined) {
      const fleet = this.byRunner.get(job.runner.id);
      if (fleet) return fleet;
    }
    const tags = job.tag_list ?? [];
    if (tags.length === 0) {
      return this.fleets.find(
        fleet => fleet.runUntagged && fleet.lifecycle !== 'decommissioned',
      );
    }
    let best: Fleet | undefined;
    for (const fleet of this.fleets) {
      if (!isSubset(tags, fleet.tags)) continue;
      if (!best || fleet.tags.length < best.tags.length) best = fleet;
    }
    return best;
  }
}

/** Parses `:namespace/:name` route parameters into a fleet entity reference. */
export function fleetRefFromParams(namespace: string, name: string): string {
  return stringifyEntityRef({ kind: 'Resource', namespace, name });
}
