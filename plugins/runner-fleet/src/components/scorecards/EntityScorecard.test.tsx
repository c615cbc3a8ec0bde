import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef } from '../../api';
import { mockRunnerFleetApi, projectEntity, scorecard } from '../../testing/fixtures';
import { EntityMigrationContent } from './EntityMigrationContent';
import { EntityScorecardCard } from './EntityScorecardCard';
import { isWaiverExpired } from './FindingList';

jest.setTimeout(30_000);

const alertApi = { post: jest.fn(), alert$: jest.fn() } as any;

/** Mocks the API with an empty score history unless a test sets one. */
function mockApi(overrides: Parameters<typeof mockRunnerFleetApi>[0] = {}) {
  return mockRunnerFleetApi({ getScorecardHistory: async () => [], ...overrides });
}

async function renderWithEntity(element: JSX.Element, api = mockApi()) {
  await renderInTestApp(
    <TestApiProvider apis={[[runnerFleetApiRef, api], [alertApiRef, alertApi]]}>
      <EntityProvider entity={projectEntity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

describe('EntityScorecardCard', () => {
  it('shows score, level and phase', async () => {
    const api = mockApi({ getScorecardForEntity: async () => scorecard });
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(await screen.findByLabelText('score')).toHaveTextContent('55 / 100');
    expect(screen.getByText('Blocked')).toBeInTheDocument();
    expect(screen.getByText('Phase: Opted in')).toBeInTheDocument();
    // The warning is waived, so only the blocker counts.
    expect(screen.getByText('1 blockers, 0 warnings')).toBeInTheDocument();
    expect(api.getScorecardForEntity).toHaveBeenCalledWith('component:default/atlas-analysis');
  });

  it('shows an empty state without scorecard', async () => {
    const api = mockApi({ getScorecardForEntity: async () => undefined });
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(await screen.findByText('No scorecard yet')).toBeInTheDocument();
  });

  it('shows an error panel when the backend fails', async () => {
    const api = mockApi();
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(
      (await screen.findAllByText(/getScorecardForEntity was not expected/))[0],
    ).toBeInTheDocument();
  });
});

describe('EntityMigrationContent', () => {
  it('groups findings by severity with links to the lines', async () => {
    const api = mockApi({ getScorecardForEntity: async () => scorecard });
    await renderWithEntity(<EntityMigrationContent />, api);

    expect(await screen.findByText('Blockers (1)')).toBeInTheDocument();
    expect(screen.getByText('Warnings (1)')).toBeInTheDocument();
    expect(screen.getByText('1 waived')).toBeInTheDocument();
    expect(screen.getByText('Information (1)')).toBeInTheDocument();

    expect(screen.getByRole('link', { name: /ci\/tests\.yml:17/ })).toHaveAttribute(
      'href',
      'https://gitlab.example.org/physics/atlas-analysis/-/blob/main/ci/tests.yml#L17',
    );
    expect(screen.getByText('connectivity-test')).toBeInTheDocument();
    expect(screen.getByText(/drop the NET_RAW capability/)).toBeInTheDocument();
    expect(screen.getByText('Use curl or a TCP check instead of ping.')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Waived until 2027-01-31: Needs docker-in-docker until privileged runners exist',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/at whole file/)).toBeInTheDocument();
  });

  it('charts the score history', async () => {
    const api = mockApi({
      getScorecardForEntity: async () => scorecard,
      getScorecardHistory: async () => [
        { evaluatedAt: '2026-12-03T10:00:00Z', score: 40, level: 'blocked', phase: 'legacy' },
        { evaluatedAt: '2026-12-04T10:00:00Z', score: 55, level: 'blocked', phase: 'opted-in' },
      ],
    });
    await renderWithEntity(<EntityMigrationContent />, api);
    expect(await screen.findByText('score (0 to 100)')).toBeInTheDocument();
    expect(api.getScorecardHistory).toHaveBeenCalledWith('physics/atlas-analysis');
  });

  it('explains a history of one evaluation', async () => {
    const api = mockApi({
      getScorecardForEntity: async () => scorecard,
      getScorecardHistory: async () => [
        { evaluatedAt: '2026-12-04T10:00:00Z', score: 55, level: 'blocked', phase: 'opted-in' },
      ],
    });
    await renderWithEntity(<EntityMigrationContent />, api);
    expect(
      await screen.findByText('One evaluation so far; the chart starts with the second.'),
    ).toBeInTheDocument();
  });

  it('links the move template with the project prefilled', async () => {
    const api = mockApi({ getScorecardForEntity: async () => scorecard });
    await renderWithEntity(<EntityMigrationContent />, api);
    const button = await screen.findByRole('button', { name: 'Move to Kubernetes runners' });
    const href = button.closest('a')!.getAttribute('href')!;
    expect(href.startsWith('/create/templates/default/move-to-kubernetes-runners?formData=')).toBe(true);
    const formData = new URL(href, 'http://localhost').searchParams.get('formData');
    expect(JSON.parse(formData!)).toEqual({ project: 'physics/atlas-analysis' });
  });

  it('re-checks and reloads the scorecard', async () => {
    const rechecked = { ...scorecard, score: 80, level: 'needs-changes' as const, findings: [] };
    let current = scorecard;
    const api = mockApi({
      getScorecardForEntity: async () => current,
      refreshScorecard: async () => {
        current = rechecked;
        return { scorecard: rechecked, reanalyzed: true };
      },
    });
    await renderWithEntity(<EntityMigrationContent />, api);
    await screen.findByText('Score 55 / 100');

    fireEvent.click(screen.getByRole('button', { name: 'Re-check now' }));

    expect(await screen.findByText('Score 80 / 100')).toBeInTheDocument();
    expect(api.refreshScorecard).toHaveBeenCalledWith('physics/atlas-analysis');
    expect(screen.getByText(/No findings/)).toBeInTheDocument();
  });

  it('shows a failed re-check without losing the findings', async () => {
    const api = mockApi({
      getScorecardForEntity: async () => scorecard,
      refreshScorecard: async () => {
        throw new Error('evaluation queue full');
      },
    });
    await renderWithEntity(<EntityMigrationContent />, api);
    await screen.findByText('Blockers (1)');
    fireEvent.click(screen.getByRole('button', { name: 'Re-check now' }));
    expect((await screen.findAllByText(/evaluation queue full/))[0]).toBeInTheDocument();
    expect(screen.getByText('Blockers (1)')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Re-check now' })).toBeEnabled(),
    );
  });

  it('offers a re-check when no scorecard exists', async () => {
    const api = mockApi({ getScorecardForEntity: async () => undefined });
    await renderWithEntity(<EntityMigrationContent />, api);
    expect(await screen.findByText('No scorecard yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Re-check now' })).toBeEnabled();
  });

  it('lists configuration errors', async () => {
    const api = mockApi({
      getScorecardForEntity: async () => ({
        ...scorecard,
        findings: [],
        configErrors: [
          {
            code: 'include-not-found',
            message: 'Included file ci/missing.yml does not exist',
            location: { file: '.gitlab-ci.yml', line: 2 },
          },
        ],
      }),
    });
    await renderWithEntity(<EntityMigrationContent />, api);
    const card = (await screen.findByText('Configuration errors (1)')).closest('div')!;
    expect(card).toBeInTheDocument();
    expect(
      screen.getByText(
        '.gitlab-ci.yml:2: Included file ci/missing.yml does not exist (include-not-found)',
      ),
    ).toBeInTheDocument();
    expect(within(document.body).queryByText(/No findings/)).not.toBeInTheDocument();
  });
});

describe('isWaiverExpired', () => {
  it('counts the expiry day as valid', () => {
    expect(isWaiverExpired('2027-01-31', new Date('2027-01-31T20:00:00Z'))).toBe(false);
    expect(isWaiverExpired('2027-01-31', new Date('2027-02-01T00:00:01Z'))).toBe(true);
  });
});
