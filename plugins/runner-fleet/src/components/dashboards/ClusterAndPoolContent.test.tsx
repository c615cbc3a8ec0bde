import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef } from '../../api';
import {
  catalogWith,
  clusterEntity,
  fleetEntity,
  fleetLoads,
  gpuFleetEntity,
  gpuPoolEntity,
  mockRunnerFleetApi,
  runners,
} from '../../testing/fixtures';
import { ClusterRunnersContent, clusterShares, runnerOnCluster } from './ClusterRunnersContent';
import { HardwarePoolContent, poolUsage } from './HardwarePoolContent';
import { loadFleetEntities } from './relatedFleets';

jest.setTimeout(30_000);

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

describe('ClusterRunnersContent', () => {
  it('lists the runners on the cluster and the upgrade share', async () => {
    const api = mockRunnerFleetApi({
      listFleetLoads: async () => fleetLoads,
      getFleetRunners: async () => ({ items: runners, totalCount: runners.length, page: 1, pageSize: 100 }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [runnerFleetApiRef, api],
          [catalogApiRef, catalogWith([fleetEntity, gpuFleetEntity, clusterEntity])],
        ]}
      >
        <EntityProvider entity={clusterEntity}>
          <ClusterRunnersContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes },
    );

    expect(await screen.findByText('Runners on cluster-default-v2')).toBeInTheDocument();
    expect(screen.getByText('102')).toBeInTheDocument();
    expect(screen.getByText('103')).toBeInTheDocument();
    expect(screen.queryByText('101')).not.toBeInTheDocument();

    const shares = screen.getByRole('list', { name: 'clusters of resource:default/fleet-k8s-default' });
    const items = within(shares).getAllByRole('listitem').map(li => li.textContent);
    // Runner 102 on v2 is paused and 103 is stale, so only v3 takes jobs.
    expect(items).toEqual([
      'cluster-default-v2 (draining): 0 % of online runners',
      'cluster-default-v3 (active): 100 % of online runners',
    ]);
    expect(screen.getByRole('link', { name: 'Kubernetes tab' })).toBeInTheDocument();
  });

  it('explains an empty cluster', async () => {
    const api = mockRunnerFleetApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [runnerFleetApiRef, api],
          [catalogApiRef, catalogWith([gpuFleetEntity])],
        ]}
      >
        <EntityProvider entity={clusterEntity}>
          <ClusterRunnersContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(await screen.findByText(/GitLab reports no runners on this cluster/)).toBeInTheDocument();
    expect(api.getFleetRunners).not.toHaveBeenCalled();
  });
});

describe('clusterShares', () => {
  const clusters = [
    { ref: 'resource:default/cluster-default-v2', role: 'draining' },
    { ref: 'resource:default/cluster-default-v3', role: 'active' },
  ];

  it('uses job counts when the backend has them', () => {
    const shares = clusterShares(clusters, runners, {
      'resource:default/cluster-default-v2': 30,
      'resource:default/cluster-default-v3': 90,
    });
    expect(shares.map(s => s.share)).toEqual([0.25, 0.75]);
    expect(shares[0].basis).toBe('jobs');
  });

  it('returns zero shares without any work', () => {
    const shares = clusterShares(clusters, [], {});
    expect(shares.map(s => s.share)).toEqual([0, 0]);
  });
});

describe('runnerOnCluster', () => {
  it('prefers the cluster field over the description', () => {
    const runner = { ...runners[0], cluster: 'resource:default/cluster-arm' };
    expect(runnerOnCluster(runner, 'resource:default/cluster-arm', 'cluster-arm')).toBe(true);
    expect(runnerOnCluster(runner, 'resource:default/cluster-default-v3', 'cluster-default-v3')).toBe(false);
  });

  it('does not match a cluster whose name is a suffix', () => {
    const runner = { ...runners[0], description: 'k8s-default @ old-cluster-default-v3' };
    expect(runnerOnCluster(runner, 'resource:default/cluster-default-v3', 'cluster-default-v3')).toBe(false);
  });
});

describe('HardwarePoolContent', () => {
  const gpuLoad = { ...fleetLoads[1], fleetRef: 'resource:default/fleet-k8s-gpu', runningJobs: 6 };

  it('shows capacity and use per accelerator type', async () => {
    const api = mockRunnerFleetApi({ listFleetLoads: async () => [gpuLoad] });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [runnerFleetApiRef, api],
          [catalogApiRef, catalogWith([fleetEntity, gpuFleetEntity])],
        ]}
      >
        <EntityProvider entity={gpuPoolEntity}>
          <HardwarePoolContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes },
    );
    const gpuRow = (await screen.findByText('GPU: NVIDIA A100 80GB')).closest('tr')!;
    expect(within(gpuRow).getByText('16 devices')).toBeInTheDocument();
    expect(within(gpuRow).getByText('6')).toBeInTheDocument();
    expect(within(gpuRow).getByRole('link', { name: 'fleet-k8s-gpu' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'fleet-k8s-default' })).not.toBeInTheDocument();
    expect(screen.getByText('4 nodes × 64 vCPU / 512 GiB')).toBeInTheDocument();
  });

  it('says when the pool has no clusters', async () => {
    const api = mockRunnerFleetApi();
    const pool = { ...gpuPoolEntity, spec: { ...gpuPoolEntity.spec, clusters: [] } };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [runnerFleetApiRef, api],
          [catalogApiRef, catalogWith([gpuFleetEntity])],
        ]}
      >
        <EntityProvider entity={pool}>
          <HardwarePoolContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(await screen.findByText(/lists no clusters in spec.clusters/)).toBeInTheDocument();
    expect(api.listFleetLoads).not.toHaveBeenCalled();
  });

  it('counts accelerator use only for fleets of that type', async () => {
    const fleetEntities = await loadFleetEntities(
      catalogWith([fleetEntity, gpuFleetEntity]),
    );
    const rows = poolUsage(gpuPoolEntity.spec as any, fleetEntities, [gpuLoad, fleetLoads[1]]);
    expect(rows.map(r => [r.id, r.runningJobs])).toEqual([
      ['gpu:NVIDIA A100 80GB', 6],
      ['cpu', 101],
    ]);
  });
});
