import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { RunnerFleetOverviewCard } from './RunnerFleetOverviewCard';
import {
  defaultFleet,
  dockerMachineFleet,
  fpgaFleet,
  qaFleet,
} from './testEntities';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const now = new Date('2026-12-04T12:00:00Z');

async function renderCard(entity: Entity, at: Date = now) {
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <RunnerFleetOverviewCard now={at} />
    </EntityProvider>,
    { mountedRoutes },
  );
}

/** Returns the value cell of a metadata table row, found by its label. */
function row(label: string): HTMLElement {
  const labelCell = screen.getByText(label).closest('tr');
  expect(labelCell).not.toBeNull();
  return labelCell as HTMLElement;
}

describe('RunnerFleetOverviewCard', () => {
  it('shows the default fleet mid-upgrade', async () => {
    await renderCard(defaultFleet);

    expect(
      within(row('Lifecycle')).getByText('production'),
    ).toBeInTheDocument();
    expect(within(row('Executor')).getByText('kubernetes')).toBeInTheDocument();
    expect(
      within(row('Access')).getByText('open: every project may use it'),
    ).toBeInTheDocument();
    expect(
      within(row('Runner tags')).getByText('k8s-default'),
    ).toBeInTheDocument();
    expect(
      within(row('Untagged jobs')).getByText('runs them'),
    ).toBeInTheDocument();
    expect(
      within(row('Concurrency')).getByText('480 jobs at once'),
    ).toBeInTheDocument();
    expect(within(row('Architecture')).getByText('amd64')).toBeInTheDocument();
    expect(
      within(row('Features')).getByText('network zone: general'),
    ).toBeInTheDocument();

    const clusters = row('Clusters');
    expect(
      within(clusters).getByText('cluster-default-v2'),
    ).toBeInTheDocument();
    expect(
      within(clusters).getByText('cluster-default-v3'),
    ).toBeInTheDocument();
    expect(clusters.textContent).toContain('cluster-default-v2 (draining)');
    expect(clusters.textContent).toContain('cluster-default-v3 (active)');

    expect(
      within(row('Borrows from')).getByText('fleet-qa-k8s-default'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Lent to')).not.toBeInTheDocument();
  });

  it('shows live runner counts from discovery', async () => {
    await renderCard(defaultFleet);

    const live = row('Live runners');
    expect(
      within(live).getByText(
        '4 online, 0 offline, 0 stale, 4 paused (8 in total)',
      ),
    ).toBeInTheDocument();
    expect(
      within(live).getByText('GitLab Runner 18.5.0, 18.4.2'),
    ).toBeInTheDocument();
    expect(
      within(live).getByText('synced from GitLab at 2026-12-04T11:58:00Z'),
    ).toBeInTheDocument();
  });

  it('shows an active lend with its reason', async () => {
    await renderCard(qaFleet);

    const lend = row('Lent to');
    expect(within(lend).getByText('fleet-k8s-default')).toBeInTheDocument();
    expect(lend.textContent).toContain('until 2027-01-31');
    expect(lend.textContent).not.toContain('expired');
    expect(
      within(lend).getByText('Extra capacity while cluster-default-v2 drains.'),
    ).toBeInTheDocument();
    expect(
      within(row('Access')).getByText('restricted: approved projects only'),
    ).toBeInTheDocument();
    expect(within(row('Runner tags')).getByText('qa')).toBeInTheDocument();
  });

  it('marks a lend past its expiry', async () => {
    await renderCard(qaFleet, new Date('2027-02-01T00:00:00Z'));

    expect(row('Lent to').textContent).toContain(
      'until 2027-01-31 (expired, runners are due back)',
    );
  });

  it('lists accelerators and features', async () => {
    await renderCard(fpgaFleet);

    expect(
      within(row('Accelerators')).getByText('8 × AMD Alveo U55C (FPGA)'),
    ).toBeInTheDocument();
    const features = row('Features');
    expect(
      within(features).getByText('CVMFS: sw.example.org'),
    ).toBeInTheDocument();
    expect(
      within(features).getByText('no privileged pods'),
    ).toBeInTheDocument();
    expect(row('Clusters').textContent).toContain('cluster-fpga');
    expect(screen.queryByText('Live runners')).not.toBeInTheDocument();
  });

  it('handles a fleet without clusters', async () => {
    await renderCard(dockerMachineFleet);

    expect(
      within(row('Clusters')).getByText('none (runs outside Kubernetes)'),
    ).toBeInTheDocument();
    expect(within(row('Lifecycle')).getByText('draining')).toBeInTheDocument();
    expect(
      within(row('Untagged jobs')).getByText('does not run them'),
    ).toBeInTheDocument();
  });

  it('shows unknown values of an incomplete spec', async () => {
    await renderCard({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'fleet-discovered' },
      spec: { type: 'gitlab-runner-fleet', access: 'members-only' },
    });

    expect(within(row('Lifecycle')).getByText('unknown')).toBeInTheDocument();
    expect(within(row('Concurrency')).getByText('unknown')).toBeInTheDocument();
    expect(within(row('Access')).getByText('members-only')).toBeInTheDocument();
    expect(within(row('Runner tags')).getByText('none')).toBeInTheDocument();
  });
});
