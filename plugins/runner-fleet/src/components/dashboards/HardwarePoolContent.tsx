import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import type { FleetLoad, HardwarePoolSpec } from '@runner-fleet/plugin-runner-fleet-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { runnerFleetApiRef } from '../../api';
import { AsyncContent, usePolledAsync } from '../shared';
import { FleetEntity, fleetsOnClusters, loadFleetEntities, normaliseResourceRef } from './relatedFleets';

/** Capacity and current use of one accelerator type, or of plain CPU slots. */
export interface PoolUsageRow {
  id: string;
  resource: string;
  capacity: string;
  /** Concurrency of the fleets drawing on this resource. */
  fleetConcurrency: number;
  runningJobs: number;
  fleets: string[];
}

/**
 * Computes pool usage: one row per accelerator type of the pool, and one row
 * for CPU nodes. Jobs count against an accelerator row when their fleet
 * declares that accelerator type.
 */
export function poolUsage(
  spec: Partial<HardwarePoolSpec>,
  fleets: FleetEntity[],
  loads: FleetLoad[],
): PoolUsageRow[] {
  const running = (fleet: FleetEntity) =>
    loads.find(load => load.fleetRef === fleet.ref)?.runningJobs ?? 0;
  const concurrency = (fleet: FleetEntity) => fleet.spec.concurrency ?? 0;
  const rows: PoolUsageRow[] = [];

  for (const accelerator of spec.accelerators ?? []) {
    const users = fleets.filter(f =>
      (f.spec.accelerators ?? []).some(a => a.type === accelerator.type),
    );
    rows.push({
      id: `${accelerator.type}:${accelerator.model}`,
      resource: `${accelerator.type.toUpperCase()}: ${accelerator.model}`,
      capacity: `${accelerator.count} devices`,
      fleetConcurrency: users.reduce((sum, f) => sum + concurrency(f), 0),
      runningJobs: users.reduce((sum, f) => sum + running(f), 0),
      fleets: users.map(f => f.ref),
    });
  }

  if (spec.nodes) {
    rows.push({
      id: 'cpu',
      resource: `CPU (${spec.architecture ?? 'unknown architecture'})`,
      capacity: `${spec.nodes.count} nodes × ${spec.nodes.cpu} vCPU / ${spec.nodes.memoryGiB} GiB`,
      fleetConcurrency: fleets.reduce((sum, f) => sum + concurrency(f), 0),
      runningJobs: fleets.reduce((sum, f) => sum + running(f), 0),
      fleets: fleets.map(f => f.ref),
    });
  }
  return rows;
}

const columns: TableColumn<PoolUsageRow>[] = [
  { title: 'Resource', field: 'resource', highlight: true },
  { title: 'Capacity', field: 'capacity' },
  { title: 'Running jobs', field: 'runningJobs', type: 'numeric' },
  { title: 'Fleet concurrency', field: 'fleetConcurrency', type: 'numeric' },
  {
    title: 'Fleets',
    field: 'fleets',
    render: row => (
      <>
        {row.fleets.map(ref => (
          <div key={ref}>
            <EntityRefLink entityRef={ref} />
          </div>
        ))}
      </>
    ),
  },
];

/**
 * Capacity and use of a hardware pool per accelerator type, and the fleets
 * that draw on it through the pool's clusters.
 */
export const HardwarePoolContent = () => {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(runnerFleetApiRef);
  const spec = (entity.spec ?? {}) as Partial<HardwarePoolSpec>;
  const namespace = entity.metadata.namespace ?? 'default';
  const clusterRefs = (spec.clusters ?? []).flatMap(ref => {
    const normalised = normaliseResourceRef(ref, namespace);
    return normalised ? [normalised] : [];
  });

  const state = usePolledAsync(async () => {
    const fleets = fleetsOnClusters(await loadFleetEntities(catalogApi), clusterRefs);
    const loads = fleets.length > 0 ? await api.listFleetLoads() : [];
    return poolUsage(spec, fleets, loads);
  }, [catalogApi, api, stringifyEntityRef(entity), clusterRefs.join(',')]);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <AsyncContent {...state}>
          {rows => (
            <Table
              title="Capacity and use"
              subtitle="Running jobs of the fleets whose clusters are in this pool"
              columns={columns}
              data={rows}
              options={{ paging: false, search: false, padding: 'dense' }}
              emptyContent={
                <Typography style={{ padding: 16 }}>
                  This pool declares no nodes or accelerators in its spec.
                </Typography>
              }
            />
          )}
        </AsyncContent>
      </Grid>
      {clusterRefs.length === 0 && (
        <Grid item xs={12}>
          <InfoCard title="No clusters">
            <Typography>
              This pool lists no clusters in spec.clusters, so no fleet draws on it.
            </Typography>
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
};
