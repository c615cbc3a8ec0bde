import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  type AccessPolicy,
  type HardwarePoolSpec,
  type RunnerFleetSpec,
  runnerFleetSpecSchema,
} from './entities';

/** Access policies from least to most restrictive. @public */
export const ACCESS_POLICY_ORDER: readonly AccessPolicy[] = [
  'open',
  'on-request',
  'restricted',
];

/** Annotation on a hardware pool that sets its access policy explicitly. @public */
export const POOL_ACCESS_ANNOTATION = 'runner-fleet.io/access';

/** Most one job pod may request on a pool: one node's worth. @public */
export interface PoolJobLimits {
  /** vCPUs of one node. */
  cpu: number;
  /** Memory of one node in GiB. */
  memoryGiB: number;
  /** Accelerators on one node, the pool's total spread evenly; 0 without any. */
  acceleratorsPerNode: number;
}

/** Computes the per-job limits of a pool from its node shape. @public */
export function poolJobLimits(spec: HardwarePoolSpec): PoolJobLimits {
  const accelerators = (spec.accelerators ?? []).reduce(
    (sum, accelerator) => sum + accelerator.count,
    0,
  );
  return {
    cpu: spec.nodes.cpu,
    memoryGiB: spec.nodes.memoryGiB,
    acceleratorsPerNode: Math.floor(accelerators / Math.max(spec.nodes.count, 1)),
  };
}

function resourceRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'resource', defaultNamespace: 'default' }),
  );
}

/**
 * Returns the fleets whose `spec.clusters` include a cluster of the pool,
 * skipping fleet entities with an invalid spec.
 * @public
 */
export function fleetsOnPool(
  pool: Entity,
  fleets: Entity[],
): Array<{ ref: string; entity: Entity; spec: RunnerFleetSpec }> {
  const clusters = (pool.spec as { clusters?: unknown } | undefined)?.clusters;
  const poolClusters = new Set(
    (Array.isArray(clusters) ? clusters : [])
      .filter((c): c is string => typeof c === 'string')
      .map(resourceRef),
  );
  const result: Array<{ ref: string; entity: Entity; spec: RunnerFleetSpec }> = [];
  for (const fleet of fleets) {
    const parsed = runnerFleetSpecSchema.safeParse(fleet.spec);
    if (!parsed.success) {
      continue;
    }
    if ((parsed.data.clusters ?? []).some(c => poolClusters.has(resourceRef(c.ref)))) {
      result.push({ ref: stringifyEntityRef(fleet), entity: fleet, spec: parsed.data });
    }
  }
  return result;
}

/**
 * Returns the access policy of a hardware pool: the `runner-fleet.io/access`
 * annotation when set, otherwise the least restrictive policy of the fleets
 * on the pool (a pool is as open as its most open fleet). A pool without
 * fleets is `restricted`, because no access policy was agreed for it yet.
 * @public
 */
export function hardwarePoolAccess(pool: Entity, fleets: Entity[]): AccessPolicy {
  const annotated = pool.metadata.annotations?.[POOL_ACCESS_ANNOTATION];
  if (annotated && (ACCESS_POLICY_ORDER as readonly string[]).includes(annotated)) {
    return annotated as AccessPolicy;
  }
  const onPool = fleetsOnPool(pool, fleets);
  if (onPool.length === 0) {
    return 'restricted';
  }
  return onPool
    .map(f => f.spec.access)
    .reduce((least, next) =>
      ACCESS_POLICY_ORDER.indexOf(next) < ACCESS_POLICY_ORDER.indexOf(least) ? next : least,
    );
}
