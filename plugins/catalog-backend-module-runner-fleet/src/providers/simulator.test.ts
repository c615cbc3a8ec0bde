import fs from 'node:fs';
import path from 'node:path';
import type { SchedulerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  startGitLabSimulator,
  type RunningGitLabSimulator,
} from '@runner-fleet/gitlab-simulator';
import type { FleetLiveFacts } from '@runner-fleet/plugin-runner-fleet-common';
import { parseAllDocuments } from 'yaml';
import { MemoryLiveFactsStore } from '../lib/liveFactsStore';
import { RunnerFleetEntityProvider } from './RunnerFleetEntityProvider';
import { createCapturingLogger } from '../__testUtils__/fakeGitLab';

const NOW = Date.parse('2026-12-04T12:00:00.000Z');

const scheduler = {
  createScheduledTaskRunner: () => ({ run: async () => {} }),
} as unknown as SchedulerService;

function loadDeclaredFleets(): Entity[] {
  const file = path.resolve(
    __dirname,
    '../../../../examples/runner-fleet/fleets.yaml',
  );
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(document => document.toJSON() as Entity)
    .filter(entity => entity?.spec?.type === 'gitlab-runner-fleet');
}

async function syncAgainst(
  simulator: RunningGitLabSimulator,
  declared: Entity[],
) {
  const host = new URL(simulator.url).host;
  const liveFacts = new MemoryLiveFactsStore();
  const logLines: string[] = [];
  const [provider] = RunnerFleetEntityProvider.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [
          {
            host,
            apiBaseUrl: `${simulator.url}/api/v4`,
            baseUrl: simulator.url,
            token: simulator.token,
          },
        ],
      },
      catalog: { providers: { runnerFleet: { simulator: { host } } } },
    }),
    {
      logger: createCapturingLogger(logLines),
      scheduler,
      catalog: catalogServiceMock({ entities: declared }),
      auth: mockServices.auth(),
      liveFacts,
      gitlabHooks: { sleep: async () => {} },
      now: () => new Date(NOW),
    },
  );
  const connection = {
    applyMutation: jest.fn(async (_mutation: EntityProviderMutation) => {}),
    refresh: jest.fn(async () => {}),
  };
  await provider.connect(connection);
  const result = await provider.refresh();
  return { result, connection, liveFacts, logLines };
}

describe('discovery against the GitLab simulator', () => {
  let simulator: RunningGitLabSimulator;

  afterEach(async () => {
    await simulator?.close();
  });

  it('enriches every declared fleet of the example instance', async () => {
    simulator = await startGitLabSimulator({
      port: 0,
      projects: 20,
      logLevel: 'silent',
      now: NOW,
      clock: () => NOW,
    });
    const declared = loadDeclaredFleets();
    expect(declared.length).toBe(9);

    const { result, connection, liveFacts } = await syncAgainst(
      simulator,
      declared,
    );

    expect(result.status).toBe('applied');
    expect(result.runners).toBe(37);
    expect(result.discoveredFleets).toBe(0);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [],
    });

    const factsOf = async (name: string): Promise<FleetLiveFacts> =>
      (await liveFacts.read(`resource:default/${name}`))!.facts;
    for (const runner of simulator.instance.runners) {
      const facts = await factsOf(runner.fleet!);
      expect({
        runner: runner.id,
        in: facts.runnerIds.includes(runner.id),
      }).toEqual({
        runner: runner.id,
        in: true,
      });
    }

    const docker = await factsOf('fleet-docker-machine');
    expect(docker.runners.total).toBe(20);
    expect(docker.runners.stale).toBe(3);
    expect(docker.runners.offline).toBe(2);
    expect(docker.versions).toEqual(['16.11.4']);
    const k8sDefault = await factsOf('fleet-k8s-default');
    expect(k8sDefault.runners.total).toBe(8);
    expect(k8sDefault.runners.paused).toBe(4);
    expect(k8sDefault.runUntagged).toBe(true);
    const arm = await factsOf('fleet-k8s-arm');
    expect(arm.architectures).toEqual(['arm64']);
    const qa = await factsOf('fleet-qa-k8s-default');
    expect(qa.runners.total).toBe(2);
    expect(qa.tags).toEqual(['k8s-default', 'qa']);
    const gpu = await factsOf('fleet-k8s-gpu');
    expect(gpu.runners.total).toBe(0);
  });

  it('discovers fleets when nothing is declared', async () => {
    simulator = await startGitLabSimulator({
      port: 0,
      projects: 20,
      logLevel: 'silent',
      now: NOW,
      clock: () => NOW,
    });

    const { result, connection } = await syncAgainst(simulator, []);

    expect(result.status).toBe('applied');
    const mutation = connection.applyMutation.mock.calls[0][0];
    if (mutation.type !== 'full') {
      throw new Error(`expected a full mutation, got ${mutation.type}`);
    }
    const names = mutation.entities.map(e => e.entity.metadata.name).sort();
    expect(names).toEqual([
      'discovered-fleet-k8s-arm',
      'discovered-fleet-k8s-cvmfs',
      'discovered-fleet-k8s-default',
      'discovered-fleet-k8s-fpga',
      'discovered-fleet-k8s-spark',
      'discovered-fleet-qa-k8s-default',
      'discovered-fleet-tags-docker',
    ]);
  });

  it('completes despite injected 429 and 500 responses', async () => {
    simulator = await startGitLabSimulator({
      port: 0,
      projects: 20,
      runners: 300,
      logLevel: 'silent',
      now: NOW,
      clock: () => NOW,
      fault429: 0.05,
      fault500: 0.05,
    });

    const { result, logLines } = await syncAgainst(
      simulator,
      loadDeclaredFleets(),
    );

    expect(result.status).toBe('applied');
    expect(result.runners).toBe(300);
    expect(result.retries).toBeGreaterThan(0);
    expect(simulator.stats.injected429).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(simulator.token);
  });

  it('keeps entities when a runner fails for good', async () => {
    simulator = await startGitLabSimulator({
      port: 0,
      projects: 20,
      logLevel: 'silent',
      now: NOW,
      clock: () => NOW,
      failPaths: ['/api/v4/runners/5/managers'],
    });

    const { result, connection } = await syncAgainst(
      simulator,
      loadDeclaredFleets(),
    );

    expect(result.status).toBe('skipped');
    expect(result.reason).toContain('5 (managers)');
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });
});
