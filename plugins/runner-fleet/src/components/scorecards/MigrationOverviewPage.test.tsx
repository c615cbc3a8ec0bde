import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef, type RollupDimension } from '../../api';
import {
  mockRunnerFleetApi,
  ownerRollups,
  progress,
  projectsPage,
  ruleRollups,
} from '../../testing/fixtures';
import { MigrationOverviewPage } from './MigrationOverviewPage';
import { toProjectQuery } from './ProjectTable';
import { describeSingleDay, toProgressRows } from './MigrationProgressChart';
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
        return [{ ...ownerRollups[0], key: 'physics' }];
      }
      return ownerRollups;
    },
    listProjects: async () => projectsPage,
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
      await screen.findByText(
        "Towards the legacy fleet's decommission date, 2027-03-31 (in 117 days)",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        '10000 projects still depend on the legacy fleet (legacy or opted in).',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('projects')).toBeInTheDocument();
  });

  it('describes a single evaluation day in words', async () => {
    const api = createApi();
    api.getProgress.mockResolvedValue({
      ...progress,
      current: { legacy: 60, 'opted-in': 30, 'on-kubernetes': 6, migrated: 4 },
      items: [
        {
          day: '2026-12-04',
          byPhase: {
            legacy: 60,
            'opted-in': 30,
            'on-kubernetes': 6,
            migrated: 4,
          },
        },
      ],
    });
    await renderPage(api);
    expect(
      await screen.findByText(
        'Only one evaluation day so far (2026-12-04). Projects by phase: Legacy 60, Opted in 30, On Kubernetes 6, Migrated 4. The chart appears once a second day is evaluated.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        '90 projects still depend on the legacy fleet (legacy or opted in).',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('projects')).not.toBeInTheDocument();
  });

  it('keeps the chart once there is history', async () => {
    await renderPage();
    await screen.findByText('projects');
    expect(
      screen.queryByText(/Only one evaluation day/),
    ).not.toBeInTheDocument();
  });

  it('keeps rule ids on one line', async () => {
    await renderPage();
    const cell = (await screen.findByText('cvmfs-mount')).closest('td')!;
    expect(cell).toHaveStyle({ whiteSpace: 'nowrap' });
  });

  it('ranks the rules that block the most projects', async () => {
    await renderPage();
    const cvmfs = await screen.findByText('cvmfs-mount');
    const ping = screen.getByText('net-raw-ping');
    const ipv6 = screen.getByText('ipv6-localhost');
    expect(
      cvmfs.compareDocumentPosition(ping) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      ping.compareDocumentPosition(ipv6) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(within(cvmfs.closest('tr')!).getAllByText('2800')).toHaveLength(2);
    expect(within(ipv6.closest('tr')!).getByText('0')).toBeInTheDocument();
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
    expect(
      await screen.findByText('physics/atlas-analysis'),
    ).toBeInTheDocument();
    expect(api.listProjects).toHaveBeenCalledWith({
      page: 1,
      pageSize: 25,
      sort: undefined,
      filter: undefined,
      q: undefined,
    });
    expect(api.listProjects).toHaveBeenCalledTimes(1);
    expect(screen.getAllByText('1-25 of 20000')[0]).toBeInTheDocument();

    const nextButtons = screen.getAllByRole('button', { name: 'Next Page' });
    fireEvent.click(nextButtons[nextButtons.length - 1]);
    await waitFor(() =>
      expect(api.listProjects).toHaveBeenLastCalledWith(
        expect.objectContaining({ page: 2, pageSize: 25 }),
      ),
    );
  });

  it('filters projects by phase on the server', async () => {
    const api = await renderPage();
    await screen.findByText('physics/atlas-analysis');
    const phaseSelect = screen
      .getAllByRole('button', { name: /Phase/ })
      .find(element => element.getAttribute('aria-haspopup') === 'listbox')!;
    fireEvent.mouseDown(phaseSelect);
    fireEvent.click(await screen.findByRole('option', { name: 'Legacy' }));
    await waitFor(() =>
      expect(api.listProjects).toHaveBeenLastCalledWith(
        expect.objectContaining({ page: 1, filter: 'phase:legacy' }),
      ),
    );
  });

  it('shows errors per section', async () => {
    const api = createApi();
    api.getProgress.mockRejectedValue(new Error('progress view missing'));
    await renderPage(api);
    expect(
      (await screen.findAllByText(/progress view missing/))[0],
    ).toBeInTheDocument();
    expect(await screen.findByText('By owner')).toBeInTheDocument();
  });

  it('downloads the CSV through the API', async () => {
    const createObjectURL = jest.fn(() => 'blob:scorecards');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
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
    ).toEqual({
      page: 5,
      pageSize: 50,
      sort: '-score',
      filter: undefined,
      q: 'physics',
    });
  });

  it('maps the owner column to the owner sort key', () => {
    expect(
      toProjectQuery({
        page: 0,
        pageSize: 25,
        orderBy: { field: 'ownerRef' },
        orderDirection: 'asc',
      }).sort,
    ).toBe('owner');
  });

  it('drops sorting on columns the backend cannot sort', () => {
    expect(
      toProjectQuery({
        page: 0,
        pageSize: 25,
        orderBy: { field: 'group' },
        orderDirection: 'asc',
      }).sort,
    ).toBeUndefined();
  });

  it('leaves sort, filter and q out when unset', () => {
    expect(toProjectQuery({ page: 0, pageSize: 25, search: '' })).toEqual({
      page: 1,
      pageSize: 25,
      sort: undefined,
      filter: undefined,
      q: undefined,
    });
  });

  it('joins phase and level filters', () => {
    expect(
      toProjectQuery(
        { page: 0, pageSize: 25 },
        { phase: 'legacy', level: 'blocked' },
      ).filter,
    ).toBe('phase:legacy,level:blocked');
  });
});

describe('progress helpers', () => {
  it('drops points with invalid dates and fills missing phases', () => {
    const rows = toProgressRows({
      items: [
        { day: 'not a date', byPhase: { legacy: 1 } as any },
        { day: '2026-12-01', byPhase: { migrated: 5 } as any },
      ],
    });
    expect(rows).toEqual([
      {
        time: Date.parse('2026-12-01'),
        legacy: 0,
        'opted-in': 0,
        'on-kubernetes': 0,
        migrated: 5,
      },
    ]);
  });

  it('single day prefers current counts', () => {
    const row = {
      time: Date.parse('2026-12-04'),
      legacy: 1,
      'opted-in': 2,
      'on-kubernetes': 3,
      migrated: 4,
    };
    expect(
      describeSingleDay(
        {
          current: {
            legacy: 9,
            'opted-in': 8,
            'on-kubernetes': 7,
            migrated: 6,
          },
        },
        row,
      ),
    ).toContain('Legacy 9, Opted in 8, On Kubernetes 7, Migrated 6.');
  });

  it('single day falls back to day counts', () => {
    const row = {
      time: Date.parse('2026-12-04'),
      legacy: 1,
      'opted-in': 2,
      'on-kubernetes': 3,
      migrated: 4,
    };
    expect(describeSingleDay({ current: undefined as any }, row)).toContain(
      '(2026-12-04). Projects by phase: Legacy 1, Opted in 2, On Kubernetes 3, Migrated 4.',
    );
  });

  it('orders rules by blocked projects', () => {
    expect(topBlockingRules(ruleRollups, 2).map(r => r.key)).toEqual([
      'cvmfs-mount',
      'net-raw-ping',
    ]);
  });
});
