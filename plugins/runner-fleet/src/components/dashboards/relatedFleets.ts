import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogApi } from '@backstage/plugin-catalog-react';
import {
  RUNNER_FLEET_TYPE,
  type FleetLiveFacts,
  type FleetLoad,
  type RunnerFleetSpec,
} from '@runner-fleet/plugin-runner-fleet-common';
import type { FleetSummary } from '../../api';

/** Normalises `cluster-arm` or `resource:cluster-arm` to `resource:default/cluster-arm`. */
export function normaliseResourceRef(ref: string, namespace = 'default'): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'resource', defaultNamespace: namespace }),
    );
  } catch {
    return undefined;
  }
}

/** Fleet entity together with its spec, as declared in the catalog. */
export interface FleetEntity {
  entity: Entity;
  ref: string;
  spec: Partial<RunnerFleetSpec>;
}

/** Loads every fleet entity from the catalog. */
export async function loadFleetEntities(catalogApi: CatalogApi): Promise<FleetEntity[]> {
  const response = await catalogApi.getEntities({
    filter: { kind: 'Resource', 'spec.type': RUNNER_FLEET_TYPE },
  });
  return response.items.map(entity => ({
    entity,
    ref: stringifyEntityRef(entity),
    spec: (entity.spec ?? {}) as Partial<RunnerFleetSpec>,
  }));
}

/** Cluster references of a fleet, normalised, with their upgrade role. */
export function fleetClusters(fleet: FleetEntity): Array<{ ref: string; role?: string }> {
  const namespace = fleet.entity.metadata.namespace ?? 'default';
  return (fleet.spec.clusters ?? []).flatMap(cluster => {
    const ref = normaliseResourceRef(cluster.ref, namespace);
    return ref ? [{ ref, role: cluster.role }] : [];
  });
}

/** Fleets with at least one of `clusterRefs` among their clusters. */
export function fleetsOnClusters(fleets: FleetEntity[], clusterRefs: string[]): FleetEntity[] {
  const clusterSet = new Set(clusterRefs);
  return fleets.filter(fleet => fleetClusters(fleet).some(c => clusterSet.has(c.ref)));
}

/**
 * Joins fleet entities with the backend's latest load samples. Fleets the
 * backend has not sampled yet get no `load`; loads without a fleet entity
 * are left out, because the table needs the entity's spec.
 */
export function buildFleetSummaries(fleets: FleetEntity[], loads: FleetLoad[]): FleetSummary[] {
  const loadByRef = new Map(loads.map(load => [load.fleetRef, load]));
  return fleets.map(fleet => {
    const spec = fleet.spec as Partial<RunnerFleetSpec> & { live?: Partial<FleetLiveFacts> };
    return {
      entityRef: fleet.ref,
      namespace: fleet.entity.metadata.namespace ?? 'default',
      name: fleet.entity.metadata.name,
      title: fleet.entity.metadata.title,
      lifecycle: spec.lifecycle ?? 'unknown',
      executor: spec.executor ?? 'unknown',
      tags: spec.tags ?? spec.live?.tags ?? [],
      access: spec.access,
      concurrency: spec.concurrency ?? 0,
      runners: spec.live?.runners,
      load: loadByRef.get(fleet.ref),
    };
  });
}
