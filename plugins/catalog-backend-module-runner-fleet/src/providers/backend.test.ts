import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  startGitLabSimulator,
  type RunningGitLabSimulator,
} from '@runner-fleet/gitlab-simulator';
import type { FleetLiveFacts } from '@runner-fleet/plugin-runner-fleet-common';
import catalogModuleRunnerFleet from '../index';

const fleetsLocation = path.resolve(
  __dirname,
  '../../../../examples/runner-fleet/fleets.yaml',
);

let scheduler: SchedulerService | undefined;

/** Captures the catalog plugin's scheduler so the test can trigger the sync. */
const schedulerGrabber = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-scheduler-grabber',
  register(reg) {
    reg.registerInit({
      deps: { pluginScheduler: coreServices.scheduler },
      async init({ pluginScheduler }) {
        scheduler = pluginScheduler;
      },
    });
  },
});

describe('discovery in the catalog backend', () => {
  let simulator: RunningGitLabSimulator | undefined;

  afterEach(async () => {
    await simulator?.close();
  });

  it('merges live facts into declared fleets', async () => {
    simulator = await startGitLabSimulator({
      port: 0,
      projects: 20,
      logLevel: 'silent',
    });
    const host = new URL(simulator.url).host;

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleRunnerFleet,
        schedulerGrabber,
        mockServices.rootConfig.factory({
          data: {
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
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['Resource', 'Location'] }],
              locations: [{ type: 'file', target: fleetsLocation }],
              providers: {
                runnerFleet: {
                  e2e: {
                    host,
                    schedule: {
                      frequency: { minutes: 10 },
                      timeout: { minutes: 1 },
                    },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const baseUrl = `http://127.0.0.1:${backend.server.port()}`;

    const getFleet = async (name: string): Promise<Entity | undefined> => {
      const response = await fetch(
        `${baseUrl}/api/catalog/entities/by-name/resource/default/${name}`,
        { headers: { Authorization: mockCredentials.user.header() } },
      );
      return response.status === 200
        ? ((await response.json()) as Entity)
        : undefined;
    };

    try {
      // The test backend's scheduler runs the sync once at startup, maybe
      // before the catalog has ingested the declared fleets, so the test
      // triggers it again while it polls the asynchronous processing.
      const deadline = Date.now() + 60_000;
      let fleet: Entity | undefined;
      while (Date.now() < deadline) {
        await scheduler?.triggerTask('RunnerFleetEntityProvider:e2e:refresh');
        fleet = await getFleet('fleet-k8s-default');
        if (fleet?.spec?.live) {
          break;
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }

      const live = fleet?.spec?.live as unknown as FleetLiveFacts | undefined;
      expect(live?.runners.total).toBe(8);
      expect(live?.runners.paused).toBe(4);
      expect(fleet?.metadata.annotations?.['runner-fleet.io/provider']).toBe(
        'RunnerFleetEntityProvider:e2e',
      );
      await expect(
        getFleet('discovered-fleet-k8s-default'),
      ).resolves.toBeUndefined();
    } finally {
      await backend.stop();
    }
  }, 90_000);
});
