import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef } from '../../api';
import {
  catalogWith,
  fleetEntities,
  fleetLoads,
  migrationOverview,
  mockRunnerFleetApi,
} from '../../testing/fixtures';
import { FleetOverviewPage } from './FleetOverviewPage';
import { toMigrationChartData } from './MigrationJobsChart';
import { buildFleetSummaries, loadFleetEntities } from './relatedFleets';

jest.setTimeout(30_000);

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

async function renderPage(api = mockRunnerFleetApi({
  listFleetLoads: async () => fleetLoads,
  getMigrationOverview: async () => migrationOverview,
})) {
  await renderInTestApp(
    <TestApiProvider apis={[[runnerFleetApiRef, api], [catalogApiRef, catalogWith(fleetEntities)]]}>
      <FleetOverviewPage />
    </TestApiProvider>,
    { mountedRoutes },
  );
  return api;
}

function rowOf(name: string) {
  return screen.getByRole('link', { name }).closest('tr')!;
}

describe('FleetOverviewPage', () => {
  it('lists fleets with runners, load and saturation', async () => {
    await renderPage();
    await screen.findByRole('link', { name: 'fleet-k8s-default' });

    const row = rowOf('fleet-k8s-default');
    expect(within(row).getByText('production')).toBeInTheDocument();
    expect(within(row).getByText('k8s-default')).toBeInTheDocument();
    expect(within(row).getByText('95 / 100')).toBeInTheDocument();
    expect(within(row).getByText('95 %')).toBeInTheDocument();
    expect(within(row).getByText('4 / 0 / 0')).toBeInTheDocument();

    const legacyRow = rowOf('fleet-docker-machine');
    expect(within(legacyRow).getByText('15 / 2 / 3')).toBeInTheDocument();
    expect(within(legacyRow).getByText('20 %')).toBeInTheDocument();

    const plannedRow = rowOf('fleet-k8s-gpu');
    expect(within(plannedRow).getByText('not synced yet')).toBeInTheDocument();
    expect(within(plannedRow).getByText('0 / 16')).toBeInTheDocument();
  });

  it('sorts fleets by saturation, highest first', async () => {
    await renderPage();
    await screen.findByRole('link', { name: 'fleet-k8s-default' });
    const names = screen
      .getAllByRole('row')
      .map(r => r.textContent ?? '')
      .flatMap(text =>
        ['fleet-k8s-default', 'fleet-docker-machine', 'fleet-k8s-gpu'].filter(n => text.includes(n)),
      );
    expect(names).toEqual(['fleet-k8s-default', 'fleet-docker-machine', 'fleet-k8s-gpu']);
  });

  it('shows the migration share of the last day', async () => {
    await renderPage();
    expect(
      await screen.findByText('Last day: 75 % of jobs ran on Kubernetes fleets.'),
    ).toBeInTheDocument();
    expect(screen.getByText('jobs per day')).toBeInTheDocument();
  });

  it('shows an error panel when loads fail', async () => {
    const api = mockRunnerFleetApi({ getMigrationOverview: async () => migrationOverview });
    await renderPage(api);
    expect((await screen.findAllByText(/listFleetLoads was not expected in this test/))[0]).toBeInTheDocument();
    expect(await screen.findByText(/Last day: 75 %/)).toBeInTheDocument();
  });

  it('explains an empty catalog', async () => {
    const api = mockRunnerFleetApi({
      listFleetLoads: async () => [],
      getMigrationOverview: async () => ({ ...migrationOverview, items: [] }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runnerFleetApiRef, api], [catalogApiRef, catalogWith([])]]}>
        <FleetOverviewPage />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(await screen.findByText(/No runner fleets yet/)).toBeInTheDocument();
    expect(await screen.findByText(/No job counts yet/)).toBeInTheDocument();
  });
});

describe('buildFleetSummaries', () => {
  it('joins entities with loads by entity reference', async () => {
    const entities = await loadFleetEntities(catalogWith(fleetEntities));
    const summaries = buildFleetSummaries(entities, fleetLoads);
    expect(summaries.map(s => [s.name, s.load?.runningJobs])).toEqual([
      ['fleet-docker-machine', 40],
      ['fleet-k8s-default', 95],
      ['fleet-k8s-gpu', undefined],
    ]);
    expect(summaries[1].runners?.paused).toBe(4);
  });
});

describe('toMigrationChartData', () => {
  it('stacks each Kubernetes fleet and the unattributed rest', () => {
    const data = toMigrationChartData(migrationOverview);
    expect(data.kubernetesKeys).toEqual([
      'fleet-k8s-cvmfs',
      'fleet-k8s-default',
      'other Kubernetes fleets',
    ]);
    expect(data.rows[1]).toEqual({
      day: '2026-12-03',
      legacy: 250,
      'fleet-k8s-default': 700,
      'fleet-k8s-cvmfs': 40,
      'other Kubernetes fleets': 10,
    });
    expect(data.lastDayKubernetesShare).toBeCloseTo(0.75);
  });

  it('has no share without days', () => {
    const data = toMigrationChartData({ ...migrationOverview, items: [] });
    expect(data.rows).toEqual([]);
    expect(data.lastDayKubernetesShare).toBeUndefined();
  });
});
