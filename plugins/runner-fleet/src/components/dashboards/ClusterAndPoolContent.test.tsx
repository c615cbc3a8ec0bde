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
import type { FleetLoadResponse } from '@runner-fleet/plugin-runner-fleet-common';
import { ClusterRunnersContent, runnerOnCluster } from './ClusterRunnersContent';
import { clusterJobShares } from './ClusterJobShares';
import { HardwarePoolContent, poolUsage } from './HardwarePoolContent';
import { loadFleetEntities } from './relatedFleets';

jest.setTimeout(30_000);

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

/** The default fleet's newest GitLab sample during the v2 to v3 upgrade. */
const upgradeLoads: FleetLoadResponse[] = [
  { ...fleetLoads[0], clusters: [] },
  {
    ...fleetLoads[1],
    clusters: [
      { clusterRef: 'resource:default/cluster-default-v2', runningJobs: 5, jobsStarted: 10, share: 0.25 },
      { clusterRef: 'resource:default/cluster-default-v3', runningJobs: 90, jobsStarted: 30, share: 0.75 },
    ],
  },
];

async function renderClusterTab(api: ReturnType<typeof mockRunnerFleetApi>, entities = [fleetEntity, gpuFleetEntity, clusterEntity]) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [runnerFleetApiRef, api],
        [catalogApiRef, catalogWith(entities)],
      ]}
    >
      <EntityProvider entity={clusterEntity}>
        <ClusterRunnersContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

describe('ClusterRunnersContent', () => {
  it('shows jobs per cluster and the runners', async () => {
    const api = mockRunnerFleetApi({
      listFleetLoads: async () => upgradeLoads,
      getFleetRunners: async () => ({ items: runners, totalCount: runners.length, page: 1, pageSize: 100 }),
    });
    await renderClusterTab(api);

    expect(await screen.findByText('Runners on cluster-default-v2')).toBeInTheDocument();
    expect(screen.getByText('102')).toBeInTheDocument();
    expect(screen.getByText('103')).toBeInTheDocument();
    expect(screen.queryByText('101')).not.toBeInTheDocument();

    expect(screen.getByText('Jobs per cluster behind fleet-k8s-default')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'clusters of resource:default/fleet-k8s-default' });
    const items = within(list).getAllByRole('listitem').map(li => li.textContent);
    expect(items).toEqual([
      'cluster-default-v2 (draining): 5 running jobs, 10 started, 25 % of started jobs',
      'cluster-default-v3 (active): 90 running jobs, 30 started, 75 % of started jobs',
    ]);

    const bar = screen.getByRole('img', {
      name: 'Share of started jobs per cluster of resource:default/fleet-k8s-default: cluster-default-v2 25 %, cluster-default-v3 75 %',
    });
    expect(bar).toBeInTheDocument();
    expect(screen.getByTestId('share-cluster-default-v2')).toHaveStyle({ width: '25%' });
    expect(screen.getByTestId('share-cluster-default-v3')).toHaveStyle({ width: '75%' });
    expect(screen.queryByText(/of online runners/)).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Kubernetes tab' })).toBeInTheDocument();
  });

  it('explains a load without clusters', async () => {
    const api = mockRunnerFleetApi({
      listFleetLoads: async () => [{ ...fleetLoads[1], source: 'prometheus' as const }],
      getFleetRunners: async () => ({ items: runners, totalCount: runners.length, page: 1, pageSize: 100 }),
    });
    await renderClusterTab(api);
    expect(
      await screen.findByText(/The newest prometheus sample of this fleet has no jobs per cluster/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: /clusters of/ })).not.toBeInTheDocument();
    expect(screen.getByText('Runners on cluster-default-v2')).toBeInTheDocument();
  });

  it('explains a fleet without samples', async () => {
    const api = mockRunnerFleetApi({
      listFleetLoads: async () => [],
      getFleetRunners: async () => ({ items: runners, totalCount: runners.length, page: 1, pageSize: 100 }),
    });
    await renderClusterTab(api);
    expect(await screen.findByText(/This fleet has no load sample yet/)).toBeInTheDocument();
  });

  it('notes a window without started jobs', async () => {
    const idle: FleetLoadResponse = {
      ...fleetLoads[1],
      clusters: [
        { clusterRef: 'resource:default/cluster-default-v2', runningJobs: 0, jobsStarted: 0, share: 0 },
        { clusterRef: 'resource:default/cluster-default-v3', runningJobs: 4, jobsStarted: 0, share: 0 },
      ],
    };
    const api = mockRunnerFleetApi({
      listFleetLoads: async () => [idle],
      getFleetRunners: async () => ({ items: runners, totalCount: runners.length, page: 1, pageSize: 100 }),
    });
    await renderClusterTab(api);
    expect(await screen.findByText(/No job started on these clusters in the sampling window/)).toBeInTheDocument();
    expect(screen.queryByTestId('share-cluster-default-v3')).not.toBeInTheDocument();
  });

  it('explains an empty cluster', async () => {
    const api = mockRunnerFleetApi();
    await renderClusterTab(api, [gpuFleetEntity]);
    expect(await screen.findByText(/GitLab reports no runners on this cluster/)).toBeInTheDocument();
    expect(api.getFleetRunners).not.toHaveBeenCalled();
  });
});

describe('clusterJobShares', () => {
  const clusters = [
    { ref: 'resource:default/cluster-default-v2', role: 'draining' },
    { ref: 'resource:default/cluster-default-v3', role: 'active' },
  ];

  it('joins declared clusters with measured jobs', () => {
    const shares = clusterJobShares(clusters, upgradeLoads[1]);
    expect(shares).toEqual([
      { clusterRef: 'resource:default/cluster-default-v2', role: 'draining', runningJobs: 5, jobsStarted: 10, share: 0.25 },
      { clusterRef: 'resource:default/cluster-default-v3', role: 'active', runningJobs: 90, jobsStarted: 30, share: 0.75 },
    ]);
  });

  it('fills unmeasured declared clusters with zeros', () => {
    const load: FleetLoadResponse = {
      ...fleetLoads[1],
      clusters: [{ clusterRef: 'resource:default/cluster-default-v3', runningJobs: 7, jobsStarted: 2, share: 1 }],
    };
    const shares = clusterJobShares(clusters, load)!;
    expect(shares.map(s => [s.clusterRef, s.runningJobs, s.share])).toEqual([
      ['resource:default/cluster-default-v2', 0, 0],
      ['resource:default/cluster-default-v3', 7, 1],
    ]);
  });

  it('appends clusters only the sample names', () => {
    const load: FleetLoadResponse = {
      ...fleetLoads[1],
      clusters: [{ clusterRef: 'resource:default/cluster-default-v4', runningJobs: 3, jobsStarted: 3, share: 1 }],
    };
    const shares = clusterJobShares(clusters, load)!;
    expect(shares.map(s => s.clusterRef)).toEqual([
      'resource:default/cluster-default-v2',
      'resource:default/cluster-default-v3',
      'resource:default/cluster-default-v4',
    ]);
    expect(shares[2].role).toBeUndefined();
  });

  it('returns undefined without jobs per cluster', () => {
    expect(clusterJobShares(clusters, undefined)).toBeUndefined();
    expect(clusterJobShares(clusters, fleetLoads[1])).toBeUndefined();
    expect(clusterJobShares(clusters, { ...fleetLoads[1], clusters: [] })).toBeUndefined();
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
