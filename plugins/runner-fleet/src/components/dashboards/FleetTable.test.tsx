import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { FleetSummary } from '../../api';
import { FleetTable } from './FleetTable';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const legacyFleet: FleetSummary = {
  entityRef: 'resource:default/fleet-docker-machine',
  namespace: 'default',
  name: 'fleet-docker-machine',
  title: 'Docker Machine fleet',
  lifecycle: 'draining',
  executor: 'docker+machine',
  tags: ['docker'],
  concurrency: 200,
};

describe('FleetTable', () => {
  it('keeps executor and lifecycle on one line', async () => {
    await renderInTestApp(<FleetTable fleets={[legacyFleet]} />, {
      mountedRoutes,
    });
    expect(screen.getByText('docker+machine').closest('td')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
    expect(screen.getByText('draining').closest('td')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
  });

  it('lets fleet titles wrap at a minimum width', async () => {
    await renderInTestApp(<FleetTable fleets={[legacyFleet]} />, {
      mountedRoutes,
    });
    const cell = screen
      .getByRole('link', { name: 'Docker Machine fleet' })
      .closest('td')!;
    expect(cell).toHaveStyle({ minWidth: '120px' });
    expect(cell).not.toHaveStyle({ whiteSpace: 'nowrap' });
  });
});
