import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityRefLink,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { FleetLoad, FleetRunner } from '@runner-fleet/plugin-runner-fleet-common';
import { runnerFleetApiRef } from '../../api';
import { AsyncContent, formatAge, usePolledAsync } from '../shared';
import { ClusterJobSharesBar, clusterJobShares } from './ClusterJobShares';
import { fleetClusters, fleetsOnClusters, loadFleetEntities } from './relatedFleets';
import { isStale } from './runnerHealth';

/**
 * Runners GitLab lists per fleet, fetched up to this many per fleet. Clusters
 * carry a handful of runner managers each, far below this limit.
 */
const RUNNERS_PER_FLEET = 100;

/**
 * True when the runner runs on the cluster, by a `cluster` field when the
 * backend sends one, otherwise by the `<tag> @ <cluster>` description that
 * the example instance's runners follow.
 */
export function runnerOnCluster(
  runner: FleetRunner & { cluster?: string },
  clusterRef: string,
  clusterName: string,
): boolean {
  if (runner.cluster) {
    return runner.cluster === clusterRef || runner.cluster === clusterName;
  }
  return (runner.description ?? '').trim().endsWith(`@ ${clusterName}`);
}

const runnerColumns: TableColumn<FleetRunner & { fleetRef: string }>[] = [
  { title: 'ID', field: 'id', width: '80px' },
  { title: 'Description', field: 'description', highlight: true },
  { title: 'Fleet', field: 'fleetRef', render: row => <EntityRefLink entityRef={row.fleetRef} /> },
  {
    title: 'Status',
    field: 'status',
    render: row => `${isStale(row) ? 'stale' : row.status}${row.paused ? ', paused' : ''}`,
  },
  { title: 'Version', field: 'version' },
  { title: 'Architecture', field: 'architecture' },
  { title: 'Last contact', field: 'contactedAt', render: row => formatAge(row.contactedAt) },
];

/**
 * Runners that GitLab reports on a Kubernetes cluster, collected from the
 * fleets that run there, and for each of those fleets the running jobs and
 * the share of started jobs that each of its clusters takes. The runner
 * pods are on the Kubernetes tab.
 */
export const ClusterRunnersContent = () => {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(runnerFleetApiRef);
  const clusterRef = stringifyEntityRef(entity);
  const clusterName = entity.metadata.name;

  const state = usePolledAsync(async () => {
    const fleets = fleetsOnClusters(await loadFleetEntities(catalogApi), [clusterRef]);
    const loads: FleetLoad[] = fleets.length > 0 ? await api.listFleetLoads() : [];
    return Promise.all(
      fleets.map(async fleet => {
        const page = await api.getFleetRunners(
          {
            namespace: fleet.entity.metadata.namespace ?? 'default',
            name: fleet.entity.metadata.name,
          },
          { page: 1, pageSize: RUNNERS_PER_FLEET },
        );
        const load = loads.find(l => l.fleetRef === fleet.ref);
        return {
          fleet,
          load,
          runners: page.items.filter(r => runnerOnCluster(r, clusterRef, clusterName)),
          shares: clusterJobShares(fleetClusters(fleet), load),
        };
      }),
    );
  }, [catalogApi, api, clusterRef]);

  return (
    <AsyncContent {...state}>
      {groups => {
        const runners = groups.flatMap(g => g.runners.map(r => ({ ...r, fleetRef: g.fleet.ref })));
        return (
          <Grid container spacing={3}>
            <Grid item xs={12}>
              <Typography variant="body2">
                These are the runners as GitLab reports them. The runner pods and job pods on
                this cluster are on the <Link to="../kubernetes">Kubernetes tab</Link>.
              </Typography>
            </Grid>
            {groups.map(group => (
              <Grid item xs={12} md={6} key={group.fleet.ref}>
                <InfoCard title={`Jobs per cluster behind ${group.fleet.entity.metadata.name}`}>
                  {group.shares ? (
                    <ClusterJobSharesBar fleetRef={group.fleet.ref} shares={group.shares} />
                  ) : (
                    <Typography variant="body2">
                      {group.load
                        ? `The newest ${group.load.source} sample of this fleet has no jobs per cluster. Only samples from the GitLab jobs API record the runner of each job.`
                        : 'This fleet has no load sample yet. The backend samples every fleet on runnerFleet.sampling.frequency.'}
                    </Typography>
                  )}
                </InfoCard>
              </Grid>
            ))}
            <Grid item xs={12}>
              <Table
                title={`Runners on ${clusterName}`}
                columns={runnerColumns}
                data={runners}
                options={{ paging: runners.length > 20, pageSize: 20, padding: 'dense' }}
                emptyContent={
                  <Typography style={{ padding: 16 }}>
                    GitLab reports no runners on this cluster. Fleets list their clusters in
                    spec.clusters.
                  </Typography>
                }
              />
            </Grid>
          </Grid>
        );
      }}
    </AsyncContent>
  );
};
