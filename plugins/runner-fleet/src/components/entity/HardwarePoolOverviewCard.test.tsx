import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { HardwarePoolOverviewCard } from './HardwarePoolOverviewCard';
import { fpgaPool, generalPool } from './testEntities';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

async function renderCard(entity: Entity) {
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <HardwarePoolOverviewCard />
    </EntityProvider>,
    { mountedRoutes },
  );
}

function row(label: string): HTMLElement {
  const tableRow = screen.getByText(label).closest('tr');
  expect(tableRow).not.toBeNull();
  return tableRow as HTMLElement;
}

describe('HardwarePoolOverviewCard', () => {
  it('shows capacity and clusters of the general pool', async () => {
    await renderCard(generalPool);

    expect(within(row('Architecture')).getByText('amd64')).toBeInTheDocument();
    expect(within(row('Nodes')).getByText('40')).toBeInTheDocument();
    expect(
      within(row('Per node')).getByText('64 vCPU, 256 GiB memory'),
    ).toBeInTheDocument();
    expect(
      within(row('Total capacity')).getByText('2,560 vCPU, 10,240 GiB memory'),
    ).toBeInTheDocument();
    expect(within(row('Accelerators')).getByText('none')).toBeInTheDocument();

    const clusters = row('Clusters');
    for (const name of [
      'cluster-default-v2',
      'cluster-default-v3',
      'cluster-cvmfs',
      'cluster-qa',
    ]) {
      expect(within(clusters).getByText(name)).toBeInTheDocument();
    }
  });

  it('lists the accelerator inventory', async () => {
    await renderCard(fpgaPool);

    expect(
      within(row('Accelerators')).getByText('8 × AMD Alveo U55C (FPGA)'),
    ).toBeInTheDocument();
    expect(
      within(row('Total capacity')).getByText('128 vCPU, 512 GiB memory'),
    ).toBeInTheDocument();
    expect(
      within(row('Clusters')).getByText('cluster-fpga'),
    ).toBeInTheDocument();
  });

  it('shows unknown capacity when nodes are missing', async () => {
    await renderCard({
      ...fpgaPool,
      spec: { type: 'hardware-pool', architecture: 'arm64' },
    });

    expect(within(row('Nodes')).getByText('unknown')).toBeInTheDocument();
    expect(
      within(row('Total capacity')).getByText('unknown'),
    ).toBeInTheDocument();
    expect(within(row('Clusters')).getByText('none')).toBeInTheDocument();
  });
});
