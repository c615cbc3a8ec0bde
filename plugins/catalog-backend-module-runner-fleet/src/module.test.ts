import path from 'node:path';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { AlphaEntity } from '@backstage/catalog-model/alpha';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogModuleRunnerFleet from './index';

const examplesLocation = path.resolve(
  __dirname,
  '../../../examples/runner-fleet/all.yaml',
);

const invalidFleets = `
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: fleet-broken
spec:
  type: gitlab-runner-fleet
  owner: group:default/platform-team
  lifecycle: production
  executor: kubernetes
  tags: [k8s-broken]
  runUntagged: false
  access: public
  concurrency: 10
  architecture: amd64
  clusters:
    - ref: cluster-default-v3
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: fleet-valid-neighbour
spec:
  type: gitlab-runner-fleet
  owner: group:default/platform-team
  lifecycle: opt-in
  executor: kubernetes
  tags: [k8s-neighbour]
  runUntagged: false
  access: open
  concurrency: 10
  architecture: amd64
  clusters:
    - ref: cluster-default-v3
`;

interface ProcessingErrorEvent {
  unprocessedEntity: Entity;
  errors: Error[];
}

describe('catalogModuleRunnerFleet in the catalog backend', () => {
  const mockDir = createMockDirectory();
  const processingErrors: ProcessingErrorEvent[] = [];

  // Records processing errors the way the catalog reports them to listeners.
  const errorRecorder = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-error-recorder',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.setOnProcessingErrorHandler(event => {
            processingErrors.push(event);
          });
        },
      });
    },
  });

  async function getEntity(
    baseUrl: string,
    ref: string,
  ): Promise<Entity | undefined> {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const response = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    if (response.status === 404) {
      return undefined;
    }
    expect(response.status).toBe(200);
    return (await response.json()) as Entity;
  }

  /** Polls until the entity exists and `check` passes, because the catalog processes entities asynchronously. */
  async function waitForEntity(
    baseUrl: string,
    ref: string,
    check: (entity: Entity) => boolean = () => true,
  ): Promise<Entity> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const entity = await getEntity(baseUrl, ref);
      if (entity && check(entity)) {
        return entity;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${ref} did not reach the expected state, last seen ${JSON.stringify(
            entity?.relations,
          )}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  async function startCatalog(fileLocations: string[]) {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleRunnerFleet,
        errorRecorder,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: ['Component', 'Resource', 'Group', 'User', 'Location'],
                },
              ],
              locations: fileLocations.map(target => ({
                type: 'file',
                target,
              })),
            },
          },
        }),
      ],
    });
    return {
      backend,
      baseUrl: `http://127.0.0.1:${backend.server.port()}`,
    };
  }

  it('ingests valid entities next to an invalid fleet', async () => {
    mockDir.setContent({ 'invalid-fleets.yaml': invalidFleets });

    const { backend, baseUrl } = await startCatalog([
      examplesLocation,
      mockDir.resolve('invalid-fleets.yaml'),
    ]);

    try {
      const hasRelation = (type: string, target: string) => (e: Entity) =>
        (e.relations ?? []).some(
          r => r.type === type && r.targetRef === target,
        );

      const neighbour = await waitForEntity(
        baseUrl,
        'resource:default/fleet-valid-neighbour',
        hasRelation('dependsOn', 'resource:default/cluster-default-v3'),
      );
      expect(neighbour.spec?.access).toBe('open');

      const defaultFleet = await waitForEntity(
        baseUrl,
        'resource:default/fleet-k8s-default',
        hasRelation('borrowsFrom', 'resource:default/fleet-qa-k8s-default'),
      );
      expect(defaultFleet.relations).toEqual(
        expect.arrayContaining([
          {
            type: 'dependsOn',
            targetRef: 'resource:default/cluster-default-v2',
          },
          {
            type: 'dependsOn',
            targetRef: 'resource:default/cluster-default-v3',
          },
          {
            type: 'dependencyOf',
            targetRef: 'component:default/acts',
          },
          {
            type: 'dependencyOf',
            targetRef: 'component:default/mc-production',
          },
        ]),
      );

      const cluster = await waitForEntity(
        baseUrl,
        'resource:default/cluster-default-v3',
        hasRelation('dependencyOf', 'resource:default/fleet-valid-neighbour'),
      );
      expect(cluster.relations).toEqual(
        expect.arrayContaining([
          { type: 'dependsOn', targetRef: 'resource:default/pool-general-x86' },
          {
            type: 'dependencyOf',
            targetRef: 'resource:default/fleet-k8s-default',
          },
        ]),
      );

      // The invalid fleet is never stored, and its error names the field.
      expect(
        await getEntity(baseUrl, 'resource:default/fleet-broken'),
      ).toBeUndefined();
      const brokenErrors = processingErrors
        .filter(e => e.unprocessedEntity.metadata.name === 'fleet-broken')
        .flatMap(e => e.errors.map(error => `${error.name}: ${error.message}`));
      expect(brokenErrors).toContain(
        'InputError: spec.access is "public". Allowed values: "open", "restricted", "on-request".',
      );
      const otherErrors = processingErrors.filter(
        e => e.unprocessedEntity.metadata.name !== 'fleet-broken',
      );
      expect(otherErrors).toEqual([]);
    } finally {
      await backend.stop();
    }
  }, 60_000);

  it('shows a spec error on an entity that was valid', async () => {
    const validFleet = invalidFleets
      .split('---')[1]
      .replace('fleet-valid-neighbour', 'fleet-edited');
    mockDir.setContent({ 'edited-fleet.yaml': validFleet });

    const { backend, baseUrl } = await startCatalog([
      mockDir.resolve('edited-fleet.yaml'),
    ]);

    try {
      const ref = 'resource:default/fleet-edited';
      const before = await waitForEntity(baseUrl, ref);
      expect(before.spec?.access).toBe('open');

      mockDir.setContent({
        'edited-fleet.yaml': validFleet.replace(
          'access: open',
          'access: everyone',
        ),
      });
      const refresh = await fetch(`${baseUrl}/api/catalog/refresh`, {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.user.header(),
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ entityRef: ref }),
      });
      expect(refresh.status).toBe(200);

      // The catalog keeps the last valid version and adds the error as a
      // status item, which the entity page shows in its error panel.
      const hasStatusItems = (entity: AlphaEntity) =>
        (entity.status?.items ?? []).length > 0;
      const after: AlphaEntity = await waitForEntity(
        baseUrl,
        ref,
        hasStatusItems,
      );
      expect(after.spec?.access).toBe('open');
      expect(after.status?.items).toEqual([
        expect.objectContaining({
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message:
            'InputError: spec.access is "everyone". Allowed values: "open", "restricted", "on-request".',
        }),
      ]);
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
