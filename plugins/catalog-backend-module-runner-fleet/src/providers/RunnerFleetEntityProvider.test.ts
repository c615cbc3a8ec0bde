import type { SchedulerService } from '@backstage/backend-plugin-api';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATIONS,
  validateRunnerFleetEntity,
  type FleetLiveFacts,
} from '@runner-fleet/plugin-runner-fleet-common';
import { setupServer } from 'msw/node';
import { MemoryLiveFactsStore } from '../lib/liveFactsStore';
import { RunnerFleetEntityProvider } from './RunnerFleetEntityProvider';
import {
  createCapturingLogger,
  fakeGitLabHandlers,
  TEST_API,
  TEST_TOKEN,
  type FakeFaults,
  type FakeGitLabRequests,
  type FakeRunner,
} from '../__testUtils__/fakeGitLab';

const server = setupServer();
registerMswTestHooks(server);

const scheduler = {
  createScheduledTaskRunner: () => ({ run: async () => {} }),
} as unknown as SchedulerService;

function declaredFleet(
  name: string,
  tags: string[],
  discovery?: object,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'gitlab-runner-fleet',
      owner: 'group:default/platform-team',
      lifecycle: 'production',
      executor: 'kubernetes',
      tags,
      runUntagged: false,
      access: 'open',
      concurrency: 10,
      architecture: 'amd64',
      ...(discovery ? { discovery } : {}),
    },
  };
}

interface Setup {
  runners: FakeRunner[];
  faults?: FakeFaults;
  declared?: Entity[];
  providerConfig?: object;
}

function setup({ runners, faults, declared = [], providerConfig = {} }: Setup) {
  const requests: FakeGitLabRequests = { pages: [], details: 0, managers: 0 };
  server.use(...fakeGitLabHandlers(runners, faults, requests));

  const logLines: string[] = [];
  const sleeps: number[] = [];
  const liveFacts = new MemoryLiveFactsStore();
  const [provider] = RunnerFleetEntityProvider.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [
          {
            host: 'gitlab.example.org',
            apiBaseUrl: TEST_API,
            token: TEST_TOKEN,
          },
        ],
      },
      catalog: {
        providers: {
          runnerFleet: {
            example: {
              host: 'gitlab.example.org',
              gitlab: { concurrency: 16, retryBaseDelayMs: 100 },
              ...providerConfig,
            },
          },
        },
      },
    }),
    {
      logger: createCapturingLogger(logLines),
      scheduler,
      catalog: catalogServiceMock({ entities: declared }),
      auth: mockServices.auth(),
      liveFacts,
      gitlabHooks: {
        sleep: async ms => {
          sleeps.push(ms);
        },
        random: () => 0.5,
      },
    },
  );
  const connection = {
    applyMutation: jest.fn(async () => {}),
    refresh: jest.fn(async () => {}),
  } satisfies EntityProviderConnection;
  return { provider, connection, requests, logLines, sleeps, liveFacts };
}

function appliedEntities(connection: { applyMutation: jest.Mock }): Entity[] {
  expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  const mutation = connection.applyMutation.mock.calls[0][0];
  expect(mutation.type).toBe('full');
  return mutation.entities.map((e: { entity: Entity }) => e.entity);
}

function liveOf(entity: Entity | undefined): FleetLiveFacts {
  return entity?.spec?.live as unknown as FleetLiveFacts;
}

const k8sRunners = (
  from: number,
  count: number,
  cluster = 'cluster-default-v3',
) =>
  Array.from({ length: count }, (_, i) => ({
    id: from + i,
    description: `k8s-default @ ${cluster}`,
    tags: ['k8s-default'],
    runUntagged: true,
  }));

