import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { runnerFleetApiRef } from '../../api';
import {
  fleetEntity,
  fleetLoads,
  mockRunnerFleetApi,
  runners,
  scaleUpSamples,
} from '../../testing/fixtures';
import { FleetLoadContent } from './FleetLoadContent';

function createApi() {
  return mockRunnerFleetApi({
    getFleetLoad: async () => fleetLoads[1],
    getFleetSamples: async () => scaleUpSamples(Date.now() - 10 * 60_000),
    getFleetFailures: async () => ({
      fleetRef: 'resource:default/fleet-k8s-default',
      windowSeconds: 3600,
      total: 15,
      items: [
        { reason: 'stuck_or_timeout_failure', count: 3 },
        { reason: 'script_failure', count: 12 },
      ],
    }),
    getFleetRunners: async () => ({ items: runners, totalCount: 2000, page: 1, pageSize: 20 }),
  });
}

async function renderContent(api = createApi()) {
  await renderInTestApp(
    <TestApiProvider apis={[[runnerFleetApiRef, api]]}>
      <EntityProvider entity={fleetEntity}>
        <FleetLoadContent />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

jest.setTimeout(30_000);

describe('FleetLoadContent', () => {
  it('shows the scale-up as it happened', async () => {
    await renderContent();
    expect(
      await screen.findByText(/Fastest rise: 100 jobs within a minute/),
    ).toBeInTheDocument();
    expect(screen.getByText('Last hour, every sample (15 s apart)')).toBeInTheDocument();
    expect(screen.getByText('jobs')).toBeInTheDocument();
    expect(screen.getByText('seconds')).toBeInTheDocument();
  });

  it('shows the current load', async () => {
    await renderContent();
    expect(
      await screen.findByText(/Running 95 of 100 jobs, 30 pending, 60.0 started per minute/),
    ).toBeInTheDocument();
    expect(screen.getByText(/Queue wait p50 5 s, p90 40 s, p99 90 s/)).toBeInTheDocument();
  });

  it('lists failures by reason, most first', async () => {
    await renderContent();
    const list = await screen.findByRole('list', { name: 'failures by reason' });
    const items = within(list).getAllByRole('listitem').map(li => li.textContent);
    expect(items).toEqual(['script_failure: 12', 'stuck_or_timeout_failure: 3']);
  });

  it('requests a day of samples for the day range', async () => {
    const api = await renderContent();
    await screen.findByText(/Fastest rise/);
    fireEvent.mouseDown(screen.getByRole('button', { name: /Time range/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'Last day' }));

    await waitFor(() => expect(api.getFleetFailures).toHaveBeenLastCalledWith(
      { namespace: 'default', name: 'fleet-k8s-default' },
      '24h',
    ));
    const [, range] = api.getFleetSamples.mock.calls[api.getFleetSamples.mock.calls.length - 1];
    expect(range.to.getTime() - range.from.getTime()).toBe(24 * 3600 * 1000);
    expect(await screen.findByText('Last day, maximum per 5 min')).toBeInTheDocument();
  });

  it('flags stale runners and old versions', async () => {
    await renderContent();
    const staleRow = (await screen.findByText('103')).closest('tr')!;
    expect(within(staleRow).getByText('stale runner')).toBeInTheDocument();
    const oldRow = screen.getByText('102').closest('tr')!;
    expect(within(oldRow).getByText('old version, newest 17.11.1')).toBeInTheDocument();
    expect(within(oldRow).getByText('paused')).toBeInTheDocument();
    const currentRow = screen.getByText('101').closest('tr')!;
    expect(within(currentRow).queryByText(/old version/)).not.toBeInTheDocument();
  });

  it('pages runners on the server', async () => {
    const api = await renderContent();
    await screen.findByText('103');
    expect(api.getFleetRunners).toHaveBeenCalledWith(
      { namespace: 'default', name: 'fleet-k8s-default' },
      { page: 1, pageSize: 20 },
    );
    expect(screen.getAllByText('1-20 of 2000')[0]).toBeInTheDocument();
  });

  it('refetches the runner page on the polling interval', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const api = await renderContent();
      await screen.findByText('103');
      const before = api.getFleetRunners.mock.calls.length;
      await act(async () => {
        jest.advanceTimersByTime(15_000);
      });
      await waitFor(() => expect(api.getFleetRunners.mock.calls.length).toBeGreaterThan(before));
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows an error when samples fail', async () => {
    const api = createApi();
    api.getFleetSamples.mockRejectedValue(new Error('samples table missing'));
    await renderContent(api);
    expect((await screen.findAllByText(/samples table missing/))[0]).toBeInTheDocument();
  });
});
