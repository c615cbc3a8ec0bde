import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef, type RollupDimension } from '../../api';
import {
  mockRunnerFleetApi,
  ownerRollups,
  progress,
  projectRows,
  ruleRollups,
} from '../../testing/fixtures';
import { MigrationOverviewPage } from './MigrationOverviewPage';
import { toProjectQuery } from './ProjectTable';
import { toProgressRows } from './MigrationProgressChart';
import { topBlockingRules } from './RollupTables';

jest.setTimeout(30_000);

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

function createApi() {
  return mockRunnerFleetApi({
    getProgress: async () => progress,
    getRollups: async (by: RollupDimension) => {
      if (by === 'rule') {
        return ruleRollups;
      }
      if (by === 'group') {
        return [{ key: 'physics', projects: 8000, byPhase: { legacy: 3000 } }];
      }
      return ownerRollups;
    },
    listProjects: async () => ({ items: projectRows, totalCount: 20000 }),
    getScorecardsCsv: async () => new Blob(['projectPath\n']),
  });
}

async function renderPage(api = createApi()) {
  await renderInTestApp(
    <TestApiProvider apis={[[runnerFleetApiRef, api]]}>
      <MigrationOverviewPage />
    </TestApiProvider>,
    { mountedRoutes },
  );
  return api;
}

describe('MigrationOverviewPage', () => {
  it('shows progress towards the decommission date', async () => {
    await renderPage();
    expect(
      await screen.findByText("Towards the legacy fleet's decommission date, 2027-03-31"),
    ).toBeInTheDocument();
    expect(
      screen.getByText('10000 projects still depend on the legacy fleet (legacy or opted in).'),
    ).toBeInTheDocument();
    expect(screen.getByText('projects')).toBeInTheDocument();
  });

  it('ranks the rules that block the most projects', async () => {
    await renderPage();
    const cvmfs = await screen.findByText('CVMFS not mounted (cvmfs-mount)');
    const ping = screen.getByText('ping needs NET_RAW (net-raw-ping)');
    const ipv6 = screen.getByText('Test binds 127.0.0.1 (ipv6-localhost)');
    expect(cvmfs.compareDocumentPosition(ping) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(ping.compareDocumentPosition(ipv6) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(cvmfs.closest('tr')!).getByText('2800')).toBeInTheDocument();
  });

  it('breaks projects down by owner and group', async () => {
    await renderPage();
    expect(await screen.findByText('By owner')).toBeInTheDocument();
    expect(screen.getByText('By GitLab group')).toBeInTheDocument();
    const ownerLinks = screen.getAllByRole('link', { name: 'physics' });
    expect(ownerLinks[0].closest('tr')).toHaveTextContent('8000');
  });

  it('pages, sorts and filters projects on the server', async () => {
    const api = await renderPage();
    expect(await screen.findByText('physics/atlas-analysis')).toBeInTheDocument();
    expect(api.listProjects).toHaveBeenCalledWith({
      page: 0,
      pageSize: 25,
      sort: undefined,
      filter: undefined,
    });
    expect(screen.getAllByText('1-25 of 20000')[0]).toBeInTheDocument();

    const nextButtons = screen.getAllByRole('button', { name: 'Next Page' });
    fireEvent.click(nextButtons[nextButtons.length - 1]);
    await waitFor(() =>
      expect(api.listProjects).toHaveBeenLastCalledWith(
        expect.objectContaining({ page: 1, pageSize: 25 }),
      ),
    );
  });

  it('shows errors per section', async () => {
    const api = createApi();
    api.getProgress.mockRejectedValue(new Error('progress view missing'));
    await renderPage(api);
    expect((await screen.findAllByText(/progress view missing/))[0]).toBeInTheDocument();
    expect(await screen.findByText('By owner')).toBeInTheDocument();
  });

  it('downloads the CSV through the API', async () => {
    const createObjectURL = jest.fn(() => 'blob:scorecards');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const api = await renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(api.getScorecardsCsv).toHaveBeenCalled();
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:scorecards');
    click.mockRestore();
  });
});

describe('toProjectQuery', () => {
  it('maps descending order to a minus prefix', () => {
    expect(
      toProjectQuery({
        page: 4,
        pageSize: 50,
        search: 'physics',
        orderBy: { field: 'score' },
        orderDirection: 'desc',
      }),
    ).toEqual({ page: 4, pageSize: 50, sort: '-score', filter: 'physics' });
  });

  it('leaves sort and filter out when unset', () => {
    expect(toProjectQuery({ page: 0, pageSize: 25, search: '' })).toEqual({
      page: 0,
      pageSize: 25,
      sort: undefined,
      filter: undefined,
    });
  });
});

describe('progress helpers', () => {
  it('drops points with invalid dates and fills missing phases', () => {
    const rows = toProgressRows({
      points: [
        { date: 'not a date', byPhase: { legacy: 1 } },
        { date: '2026-12-01', byPhase: { migrated: 5 } },
      ],
    });
    expect(rows).toEqual([
      { time: Date.parse('2026-12-01'), legacy: 0, 'opted-in': 0, 'on-kubernetes': 0, migrated: 5 },
    ]);
  });

  it('orders rules by blocked projects', () => {
    expect(topBlockingRules(ruleRollups, 2).map(r => r.key)).toEqual([
      'cvmfs-mount',
      'net-raw-ping',
    ]);
  });
});