describe('RunnerFleetEntityProvider', () => {
  it('names the provider after its config id', () => {
    const { provider } = setup({ runners: [] });

    expect(provider.getProviderName()).toBe(
      'RunnerFleetEntityProvider:example',
    );
  });

  it('syncs more than 10,000 runners without X-Total', async () => {
    // Runners 1 to 10 have managers; the others never contacted GitLab, so
    // the provider leaves out their manager calls and the test stays short.
    const runners: FakeRunner[] = Array.from({ length: 10_050 }, (_, i) => ({
      id: i + 1,
      description: `k8s-spark @ cluster-spark`,
      tags: ['spark'],
      status: i < 10 ? 'online' : 'never_contacted',
      contactedAt: i < 10 ? undefined : null,
      managers: [{ version: i % 2 ? '18.6.0' : '18.5.1' }],
    }));
    const { provider, connection, requests } = setup({ runners });
    await provider.connect(connection);

    const result = await provider.refresh();

    expect(result.status).toBe('applied');
    expect(result.runners).toBe(10_050);
    expect(requests.pages).toHaveLength(101);
    expect(requests.details).toBe(10_050);
    expect(requests.managers).toBe(10);
    const [fleet] = appliedEntities(connection);
    expect(fleet.metadata.name).toBe('discovered-fleet-k8s-spark');
    expect(liveOf(fleet).runners.total).toBe(10_050);
    expect(liveOf(fleet).runners.online).toBe(10);
    // Created in January and never contacted: stale by GitLab's definition.
    expect(liveOf(fleet).runners.stale).toBe(10_040);
    expect(liveOf(fleet).versions).toEqual(['18.6.0', '18.5.1']);
  }, 120_000);

  it('waits for Retry-After on a rate-limited page', async () => {
    const { provider, connection, sleeps, requests } = setup({
      runners: k8sRunners(1, 150),
      faults: { rateLimitPages: new Map([[2, '12']]) },
    });
    await provider.connect(connection);

    const result = await provider.refresh();

    expect(result.status).toBe('applied');
    expect(result.runners).toBe(150);
    expect(sleeps).toContain(12_000);
    expect(requests.pages).toEqual([1, 2, 2]);
  });

  it('retries a 500 on runner details', async () => {
    const { provider, connection, sleeps } = setup({
      runners: k8sRunners(1, 3),
      faults: { detailErrors: new Map([[2, 2]]) },
    });
    await provider.connect(connection);

    const result = await provider.refresh();

    expect(result.status).toBe('applied');
    expect(result.retries).toBe(2);
    expect(sleeps).toEqual([75, 150]);
    expect(liveOf(appliedEntities(connection)[0]).runnerIds).toEqual([1, 2, 3]);
  });

  it('keeps entities when a page fails for good', async () => {
    const { provider, connection, logLines, liveFacts } = setup({
      runners: k8sRunners(1, 250),
      faults: { failPage: 2 },
      declared: [declaredFleet('fleet-k8s-default', ['k8s-default'])],
    });
    await provider.connect(connection);

    const result = await provider.refresh();

    expect(result.status).toBe('failed');
    expect(connection.applyMutation).not.toHaveBeenCalled();
    await expect(
      liveFacts.read('resource:default/fleet-k8s-default'),
    ).resolves.toBeUndefined();
    const errors = logLines.filter(line => line.startsWith('error'));
    expect(errors[0]).toContain(
      'keeping the entities of the last complete sync',
    );
    expect(errors[0]).toContain('page 2');
    expect(errors[0]).toContain('gitlab.example.org/api/v4/runners/all');
  });

  it('skips the mutation when runner details fail for good', async () => {
    const { provider, connection, logLines } = setup({
      runners: k8sRunners(1, 40),
      faults: { detailErrors: new Map([[17, 99]]) },
      providerConfig: { gitlab: { maxRetries: 1 } },
    });
    await provider.connect(connection);

    const result = await provider.refresh();

    expect(result.status).toBe('skipped');
    expect(result.reason).toContain('17 (details)');
    expect(connection.applyMutation).not.toHaveBeenCalled();
    const errors = logLines.filter(line => line.startsWith('error'));
    expect(errors[0]).toContain('Runner fleet sync incomplete');
    expect(errors[0]).toContain('17 (details)');
  });

  it('counts runners whose managers are missing', async () => {
    const { provider, connection, logLines } = setup({
      runners: [
        {
          id: 1,
          description: 'k8s-fpga @ cluster-fpga',
          tags: ['fpga'],
          managers: 'missing',
        },
        {
          id: 2,
          description: 'k8s-fpga @ cluster-fpga',
          tags: ['fpga'],
          managers: [{ version: '18.6.1' }],
        },
      ],
    });
    await provider.connect(connection);

    const result = await provider.refresh();

    expect(result.status).toBe('applied');
    const facts = liveOf(appliedEntities(connection)[0]);
    expect(facts.runners.total).toBe(2);
    expect(facts.runnerIds).toEqual([1, 2]);
    expect(facts.versions).toEqual(['18.6.1']);
    expect(
      logLines.some(
        l => l.startsWith('warn') && l.includes('no managers for 1 runners'),
      ),
    ).toBe(true);
  });

  it('enriches declared fleets instead of duplicating them', async () => {
    const { provider, connection, liveFacts } = setup({
      runners: [
        ...k8sRunners(1, 2),
        { id: 3, description: 'k8s-gpu @ cluster-gpu', tags: ['gpu'] },
        {
          id: 4,
          description: 'docker-machine-01.runners.example.org',
          tags: ['docker'],
          contactedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
      declared: [
        declaredFleet('fleet-k8s-default', ['k8s-default']),
        declaredFleet('fleet-docker-machine', ['docker'], {
          descriptionPattern: '^docker-machine-\\d+\\.runners\\.example\\.org$',
        }),
        declaredFleet('fleet-k8s-technical-network', ['technical-network']),
      ],
    });
    await provider.connect(connection);

    const result = await provider.refresh();

    expect(result.status).toBe('applied');
    expect(result.declaredFleets).toBe(3);
    const entities = appliedEntities(connection);
    expect(entities.map(e => e.metadata.name)).toEqual([
      'discovered-fleet-k8s-gpu',
    ]);
    const stored = await liveFacts.read('resource:default/fleet-k8s-default');
    expect(stored?.provider).toBe('RunnerFleetEntityProvider:example');
    expect(stored?.facts.runnerIds).toEqual([1, 2]);
    expect(stored?.facts.runUntagged).toBe(true);
    const docker = await liveFacts.read(
      'resource:default/fleet-docker-machine',
    );
    expect(docker?.facts.runners.stale).toBe(1);
    const planned = await liveFacts.read(
      'Resource:default/fleet-k8s-technical-network',
    );
    expect(planned?.facts.runners.total).toBe(0);
  });

  it('emits discovered fleets that pass validation', async () => {
    const { provider, connection } = setup({
      runners: [
        {
          id: 1,
          description: 'k8s-arm @ cluster-arm',
          tags: ['arm64', 'aarch64'],
          managers: [{ version: '18.6.0', architecture: 'arm64' }],
        },
        {
          id: 2,
          description: 'k8s-arm @ cluster-arm',
          tags: ['arm64', 'aarch64'],
          paused: true,
          managers: [
            { version: '18.6.0', architecture: 'arm64' },
            { version: '18.6.0', architecture: 'amd64' },
          ],
        },
        { id: 3, description: 'windows builder', tags: ['windows', 'shell'] },
      ],
    });
    await provider.connect(connection);

    await provider.refresh();

    const entities = appliedEntities(connection);
    expect(entities.map(e => e.metadata.name)).toEqual([
      'discovered-fleet-k8s-arm',
      'discovered-fleet-tags-shell-windows',
    ]);
    for (const entity of entities) {
      expect(validateRunnerFleetEntity(entity)).toEqual([]);
      expect(entity.metadata.annotations?.[ANNOTATIONS.discovered]).toBe(
        'true',
      );
      expect(entity.metadata.annotations?.[ANNOTATIONS.provider]).toBe(
        'RunnerFleetEntityProvider:example',
      );
    }
    const arm = entities[0];
    expect(arm.spec?.architecture).toBe('arm64');
    expect(arm.spec?.lifecycle).toBe('production');
    expect(arm.spec?.clusters).toEqual([
      { ref: 'resource:default/cluster-arm' },
    ]);
    expect(arm.spec?.owner).toBe('group:default/platform-team');
  });

  it('keeps the token out of logs', async () => {
    const { provider, connection, logLines } = setup({
      runners: k8sRunners(1, 5),
      faults: { failPage: 1 },
      providerConfig: { gitlab: { maxRetries: 2 } },
    });
    await provider.connect(connection);

    await provider.refresh();

    expect(logLines.length).toBeGreaterThan(2);
    expect(logLines.join('\n')).not.toContain(TEST_TOKEN);
  });

  it('rejects an invalid mapping at startup', () => {
    expect(() =>
      RunnerFleetEntityProvider.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: 'gitlab.example.org',
                apiBaseUrl: TEST_API,
                token: TEST_TOKEN,
              },
            ],
          },
          catalog: {
            providers: {
              runnerFleet: {
                example: {
                  mapping: {
                    rules: [{ fleet: 'fleet-x', descriptionPattern: '([' }],
                  },
                },
              },
            },
          },
        }),
        { logger: createCapturingLogger(), scheduler },
      ),
    ).toThrow(
      /catalog\.providers\.runnerFleet\.example\.mapping\.rules\[0\]\.descriptionPattern is not a valid regular expression: "\(\["/,
    );
  });
});
