import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { RunningGitLabSimulator } from '@runner-fleet/gitlab-simulator';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readRunnerFleetOptions } from '../config';
import { FleetStore } from '../database/FleetStore';
import { applyDatabaseMigrations } from '../database/migrate';
import { fleetEntities, simulatorGitLabApi, startSimulator } from '../__testUtils__/simulator';
import { FleetService } from './FleetService';

jest.setTimeout(120_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_18'],
  disableDocker: true,
});

/** A fake Prometheus on loopback that returns one fixed value per metric for every query. */
async function startFakePrometheus(options: { fail?: boolean } = {}) {
  const queries: string[] = [];
  const app = express();
  app.get('/api/v1/query', (req, res) => {
    const query = String(req.query.query);
    queries.push(query);
    if (options.fail) {
      res.status(503).json({ status: 'error', error: 'unavailable' });
      return;
    }
    let result: Array<{ metric: Record<string, string>; value: [number, string] }>;
    if (query.includes('gitlab_runner_failed_jobs_total')) {
      result = [
        { metric: { failure_reason: 'script_failure' }, value: [0, '3'] },
        { metric: { failure_reason: 'runner_system_failure' }, value: [0, '1'] },
      ];
    } else if (query.startsWith('histogram_quantile(0.5,')) {
      result = [{ metric: {}, value: [0, '2.5'] }];
    } else if (query.startsWith('histogram_quantile(0.9,')) {
      result = [{ metric: {}, value: [0, '12'] }];
    } else if (query.startsWith('histogram_quantile(0.99,')) {
      result = [{ metric: {}, value: [0, 'NaN'] }];
    } else if (query.startsWith('sum(increase(gitlab_runner_jobs_total')) {
      result = [{ metric: {}, value: [0, '20'] }];
    } else {
      result = [{ metric: {}, value: [0, '42'] }];
    }
    res.json({ status: 'success', data: { resultType: 'vector', result } });
  });
  const server: Server = await new Promise(resolve => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

describe.each(databases.eachSupportedId())('FleetService on %p', databaseId => {
  let sim: RunningGitLabSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ projects: 10, seed: 5 });
  });

  afterAll(async () => {
    await sim.close();
  });

  async function setup(
    runnerFleet: JsonObject = {},
    entityOptions = {},
    entities: Entity[] = fleetEntities(sim, entityOptions),
  ) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
    const options = readRunnerFleetOptions(new ConfigReader({ runnerFleet }));
    const logger = mockServices.logger.mock();
    const store = new FleetStore(knex);
    const service = new FleetService({
      gitlab: simulatorGitLabApi(sim),
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      store,
      options,
      logger,
    });
    return { knex, store, service, logger };
  }

  it('backfills once, then samples every fleet', async () => {
    const { store, service } = await setup({ sampling: { backfillHours: 2 } });
    const nowMs = Date.now();
    const first = await service.sampleAll(nowMs);
    expect(first).toHaveLength(fleetEntities(sim).length);
    const backfilled = await store.samples({
      fleetRef: 'resource:default/fleet-docker-machine',
      fromMs: nowMs - 3 * 3_600_000,
      toMs: nowMs,
      offset: 0,
      limit: 5000,
    });
    // 2 hours at 10 seconds, plus the live sample.
    expect(backfilled.totalCount).toBeGreaterThanOrEqual(720);
    expect(backfilled.totalCount).toBeLessThanOrEqual(722);

    await service.sampleAll(nowMs + 60_000);
    const after = await store.samples({
      fleetRef: 'resource:default/fleet-docker-machine',
      fromMs: nowMs - 3 * 3_600_000,
      toMs: nowMs + 60_000,
      offset: 0,
      limit: 5000,
    });
    expect(after.totalCount).toBe(backfilled.totalCount + 1);
  });

  it('prunes samples older than the retention', async () => {
    const { store, service } = await setup({ sampling: { retention: '1h', backfillHours: 2 } });
    const nowMs = Date.now();
    await service.sampleAll(nowMs);
    const rows = await store.samples({
      fleetRef: 'resource:default/fleet-k8s-default',
      fromMs: 0,
      toMs: nowMs,
      offset: 0,
      limit: 5000,
    });
    expect(rows.totalCount).toBeGreaterThan(0);
    expect(Date.parse(rows.items[0].sampledAt)).toBeGreaterThanOrEqual(nowMs - 3_600_000);
  });

  it('counts jobs per cluster during an upgrade', async () => {
    // The default fleet spans the draining v2 cluster and its v3 successor;
    // the arm fleet declares no clusters, so its runner descriptions name it.
    const entities = fleetEntities(sim).map(entity =>
      entity.metadata.name === 'fleet-k8s-default'
        ? {
            ...entity,
            spec: {
              ...entity.spec,
              clusters: [
                { ref: 'cluster-default-v2', role: 'draining' },
                { ref: 'resource:default/cluster-default-v3', role: 'active' },
              ],
            },
          }
        : entity,
    );
    const { store, service } = await setup({ sampling: { backfillHours: 1 } }, {}, entities);
    sim.instance.startBurst({ count: 40, rampMs: 500 });
    // The simulator queues burst jobs 2 seconds after the request and starts
    // them over the 500 ms ramp.
    await new Promise(resolve => setTimeout(resolve, 3_000));

    const samples = await service.sampleAll(Date.now());
    const sample = samples.find(s => s.fleetRef === 'resource:default/fleet-k8s-default')!;
    const [v2, v3] = sample.clusters!;
    expect(sample.clusters).toHaveLength(2);
    expect(v2.clusterRef).toBe('resource:default/cluster-default-v2');
    expect(v3.clusterRef).toBe('resource:default/cluster-default-v3');
    // The v2 runners are paused, so the burst runs on v3 only.
    expect(v2.runningJobs).toBe(0);
    expect(v2.jobsStarted).toBe(0);
    expect(v2.share).toBe(0);
    expect(v3.runningJobs).toBeGreaterThanOrEqual(40);
    expect(v3.jobsStarted).toBeGreaterThanOrEqual(40);
    expect(v3.share).toBe(1);
    expect(v3.runningJobs).toBe(sample.runningJobs);

    const arm = samples.find(s => s.fleetRef === 'resource:default/fleet-k8s-arm')!;
    for (const cluster of arm.clusters!) {
      expect(cluster.clusterRef).toBe('resource:default/cluster-arm');
    }

    const stored = await store.latestLoad('resource:default/fleet-k8s-default');
    expect(stored?.clusters).toEqual(sample.clusters);
    const all = await store.latestLoads();
    expect(all.get('resource:default/fleet-k8s-default')?.clusters).toEqual(sample.clusters);
  });

  it('stores samples without clusters as empty', async () => {
    const { store } = await setup();
    await store.insertSamples([
      {
        fleetRef: 'resource:default/fleet-k8s-arm',
        sampledAtMs: 1_000,
        resolutionSeconds: 10,
        runningJobs: 3,
        pendingJobs: 0,
        jobsStarted: 1,
        jobsStartedPerMinute: 6,
        queueWaitSeconds: { p50: 1, p90: 2, p99: 3 },
        failuresByReason: {},
        source: 'backfill',
      },
    ]);
    const load = await store.latestLoad('resource:default/fleet-k8s-arm');
    expect(load?.clusters).toEqual([]);
    expect(load?.runningJobs).toBe(3);
  });

  it('maps runners by tags when discovery wrote no runner ids', async () => {
    const { service } = await setup({}, { withRunnerIds: false });
    const fleets = await service.getFleets();
    const legacy = fleets.find(f => f.name === 'fleet-docker-machine')!;
    expect(legacy.runnerIdsFromDiscovery).toBe(false);
    expect(legacy.runnerIds).toHaveLength(20);
  });

  it('reads load from Prometheus when configured', async () => {
    const prometheus = await startFakePrometheus();
    try {
      const { service } = await setup({ prometheus: { baseUrl: prometheus.url }, sampling: { backfillHours: 1 } });
      const samples = await service.sampleAll();
      const sample = samples.find(s => s.fleetRef === 'resource:default/fleet-k8s-arm')!;
      expect(sample.source).toBe('prometheus');
      expect(sample.runningJobs).toBe(42);
      expect(sample.jobsStartedPerMinute).toBe(2);
      expect(sample.queueWaitSeconds).toEqual({ p50: 2.5, p90: 12, p99: 0 });
      expect(sample.failuresByReason).toEqual({ script_failure: 3, runner_system_failure: 1 });
      expect(prometheus.queries.some(q => q.includes('fleet="fleet-k8s-arm"'))).toBe(true);
    } finally {
      await prometheus.close();
    }
  });

  it('falls back to GitLab when Prometheus fails', async () => {
    const prometheus = await startFakePrometheus({ fail: true });
    try {
      const { service, logger } = await setup({ prometheus: { baseUrl: prometheus.url }, sampling: { backfillHours: 1 } });
      const samples = await service.sampleAll();
      expect(samples.length).toBe(fleetEntities(sim).length);
      expect(samples.every(s => s.source === 'gitlab')).toBe(true);
      expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/Prometheus sampling of fleet .* failed; using GitLab instead/));
    } finally {
      await prometheus.close();
    }
  });

  it('flags stale runners', async () => {
    const { service } = await setup();
    const runners = await service.listRunners('resource:default/fleet-docker-machine');
    expect(runners).toHaveLength(20);
    expect(runners.filter(r => r.stale).length).toBeGreaterThanOrEqual(3);
    for (const runner of runners) {
      expect(typeof runner.outdated).toBe('boolean');
    }
    // Docker Machine runners are VMs: no cluster in their description.
    expect(runners.every(r => r.cluster === undefined)).toBe(true);
  });

  it('names the cluster of each runner', async () => {
    const { service } = await setup();
    const runners = await service.listRunners('resource:default/fleet-k8s-default');
    const clusters = new Set(runners.map(r => r.cluster));
    expect(clusters).toEqual(
      new Set([
        'resource:default/cluster-default-v2',
        'resource:default/cluster-default-v3',
      ]),
    );
  });
});
