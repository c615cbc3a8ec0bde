import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef } from '../../api';
import { fleets, migrationOverview, mockRunnerFleetApi } from '../../testing/fixtures';
import { FleetOverviewPage } from './FleetOverviewPage';
import { toMigrationChartData } from './MigrationJobsChart';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

describe('FleetOverviewPage', () => {
  it('lists fleets with runners, load and saturation', async () => {
    const api = mockRunnerFleetApi({
      listFleets: async () => fleets,
      getMigrationOverview: async () => migrationOverview,
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runnerFleetApiRef, api]]}>
        <FleetOverviewPage />
      </TestApiProvider>,
      { mountedRoutes },
    );

    const row = (await screen.findByRole('link', { name: 'fleet-k8s-default' })).closest('tr')!;
    expect(within(row).getByText('production')).toBeInTheDocument();
    expect(within(row).getByText('k8s-default')).toBeInTheDocument();
    expect(within(row).getByText('95 / 100')).toBeInTheDocument();
    expect(within(row).getByText('95 %')).toBeInTheDocument();
    expect(within(row).getByText('4 / 0 / 0')).toBeInTheDocument();

    const legacyRow = screen.getByRole('link', { name: 'fleet-docker-machine' }).closest('tr')!;
    expect(within(legacyRow).getByText('15 / 2 / 3')).toBeInTheDocument();
    expect(within(legacyRow).getByText('20 %')).toBeInTheDocument();

    const plannedRow = screen.getByRole('link', { name: 'fleet-k8s-gpu' }).closest('tr')!;
    expect(within(plannedRow).getByText('–')).toBeInTheDocument();
  });

  it('sorts fleets by saturation, highest first', async () => {
    const api = mockRunnerFleetApi({
      listFleets: async () => fleets,
      getMigrationOverview: async () => migrationOverview,
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runnerFleetApiRef, api]]}>
        <FleetOverviewPage />
      </TestApiProvider>,
      { mountedRoutes },
    );
    await screen.findByRole('link', { name: 'fleet-k8s-default' });
    const names = screen
      .getAllByRole('row')
      .map(r => r.textContent ?? '')
      .flatMap(text => fleets.filter(f => text.includes(f.name)).map(f => f.name));
    expect(names).toEqual(['fleet-k8s-default', 'fleet-docker-machine', 'fleet-k8s-gpu']);
  });

  it('shows the migration share of the last day', async () => {
    const api = mockRunnerFleetApi({
      listFleets: async () => fleets,
      getMigrationOverview: async () => migrationOverview,
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runnerFleetApiRef, api]]}>
        <FleetOverviewPage />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(
      await screen.findByText('Last day: 75 % of jobs ran on Kubernetes fleets.'),
    ).toBeInTheDocument();
  });

  it('shows an empty table and an error panel', async () => {
    const api = mockRunnerFleetApi({
      listFleets: async () => [],
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runnerFleetApiRef, api]]}>
        <FleetOverviewPage />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(await screen.findByText(/No runner fleets yet/)).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/getMigrationOverview was not expected in this test/))[0],
    ).toBeInTheDocument();
  });
});

describe('toMigrationChartData', () => {
  it('separates the legacy fleet from Kubernetes fleets', () => {
    const data = toMigrationChartData(migrationOverview, fleets);
    expect(data.legacyRefs).toEqual(['resource:default/fleet-docker-machine']);
    expect(data.kubernetesRefs).toEqual([
      'resource:default/fleet-k8s-cvmfs',
      'resource:default/fleet-k8s-default',
    ]);
    expect(data.lastDayKubernetesShare).toBeCloseTo(0.75);
  });

  it('falls back to the docker+machine executor', () => {
    const data = toMigrationChartData({ ...migrationOverview, legacyFleetRef: undefined }, fleets);
    expect(data.legacyRefs).toEqual(['resource:default/fleet-docker-machine']);
  });

  it('has no share without days', () => {
    const data = toMigrationChartData({ days: [] }, fleets);
    expect(data.rows).toEqual([]);
    expect(data.lastDayKubernetesShare).toBeUndefined();
  });
});
