import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { FleetLoad } from '@runner-fleet/plugin-runner-fleet-common';
import { runnerFleetApiRef } from '../api';
import { RunnerPoolPicker } from './RunnerPoolPicker';
import { poolEntities } from './testEntities';

function load(fleetRef: string, runningJobs: number, pendingJobs: number): FleetLoad {
  return {
    fleetRef,
    runningJobs,
    pendingJobs,
    jobsStartedPerMinute: 1,
    queueWaitSeconds: { p50: 1, p90: 2, p99: 3 },
    failuresByReason: {},
    source: 'gitlab',
    sampledAt: '2026-12-04T12:00:00Z',
  };
}

async function renderPicker(options: {
  onChange?: jest.Mock;
  formData?: string;
  loads?: () => Promise<FleetLoad[]>;
  hideAccess?: string[];
  catalog?: InMemoryCatalogClient;
}) {
  const onChange = options.onChange ?? jest.fn();
  const fleetApi = { listFleetLoads: jest.fn(options.loads ?? (async () => [])) };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, options.catalog ?? new InMemoryCatalogClient({ entities: poolEntities })],
        [runnerFleetApiRef, fleetApi as any],
        [identityApiRef, {} as any],
      ]}
    >
      <RunnerPoolPicker
        {...({} as any)}
        onChange={onChange}
        formData={options.formData}
        required
        rawErrors={[]}
        schema={{ title: 'Hardware pool', description: 'Nodes the jobs run on.' }}
        uiSchema={{ 'ui:options': { hideAccess: options.hideAccess } }}
        idSchema={{ $id: 'root_pool' } as any}
      />
    </TestApiProvider>,
  );
  return { onChange, fleetApi };
}

async function openMenu() {
  const button = await screen.findByRole('button', { name: /Hardware pool/ });
  await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled', 'true'));
  fireEvent.mouseDown(button);
  return screen.findByRole('listbox');
}

describe('RunnerPoolPicker', () => {
  it('lists pools with capacity and access policy', async () => {
    await renderPicker({});
    const listbox = await openMenu();
    const options = within(listbox).getAllByRole('option');

    expect(options.map(o => o.getAttribute('aria-label'))).toEqual(['ARM pool', 'FPGA pool', 'GPU pool']);
    const gpu = within(listbox).getByRole('option', { name: 'GPU pool' });
    expect(gpu).toHaveTextContent('4 nodes · 64 vCPU / 512 GiB each · 16 × NVIDIA A100 80GB');
    expect(gpu).toHaveTextContent('On request');
    expect(within(listbox).getByRole('option', { name: 'FPGA pool' })).toHaveTextContent(
      'Restricted: needs approval',
    );
    expect(within(listbox).getByRole('option', { name: 'ARM pool' })).toHaveTextContent('Open');
  });

  it('returns the pool entity reference', async () => {
    const { onChange } = await renderPicker({});
    const listbox = await openMenu();
    fireEvent.click(within(listbox).getByRole('option', { name: 'GPU pool' }));

    expect(onChange).toHaveBeenCalledWith('resource:default/pool-gpu');
  });

  it('shows live load from the backend', async () => {
    await renderPicker({
      loads: async () => [load('resource:default/fleet-k8s-gpu', 5, 2)],
    });
    const listbox = await openMenu();

    expect(within(listbox).getByRole('option', { name: 'GPU pool' })).toHaveTextContent(
      'Now: 5 of 16 job slots busy, 2 pending',
    );
    expect(within(listbox).getByRole('option', { name: 'ARM pool' })).not.toHaveTextContent('Now:');
  });

  it('works when the backend is down', async () => {
    await renderPicker({
      loads: async () => {
        throw new Error('503');
      },
    });
    const listbox = await openMenu();

    expect(within(listbox).getAllByRole('option')).toHaveLength(3);
  });

  it('shows the per-job limits of the selected pool', async () => {
    await renderPicker({ formData: 'resource:default/pool-gpu' });

    expect(
      await screen.findByText(
        'Per job at most 64 vCPU, 512 GiB, 4 accelerators. Fleets: fleet-k8s-gpu.',
      ),
    ).toBeInTheDocument();
  });

  it('hides pools by access policy', async () => {
    await renderPicker({ hideAccess: ['restricted'] });
    const listbox = await openMenu();

    expect(within(listbox).queryByRole('option', { name: 'FPGA pool' })).not.toBeInTheDocument();
  });

  it('explains a catalog failure', async () => {
    const catalog = {
      getEntities: jest.fn().mockRejectedValue(new Error('catalog unavailable')),
    };
    await renderPicker({ catalog: catalog as any });

    expect(
      await screen.findByText('Could not load hardware pools from the catalog: catalog unavailable'),
    ).toBeInTheDocument();
  });
});
