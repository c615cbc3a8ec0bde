import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  type AccessPolicy,
  HARDWARE_POOL_TYPE,
  type HardwarePoolSpec,
  type PoolJobLimits,
  RUNNER_FLEET_TYPE,
  type RunnerFleetSpec,
  fleetsOnPool,
  hardwarePoolAccess,
  hardwarePoolSpecSchema,
  poolJobLimits,
} from '@runner-fleet/plugin-runner-fleet-common';

/** Annotation on a pool that names the device plugin's extended resource. */
export const ACCELERATOR_RESOURCE_ANNOTATION =
  'runner-fleet.io/accelerator-resource';

/**
 * Extended resource names of the usual device plugins. The FPGA name depends
 * on the shell loaded on the board, so pools should set the annotation.
 */
const DEFAULT_ACCELERATOR_RESOURCES = {
  gpu: 'nvidia.com/gpu',
  fpga: 'amd.com/xilinx',
} as const;

/** A hardware pool read from the catalog, with the limits a job may request. */
export interface HardwarePool {
  ref: string;
  name: string;
  title: string;
  spec: HardwarePoolSpec;
  /** Access policy, as `hardwarePoolAccess` from the common package computes it. */
  access: AccessPolicy;
  /** Fleets whose clusters belong to the pool. */
  fleets: Array<{ ref: string; spec: RunnerFleetSpec }>;
  limits: PoolLimits;
  accelerator?: {
    type: 'gpu' | 'fpga';
    model: string;
    /** Kubernetes extended resource name, for example `nvidia.com/gpu`. */
    resourceName: string;
  };
}

/** Maximum resources one job pod may request on a pool. */
export type PoolLimits = PoolJobLimits;

function normalizePoolRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'resource', defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(
      `pool "${ref}" is not an entity reference; use one such as resource:default/pool-gpu`,
    );
  }
}

/** Builds a {@link HardwarePool} from a pool entity and the catalog's fleets. */
export function toHardwarePool(
  entity: Entity,
  fleetEntities: Entity[],
): HardwarePool {
  const ref = stringifyEntityRef(entity);
  const parsed = hardwarePoolSpecSchema.safeParse(entity.spec);
  if (!parsed.success) {
    throw new InputError(
      `pool ${ref} has an invalid spec (${parsed.error.issues
        .map(i => `spec.${i.path.join('.')}: ${i.message}`)
        .join('; ')}); ask its owner to fix the catalog entity`,
    );
  }
  const spec = parsed.data;
  const fleets = fleetsOnPool(entity, fleetEntities).map(f => ({
    ref: f.ref,
    spec: f.spec,
  }));
  const access = hardwarePoolAccess(entity, fleetEntities);

  const firstAccelerator = spec.accelerators?.[0];
  return {
    ref,
    name: entity.metadata.name,
    title: entity.metadata.title ?? entity.metadata.name,
    spec,
    access,
    fleets,
    limits: poolJobLimits(spec),
    accelerator: firstAccelerator && {
      type: firstAccelerator.type,
      model: firstAccelerator.model,
      resourceName:
        entity.metadata.annotations?.[ACCELERATOR_RESOURCE_ANNOTATION] ??
        DEFAULT_ACCELERATOR_RESOURCES[firstAccelerator.type],
    },
  };
}

/**
 * Reads a hardware pool and the fleets on it from the catalog with the
 * task initiator's credentials, so catalog permissions apply.
 * Throws `NotFoundError` when the pool does not exist or is not a pool.
 */
export async function loadHardwarePool(
  catalog: CatalogService,
  poolRef: string,
  credentials: BackstageCredentials,
): Promise<HardwarePool> {
  const ref = normalizePoolRef(poolRef);
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new NotFoundError(
      `pool ${ref} was not found in the catalog; pick one of the hardware-pool resources`,
    );
  }
  if (
    entity.kind.toLocaleLowerCase('en-US') !== 'resource' ||
    (entity.spec as { type?: unknown } | undefined)?.type !== HARDWARE_POOL_TYPE
  ) {
    throw new InputError(
      `pool ${ref} is not a resource of type ${HARDWARE_POOL_TYPE}`,
    );
  }
  const { items } = await catalog.getEntities(
    { filter: { kind: 'resource', 'spec.type': RUNNER_FLEET_TYPE } },
    { credentials },
  );
  return toHardwarePool(entity, items);
}

/**
 * Checks requested resources against a pool's per-job limits.
 * Throws an `InputError` naming the field, the value and the limit.
 */
export function checkRequestWithinPool(
  pool: HardwarePool,
  request: { cpu: number; memoryGiB: number; accelerators: number },
): void {
  const { limits } = pool;
  if (request.cpu > limits.cpu) {
    throw new InputError(
      `resources.cpu ${request.cpu} exceeds the ${limits.cpu} vCPUs of one node in ${pool.ref}; request at most ${limits.cpu}`,
    );
  }
  if (request.memoryGiB > limits.memoryGiB) {
    throw new InputError(
      `resources.memoryGiB ${request.memoryGiB} exceeds the ${limits.memoryGiB} GiB of one node in ${pool.ref}; request at most ${limits.memoryGiB}`,
    );
  }
  if (request.accelerators > limits.acceleratorsPerNode) {
    throw new InputError(
      limits.acceleratorsPerNode === 0
        ? `resources.accelerators ${request.accelerators} is not available: ${pool.ref} has no accelerators; set it to 0 or pick an accelerator pool`
        : `resources.accelerators ${request.accelerators} exceeds the ${limits.acceleratorsPerNode} accelerators of one node in ${pool.ref}; request at most ${limits.acceleratorsPerNode}`,
    );
  }
}
