import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  type AccessPolicy,
  type FleetLoad,
  fleetsOnPool,
  hardwarePoolAccess,
  hardwarePoolSpecSchema,
  poolJobLimits,
  type PoolJobLimits,
} from '@runner-fleet/plugin-runner-fleet-common';

/** One choice of the pool picker. */
export interface PoolOption {
  /** Entity reference, the field's value. */
  ref: string;
  title: string;
  access: AccessPolicy;
  /** Node shape and accelerators, for example `4 nodes · 64 vCPU / 512 GiB each · 16 × NVIDIA A100 80GB`. */
  capacity: string;
  limits: PoolJobLimits;
  /** Jobs running now and the concurrency of the pool's fleets, when the backend has sampled them. */
  load?: { runningJobs: number; pendingJobs: number; concurrency: number };
  /** Titles of the fleets on the pool. */
  fleets: string[];
}

/** Words shown for each access policy. */
export const ACCESS_LABELS: Record<AccessPolicy, string> = {
  open: 'Open',
  'on-request': 'On request',
  restricted: 'Restricted: needs approval',
};

/**
 * Builds picker options from hardware-pool and fleet entities and, when the
 * runner-fleet backend returned them, the fleets' latest load samples. Pools with
 * an invalid spec are left out.
 */
export function buildPoolOptions(
  pools: Entity[],
  fleets: Entity[],
  loads?: FleetLoad[],
): PoolOption[] {
  const options: PoolOption[] = [];
  for (const pool of pools) {
    const parsed = hardwarePoolSpecSchema.safeParse(pool.spec);
    if (!parsed.success) {
      continue;
    }
    const spec = parsed.data;
    const onPool = fleetsOnPool(pool, fleets);
    const accelerators = (spec.accelerators ?? [])
      .map(a => `${a.count} × ${a.model}`)
      .join(', ');
    const capacity = [
      `${spec.nodes.count} nodes`,
      `${spec.nodes.cpu} vCPU / ${spec.nodes.memoryGiB} GiB each`,
      accelerators || undefined,
    ]
      .filter(Boolean)
      .join(' · ');

    let load: PoolOption['load'];
    const sampled = onPool.flatMap(fleet => {
      const sample = loads?.find(l => l.fleetRef === fleet.ref);
      return sample ? [{ sample, concurrency: sample.concurrency ?? fleet.spec.concurrency }] : [];
    });
    if (sampled.length > 0) {
      load = sampled.reduce(
        (sum, { sample, concurrency }) => ({
          runningJobs: sum.runningJobs + sample.runningJobs,
          pendingJobs: sum.pendingJobs + sample.pendingJobs,
          concurrency: sum.concurrency + concurrency,
        }),
        { runningJobs: 0, pendingJobs: 0, concurrency: 0 },
      );
    }

    options.push({
      ref: stringifyEntityRef(pool),
      title: pool.metadata.title ?? pool.metadata.name,
      access: hardwarePoolAccess(pool, fleets),
      capacity,
      limits: poolJobLimits(spec),
      load,
      fleets: onPool.map(f => f.entity.metadata.title ?? f.entity.metadata.name),
    });
  }
  return options.sort((a, b) => a.title.localeCompare(b.title));
}
