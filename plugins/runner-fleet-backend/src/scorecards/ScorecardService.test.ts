import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { defaultEngineConfig } from '@runner-fleet/ci';
import type { RunningGitLabSimulator } from '@runner-fleet/gitlab-simulator';
import { readRunnerFleetOptions } from '../config';
import { applyDatabaseMigrations } from '../database/migrate';
import { ScorecardStore } from '../database/ScorecardStore';
import { FleetService } from '../fleet/FleetService';
import { FleetStore } from '../database/FleetStore';
import {
  componentEntities,
  fleetEntities,
  requestsTo,
  simulatorGitLabApi,
  startSimulator,
} from '../__testUtils__/simulator';
import { ScorecardEvaluator } from './ScorecardEvaluator';
import { ScorecardService } from './ScorecardService';

jest.setTimeout(120_000);

// PostgreSQL runs only when BACKSTAGE_TEST_DATABASE_POSTGRES16_CONNECTION_STRING
// (or the POSTGRES18 one) is set; Docker is never started from these tests.
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_18'],
  disableDocker: true,
});

const PROJECTS = 40;

describe.each(databases.eachSupportedId())('ScorecardService on %p', databaseId => {
  let sim: RunningGitLabSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ projects: PROJECTS, seed: 7 });
  });

  afterAll(async () => {
    await sim.close();
  });

  async function setup(
    extra: { includeAllProjects?: boolean; groups?: string[]; components?: boolean } = {},
  ) {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
    const options = readRunnerFleetOptions(
      new ConfigReader({
        runnerFleet: {
          scorecards: { batchSize: 15, concurrency: 4, includeAllProjects: extra.includeAllProjects ?? false },
        },
      }),
    );
    const logger = mockServices.logger.mock();
    const auth = mockServices.auth();
    const groupEntities = (extra.groups ?? []).map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name, namespace: 'default' },
      spec: { type: 'team', children: [] },
    }));
    const catalog = catalogServiceMock({
      entities: [
        ...fleetEntities(sim),
        ...(extra.components === false ? [] : componentEntities(sim, PROJECTS)),
        ...groupEntities,
      ],
    });
    const gitlab = simulatorGitLabApi(sim);
    const store = new ScorecardStore(knex);
    const fleets = new FleetService({ gitlab, catalog, auth, store: new FleetStore(knex), options, logger });
    const evaluator = new ScorecardEvaluator({ gitlab, store, options, engineConfig: defaultEngineConfig(), logger });
    const makeService = () =>
      new ScorecardService({ gitlab, catalog, auth, store, evaluator, fleets, options, logger });
    return { knex, store, makeService, options };
  }

  it('evaluates every catalog project once and stores scorecards', async () => {
    const { store, makeService } = await setup();
    const service = makeService();
    expect(await service.discoverProjects()).toBe(PROJECTS);

    const stats = await service.runWorker({ budgetMs: 60_000 });
    expect(stats.failed).toBe(0);
    expect(stats.evaluated).toBe(PROJECTS);
    expect(stats.reanalyzed).toBe(PROJECTS);

    const page = await store.listProjects({ filter: {}, sort: 'score', descending: false, offset: 0, limit: 100 });
    expect(page.totalCount).toBe(PROJECTS);
    expect(page.aggregates.pending).toBe(0);
    const phases = Object.values(page.aggregates.byPhase).reduce((a, b) => a + b, 0);
    expect(phases).toBe(PROJECTS);
    for (const item of page.items) {
      expect(item.score).toBeGreaterThanOrEqual(0);
      expect(item.score).toBeLessThanOrEqual(100);
      expect(item.entityRef).toMatch(/^component:default\//);
      expect(item.ownerRef).toMatch(/^group:default\//);
    }
    // A project tagged `docker` somewhere must be in the legacy phase.
    const legacy = await store.listProjects({ filter: { phase: 'legacy' }, sort: 'projectPath', descending: false, offset: 0, limit: 100 });
    expect(legacy.totalCount).toBe(page.aggregates.byPhase.legacy);
  });

  it('re-evaluates unchanged projects without content fetches or re-analysis', async () => {
    const { knex, makeService } = await setup();
    const service = makeService();
    await service.discoverProjects();
    await service.runWorker({ budgetMs: 60_000 });

    await knex('projects').update({ due_at_ms: 0 });
    sim.stats.reset();
    const second = await service.runWorker({ budgetMs: 60_000 });

    expect(second.evaluated).toBe(PROJECTS);
    expect(second.reanalyzed).toBe(0);
    expect(second.contentFetches).toBe(0);
    expect(requestsTo(sim, '/raw')).toBe(0);
    expect(requestsTo(sim, 'GET /api/v4/projects/:id/repository/files')).toBe(0);
    // One HEAD of the root CI file per project; evidence is still fresh.
    expect(requestsTo(sim, 'HEAD /api/v4/projects/:id/repository/files')).toBe(PROJECTS);
    expect(requestsTo(sim, '/jobs')).toBe(0);
  });

  it('re-analyses only the project whose CI file changed', async () => {
    const { knex, store, makeService } = await setup();
    const service = makeService();
    await service.discoverProjects();
    await service.runWorker({ budgetMs: 60_000 });

    const target = sim.instance.projects[3];
    const path = sim.instance.fullPath(target);
    const row = (await store.findProject(path))!;
    const before = JSON.parse(row.scorecard_json!);
    const response = await fetch(`${sim.url}/api/v4/projects/${target.id}/repository/commits`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': sim.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        branch: target.defaultBranch,
        commit_message: 'Move build to the legacy fleet',
        actions: [{
          action: 'update',
          file_path: row.ci_config_path || '.gitlab-ci.yml',
          content: 'build:\n  tags: [docker]\n  services: [docker:dind]\n  script: [ping -c 1 example.org]\n',
        }],
      }),
    });
    expect(response.status).toBe(201);

    await knex('projects').update({ due_at_ms: 0 });
    const third = await service.runWorker({ budgetMs: 60_000 });
    expect(third.evaluated).toBe(PROJECTS);
    expect(third.reanalyzed).toBe(1);

    const after = (await store.findProject(path))!;
    expect(after.phase).toBe('legacy');
    expect(JSON.parse(after.scorecard_json!).blobId).not.toBe(before.blobId);
    const history = await store.history(after.id, 10);
    expect(history.length).toBeGreaterThanOrEqual(1);
  });

  it('shares due projects between two workers without overlap', async () => {
    const { store, makeService } = await setup();
    const first = makeService();
    await first.discoverProjects();
    const second = makeService();
    const nowMs = Date.now();
    const [a, b] = await Promise.all([
      store.claimDueProjects({ workerId: first.workerId, nowMs, lockMs: 60_000, size: 25 }),
      store.claimDueProjects({ workerId: second.workerId, nowMs, lockMs: 60_000, size: 25 }),
    ]);
    const idsA = new Set(a.projects.map(p => p.id));
    const overlap = b.projects.filter(p => idsA.has(p.id));
    expect(overlap).toEqual([]);
    expect(a.projects.length + b.projects.length).toBe(PROJECTS);
    const third = await store.claimDueProjects({ workerId: 'late', nowMs, lockMs: 60_000, size: 25 });
    expect(third.projects).toEqual([]);
    // Once the lock expires the projects can be claimed again.
    const later = await store.claimDueProjects({ workerId: 'late', nowMs: nowMs + 60_001, lockMs: 60_000, size: 100 });
    expect(later.projects).toHaveLength(PROJECTS);
  });

  it('marks a project due on a push to its default branch only', async () => {
    const { store, makeService } = await setup();
    const service = makeService();
    await service.discoverProjects();
    await service.runWorker({ budgetMs: 60_000 });
    const project = sim.instance.projects[0];
    const path = sim.instance.fullPath(project);

    expect(await service.onPush({ ref: 'refs/heads/some-feature', project: { id: project.id, path_with_namespace: path } })).toBe(false);
    expect(await service.onPush({ ref: `refs/heads/${project.defaultBranch}`, project: { id: project.id, path_with_namespace: path } })).toBe(true);
    const row = (await store.findProject(path))!;
    expect(row.due_at_ms).toBeLessThanOrEqual(Date.now());
    expect(await service.onPush({ ref: 'refs/heads/main', project: { path_with_namespace: 'nobody/unknown' } })).toBe(false);
  });

  it('drops projects unseen for a week', async () => {
    const { store, makeService, knex } = await setup();
    const service = makeService();
    await service.discoverProjects();
    await service.runWorker({ budgetMs: 60_000 });
    const path = sim.instance.fullPath(sim.instance.projects[2]);
    await knex('projects').where({ project_path: path }).update({ seen_at_ms: 0 });

    expect(await store.deleteUnseenProjects(Date.now() - 7 * 86_400_000)).toBe(1);
    expect(await store.findProject(path)).toBeUndefined();
    const page = await store.listProjects({ filter: {}, sort: 'projectPath', descending: false, offset: 0, limit: 100 });
    expect(page.totalCount).toBe(PROJECTS - 1);
  });

  it('gives listed projects their namespace group as owner', async () => {
    const { store, makeService } = await setup({
      includeAllProjects: true,
      groups: ['physics'],
      components: false,
    });
    const service = makeService();
    await service.discoverProjects();
    await service.runWorker({ budgetMs: 60_000 });
    const owners = new Map((await store.rollups('owner')).map(r => [r.key, r.projects]));
    const groups = new Map((await store.rollups('group')).map(r => [r.key, r.projects]));
    // With no components in the catalog, physics projects get the physics
    // group, and namespaces without a catalog group get no owner.
    expect(owners.get('group:default/physics') ?? 0).toBeGreaterThan(0);
    expect(groups.get('hardware') ?? 0).toBeGreaterThan(0);
    expect(owners.has('group:default/hardware')).toBe(false);
  });

  it('builds rollups by owner, group, phase and rule', async () => {
    const { store, makeService } = await setup();
    const service = makeService();
    await service.discoverProjects();
    await service.runWorker({ budgetMs: 60_000 });
    for (const by of ['owner', 'group', 'phase'] as const) {
      const rollups = await store.rollups(by);
      expect(rollups.reduce((sum, r) => sum + r.projects, 0)).toBe(PROJECTS);
    }
    const rules = await store.rollups('rule');
    for (const rule of rules) {
      expect(rule.findings).toBeGreaterThanOrEqual(rule.projects);
      expect(rule.severity).toMatch(/blocker|warning|info/);
    }
    await store.recordProgress('2026-12-04');
    await store.recordProgress('2026-12-04');
    const progress = await store.progress('2026-12-01');
    expect(progress).toHaveLength(1);
    expect(Object.values(progress[0].byPhase).reduce((a, b) => a + b, 0)).toBe(PROJECTS);
  });
});
