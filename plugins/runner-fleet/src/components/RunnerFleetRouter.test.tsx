import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef } from '../api';
import {
  catalogWith,
  mockRunnerFleetApi,
  ownerRollups,
  progress,
  projectsPage,
} from '../testing/fixtures';
import { RunnerFleetRouter } from './RunnerFleetRouter';

jest.setTimeout(30_000);

describe('RunnerFleetRouter', () => {
  it('serves the organisation view at migration', async () => {
    const api = mockRunnerFleetApi({
      getProgress: async () => progress,
      getRollups: async () => ownerRollups,
      listProjects: async () => projectsPage,
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runnerFleetApiRef, api], [catalogApiRef, catalogWith([])]]}>
        <RunnerFleetRouter />
      </TestApiProvider>,
      {
        routeEntries: ['/migration'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('Scorecards of all GitLab projects')).toBeInTheDocument();
    expect(api.listFleetLoads).not.toHaveBeenCalled();
  });
});
