import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { KubernetesClusterOverviewCard } from './KubernetesClusterOverviewCard';
import { clusterV3, defaultFleet, generalPool } from './testEntities';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

/**
 * Catalog API with the one method the card calls. Like the real catalog, it
 * returns undefined in place of each reference it does not know.
 */
function catalogWith(entities: Entity[]): CatalogApi {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const api: Pick<CatalogApi, 'getEntitiesByRefs'> = {
    getEntitiesByRefs: async request => ({
      items: request.entityRefs.map(ref => byRef.get(ref)),
    }),
  };
  return api as CatalogApi;
}

async function renderCard(entity: Entity, catalogEntities: Entity[]) {
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogWith(catalogEntities)]]}>
      <EntityProvider entity={entity}>
        <KubernetesClusterOverviewCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

function row(label: string): HTMLElement {
  const tableRow = screen.getByText(label).closest('tr');
  expect(tableRow).not.toBeNull();
  return tableRow as HTMLElement;
}

describe('KubernetesClusterOverviewCard', () => {
  it('shows the fleet role and the other upgrade cluster', async () => {
    await renderCard(clusterV3, [defaultFleet, generalPool, clusterV3]);

    const fleets = await screen.findByText('Runner fleets');
    const fleetRow = fleets.closest('tr') as HTMLElement;
    expect(within(fleetRow).getByText('fleet-k8s-default')).toBeInTheDocument();
    expect(fleetRow.textContent).toContain('fleet-k8s-default (active)');
    expect(fleetRow.textContent).toContain(
      'Upgrade in progress, also on cluster-default-v2 (draining)',
    );

    const pools = row('Hardware pools');
    expect(within(pools).getByText('pool-general-x86')).toBeInTheDocument();
    expect(pools.textContent).toContain('pool-general-x86 (amd64, 40 nodes)');

    expect(
      within(row('API server')).getByText('https://127.0.0.1:16442'),
    ).toBeInTheDocument();
    expect(within(row('Auth provider')).getByText('oidc')).toBeInTheDocument();
  });

  it('shows the draining role on the old cluster', async () => {
    const clusterV2: Entity = {
      ...clusterV3,
      metadata: { name: 'cluster-default-v2', namespace: 'default' },
      relations: [
        {
          type: 'dependencyOf',
          targetRef: 'resource:default/fleet-k8s-default',
        },
      ],
    };
    await renderCard(clusterV2, [defaultFleet, generalPool]);

    const fleetRow = (await screen.findByText('Runner fleets')).closest(
      'tr',
    ) as HTMLElement;
    expect(fleetRow.textContent).toContain('fleet-k8s-default (draining)');
    expect(fleetRow.textContent).toContain(
      'also on cluster-default-v3 (active)',
    );
    expect(within(row('API server')).getByText('not set')).toBeInTheDocument();
    expect(
      within(row('Hardware pools')).getByText(
        'No hardware pool lists this cluster',
      ),
    ).toBeInTheDocument();
  });

  it('ignores related entities that are not fleets or pools', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'monitoring', namespace: 'default' },
      spec: { type: 'database', owner: 'platform-team' },
    };
    await renderCard(
      {
        ...clusterV3,
        relations: [
          { type: 'dependencyOf', targetRef: 'resource:default/monitoring' },
          { type: 'dependencyOf', targetRef: 'resource:default/missing-fleet' },
        ],
      },
      [component],
    );

    expect(
      await screen.findByText('No fleet lists this cluster'),
    ).toBeInTheDocument();
  });
});
