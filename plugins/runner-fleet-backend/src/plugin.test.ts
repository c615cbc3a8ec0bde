import { createServiceFactory } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { RunningGitLabSimulator } from '@runner-fleet/gitlab-simulator';
import request from 'supertest';
import plugin from './index';
import {
  componentEntities,
  fleetEntities,
  simulatorConfig,
  startSimulator,
} from './__testUtils__/simulator';

jest.setTimeout(120_000);

const PROJECTS = 12;

describe('runner-fleet backend plugin', () => {
  let sim: RunningGitLabSimulator;
  let simStartedAt: number;

  beforeAll(async () => {
    sim = await startSimulator({ projects: PROJECTS, seed: 3, burstOnStart: { rampMs: 2_000 } });
    simStartedAt = Date.now();;
  });

  afterAll(async () => {
    await sim.close();
  });

  async function startBackend(options: { deny?: boolean } = {}) {
    const scheduler = mockServices.scheduler.mock();
    const events = mockServices.events();
    const backend = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({
          data: simulatorConfig(sim, { runnerFleet: { sampling: { backfillHours: 1 } } }),
        }),
        catalogServiceMock.factory({
          entities: [...fleetEntities(sim), ...componentEntities(sim, PROJECTS)],
        }),
        scheduler.factory,
        createServiceFactory({ service: eventsServiceRef, deps: {}, factory: () => events }),
        ...(options.deny
          ? [mockServices.permissions.factory({ result: AuthorizeResult.DENY })]
          : []),
      ],
    });
    const tasks = new Map<string, () => Promise<void>>();
    for (const [task] of scheduler.scheduleTask.mock.calls) {
      tasks.set(task.id, () => Promise.resolve(task.fn(new AbortController().signal)));
    }
    return { backend, tasks, events };
  }

  it('schedules sampling, discovery and a local scorecard worker', async () => {
    const { tasks } = await startBackend();
    expect([...tasks.keys()].sort()).toEqual([
      'runner-fleet-discover-projects',
      'runner-fleet-evaluate-scorecards',
      'runner-fleet-sample-fleets',
    ]);
  });

  it('serves fleet load, backfilled samples and runners', async () => {
    const { backend, tasks } = await startBackend();
    // The simulator queues burst jobs 2 seconds after start and starts them
    // over the 2-second ramp, so all run 4 seconds after start.
    await new Promise(resolve => setTimeout(resolve, Math.max(0, simStartedAt + 5_000 - Date.now())));
    await tasks.get('runner-fleet-sample-fleets')!();

    const fleets = await request(backend.server).get('/api/runner-fleet/fleets');
    expect(fleets.status).toBe(200);
    expect(fleets.body.totalCount).toBe(fleetEntities(sim).length);
    const fleetDefault = fleets.body.items.find(
      (f: { fleetRef: string }) => f.fleetRef === 'resource:default/fleet-k8s-default',
    );
    expect(fleetDefault.source).toBe('gitlab');
    // The simulator's burst puts all 100 jobs on the default fleet.
    expect(fleetDefault.runningJobs).toBeGreaterThanOrEqual(100);
    expect(fleetDefault.concurrency).toBe(100);

    const samples = await request(backend.server)
      .get('/api/runner-fleet/fleets/default/fleet-k8s-default/samples')
      .query({ from: new Date(Date.now() - 3_600_000).toISOString() });
    expect(samples.status).toBe(200);
    const backfilled = samples.body.items.filter((s: { source: string }) => s.source === 'backfill');
    expect(backfilled.length).toBeGreaterThan(300);
    expect(backfilled.every((s: { resolutionSeconds: number }) => s.resolutionSeconds === 10)).toBe(true);
    const peak = Math.max(...samples.body.items.map((s: { runningJobs: number }) => s.runningJobs));
    expect(peak).toBeGreaterThanOrEqual(100);
    // The backfill starts before the burst, so the series rises from below the peak.
    expect(Math.min(...backfilled.map((s: { runningJobs: number }) => s.runningJobs))).toBeLessThan(100);

    const runners = await request(backend.server).get(
      '/api/runner-fleet/fleets/default/fleet-docker-machine/runners',
    );
    expect(runners.status).toBe(200);
    expect(runners.body.totalCount).toBe(20);
    expect(runners.body.items.filter((r: { stale: boolean }) => r.stale).length).toBeGreaterThanOrEqual(3);

    const failures = await request(backend.server)
      .get('/api/runner-fleet/fleets/default/fleet-k8s-default/failures')
      .query({ window: '1h' });
    expect(failures.status).toBe(200);
    expect(failures.body.windowSeconds).toBe(3600);

    const overview = await request(backend.server).get('/api/runner-fleet/overview/migration');
    expect(overview.status).toBe(200);
    expect(overview.body.legacyFleetRef).toBe('resource:default/fleet-docker-machine');
    expect(overview.body.items.length).toBeGreaterThan(0);
  });

  it('serves scorecards, projects, rollups, progress and CSV', async () => {
    const { backend, tasks } = await startBackend();
    await tasks.get('runner-fleet-discover-projects')!();
    await tasks.get('runner-fleet-evaluate-scorecards')!();

    const projects = await request(backend.server)
      .get('/api/runner-fleet/projects')
      .query({ sort: '-score', pageSize: 5, page: 2 });
    expect(projects.status).toBe(200);
    expect(projects.body.totalCount).toBe(PROJECTS);
    expect(projects.body.items).toHaveLength(5);
    expect(projects.body.page).toBe(2);
    const scores = projects.body.items.map((p: { score: number }) => p.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    const path = projects.body.items[0].projectPath;
    const scorecard = await request(backend.server).get(
      `/api/runner-fleet/scorecards/${encodeURIComponent(path)}`,
    );
    expect(scorecard.status).toBe(200);
    expect(scorecard.body.projectPath).toBe(path);
    expect(Array.isArray(scorecard.body.findings)).toBe(true);
    expect(scorecard.body.evidence.windowDays).toBe(30);

    const byEntity = await request(backend.server)
      .get('/api/runner-fleet/scorecards')
      .query({ entityRef: projects.body.items[0].entityRef });
    expect(byEntity.body.items).toHaveLength(1);

    const history = await request(backend.server).get(
      `/api/runner-fleet/scorecards/${encodeURIComponent(path)}/history`,
    );
    expect(history.body.items.length).toBeGreaterThanOrEqual(1);

    const refresh = await request(backend.server).post(
      `/api/runner-fleet/scorecards/${encodeURIComponent(path)}/refresh`,
    );
    expect(refresh.status).toBe(200);
    expect(refresh.body.reanalyzed).toBe(false);

    for (const by of ['owner', 'group', 'rule', 'phase']) {
      const rollups = await request(backend.server).get('/api/runner-fleet/rollups').query({ by });
      expect(rollups.status).toBe(200);
      expect(rollups.body.by).toBe(by);
    }

    const progress = await request(backend.server).get('/api/runner-fleet/progress');
    expect(progress.body.decommissionDate).toBe('2027-03-31');
    expect(Object.values(progress.body.current).reduce((a: number, b) => a + (b as number), 0)).toBe(PROJECTS);

    const csv = await request(backend.server).get('/api/runner-fleet/scorecards.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^projectPath,projectId,/);
    expect(lines).toHaveLength(PROJECTS + 1);
  });

  it('rejects invalid query parameters with the parameter and the fix', async () => {
    const { backend } = await startBackend();
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['/api/runner-fleet/projects', { sort: 'size' }, /"sort".*use one of projectPath, score/],
      ['/api/runner-fleet/projects', { pageSize: '100000' }, /"pageSize".*at most 500/],
      ['/api/runner-fleet/projects', { filter: 'phase:done' }, /phase accepts legacy, opted-in/],
      ['/api/runner-fleet/projects', { filter: 'color:red' }, /filter key "color" is unknown/],
      ['/api/runner-fleet/rollups', { by: 'team' }, /"by"/],
      ['/api/runner-fleet/fleets/default/fleet-k8s-default/failures', { window: 'yesterday' }, /"window".*24h or 7d/],
      ['/api/runner-fleet/fleets/default/fleet-k8s-default/samples', { from: 'soon' }, /"from".*ISO 8601/],
      ['/api/runner-fleet/scorecards', {}, /exactly one of/],
    ];
    for (const [path, query, message] of cases) {
      const response = await request(backend.server).get(path).query(query);
      expect({ path, query, status: response.status }).toEqual({ path, query, status: 400 });
      expect(response.body.error.name).toBe('InputError');
      expect(response.body.error.message).toMatch(message);
    }
  });

  it('returns 404 for unknown fleets and projects', async () => {
    const { backend } = await startBackend();
    const fleet = await request(backend.server).get('/api/runner-fleet/fleets/default/fleet-none/load');
    expect(fleet.status).toBe(404);
    expect(fleet.body.error.message).toMatch(/No runner fleet resource:default\/fleet-none/);
    const project = await request(backend.server).get('/api/runner-fleet/scorecards/nobody%2Fnothing');
    expect(project.status).toBe(404);
    const refresh = await request(backend.server).post('/api/runner-fleet/scorecards/nobody%2Fnothing/refresh');
    expect(refresh.status).toBe(404);
    expect(refresh.body.error.message).toMatch(/was not found/);
  });

  it('returns 403 on every route when permissions deny', async () => {
    const { backend } = await startBackend({ deny: true });
    const routes: Array<['get' | 'post', string]> = [
      ['get', '/api/runner-fleet/fleets'],
      ['get', '/api/runner-fleet/fleets/default/fleet-k8s-default/load'],
      ['get', '/api/runner-fleet/fleets/default/fleet-k8s-default/samples'],
      ['get', '/api/runner-fleet/fleets/default/fleet-k8s-default/runners'],
      ['get', '/api/runner-fleet/fleets/default/fleet-k8s-default/failures'],
      ['get', '/api/runner-fleet/overview/migration'],
      ['get', '/api/runner-fleet/scorecards?projectPath=a/b'],
      ['get', '/api/runner-fleet/scorecards/a%2Fb'],
      ['get', '/api/runner-fleet/scorecards/a%2Fb/history'],
      ['post', '/api/runner-fleet/scorecards/a%2Fb/refresh'],
      ['get', '/api/runner-fleet/rollups?by=owner'],
      ['get', '/api/runner-fleet/progress'],
      ['get', '/api/runner-fleet/scorecards.csv'],
      ['get', '/api/runner-fleet/projects'],
    ];
    for (const [method, path] of routes) {
      const response = await request(backend.server)[method](path);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(response.body.error.name).toBe('NotAllowedError');
    }
  });

  it('re-checks a project after a gitlab.push event', async () => {
    const { backend, tasks, events } = await startBackend();
    await tasks.get('runner-fleet-discover-projects')!();
    await tasks.get('runner-fleet-evaluate-scorecards')!();
    const project = sim.instance.projects[1];
    const path = sim.instance.fullPath(project);
    const before = await request(backend.server).get(`/api/runner-fleet/scorecards/${encodeURIComponent(path)}`);

    await events.publish({
      topic: 'gitlab.push',
      eventPayload: { ref: `refs/heads/${project.defaultBranch}`, project: { id: project.id, path_with_namespace: path } },
    });
    await tasks.get('runner-fleet-evaluate-scorecards')!();
    const after = await request(backend.server).get(`/api/runner-fleet/scorecards/${encodeURIComponent(path)}`);
    expect(Date.parse(after.body.evaluatedAt)).toBeGreaterThan(Date.parse(before.body.evaluatedAt));
  });
});
