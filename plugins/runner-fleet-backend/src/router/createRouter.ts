import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  runnerFleetReadPermission,
  scorecardReadPermission,
  scorecardRefreshPermission,
  type FleetFailures,
  type FleetLoad,
  type MigrationOverview,
  type MigrationProgress,
  type ProjectsPage,
  type ScorecardRefreshResult,
  type ScorecardRollups,
} from '@runner-fleet/plugin-runner-fleet-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { RunnerFleetOptions } from '../config';
import type { FleetStore } from '../database/FleetStore';
import {
  LEVELS,
  PHASES,
  PROJECT_SORT_COLUMNS,
  ProjectFilter,
  ProjectSortKey,
  ScorecardStore,
  toProjectScorecard,
} from '../database/ScorecardStore';
import { fleetRefFromParams } from '../fleet/fleets';
import type { FleetService } from '../fleet/FleetService';
import type { ScorecardService } from '../scorecards/ScorecardService';
import { writeScorecardsCsv } from './csv';
import { durationParam, pageParams, parseQuery, timeParam } from './validation';

/** Services the router needs. */
export interface RouterOptions {
  config: Config;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  options: RunnerFleetOptions;
  fleetService: Pick<FleetService, 'getFleets' | 'getFleet' | 'listRunners'>;
  fleetStore: FleetStore;
  scorecardService: Pick<ScorecardService, 'refresh' | 'getScorecard'>;
  scorecardStore: ScorecardStore;
}

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const projectsQuery = z.strictObject({
  ...pageParams(50, 500),
  sort: z
    .string()
    .regex(
      new RegExp(`^-?(${Object.keys(PROJECT_SORT_COLUMNS).join('|')})$`),
      `use one of ${Object.keys(PROJECT_SORT_COLUMNS).join(', ')}, with a leading - for descending order`,
    )
    .default('projectPath'),
  filter: z.string().max(2000).optional(),
  q: z.string().max(200).optional(),
});

const FILTER_KEYS = ['phase', 'level', 'owner', 'group', 'q', 'hasEntity', 'evaluated'];

/** Parses `filter=phase:legacy,owner:group:default/physics` into a filter; the value is everything after the first colon. */
function parseProjectFilter(text: string | undefined, q: string | undefined): ProjectFilter {
  const filter: ProjectFilter = { text: q };
  if (!text) return filter;
  for (const part of text.split(',').map(p => p.trim()).filter(Boolean)) {
    const colon = part.indexOf(':');
    const key = colon < 0 ? part : part.slice(0, colon);
    const value = colon < 0 ? '' : part.slice(colon + 1);
    const invalid = (allowed: string) =>
      new InputError(
        `Invalid request: filter "${part}" has an invalid value; ${key} accepts ${allowed}`,
      );
    switch (key) {
      case 'phase':
        if (!PHASES.includes(value as any)) throw invalid(PHASES.join(', '));
        filter.phase = value as ProjectFilter['phase'];
        break;
      case 'level':
        if (!LEVELS.includes(value as any)) throw invalid(LEVELS.join(', '));
        filter.level = value as ProjectFilter['level'];
        break;
      case 'owner':
        if (!value) throw invalid('an entity reference such as group:default/physics');
        filter.ownerRef = value;
        break;
      case 'group':
        if (!value) throw invalid('a top-level GitLab group such as physics');
        filter.group = value;
        break;
      case 'q':
        filter.text = value;
        break;
      case 'hasEntity':
      case 'evaluated':
        if (value !== 'true' && value !== 'false') throw invalid('true or false');
        filter[key] = value === 'true';
        break;
      default:
        throw new InputError(
          `Invalid request: filter key "${key}" is unknown; use ${FILTER_KEYS.join(', ')} as key:value pairs separated by commas`,
        );
    }
  }
  return filter;
}

/** Creates the plugin's Express router; every route checks a permission first. */
export async function createRouter(deps: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, options, fleetService, fleetStore, scorecardStore, scorecardService } = deps;
  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  async function authorize(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Permission ${permission.name} is required for this request`);
    }
  }

  async function fleetFromParams(req: Request) {
    return fleetService.getFleet(fleetRefFromParams(req.params.namespace, req.params.name));
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/fleets', async (req, res) => {
    await authorize(req, runnerFleetReadPermission);
    const query = parseQuery(z.strictObject(pageParams(100, 500)), req.query);
    const fleets = await fleetService.getFleets();
    const loads = await fleetStore.latestLoads();
    const items: FleetLoad[] = [];
    for (const fleet of fleets) {
      const load = loads.get(fleet.ref);
      if (load) items.push({ ...load, concurrency: fleet.concurrency });
    }
    const offset = (query.page - 1) * query.pageSize;
    res.json({
      items: items.slice(offset, offset + query.pageSize),
      totalCount: items.length,
      page: query.page,
      pageSize: query.pageSize,
    });
  });

  router.get('/fleets/:namespace/:name/load', async (req, res) => {
    await authorize(req, runnerFleetReadPermission);
    const fleet = await fleetFromParams(req);
    const load = await fleetStore.latestLoad(fleet.ref);
    if (!load) {
      throw new NotFoundError(
        `Fleet ${fleet.ref} has no samples yet; the sampler adds one every run of runnerFleet.sampling.frequency`,
      );
    }
    res.json({ ...load, concurrency: fleet.concurrency });
  });

  router.get('/fleets/:namespace/:name/samples', async (req, res) => {
    await authorize(req, runnerFleetReadPermission);
    const now = Date.now();
    const query = parseQuery(
      z.strictObject({ from: timeParam.optional(), to: timeParam.optional(), ...pageParams(1000, 10_000) }),
      req.query,
    );
    const toMs = query.to ?? now;
    const fromMs = query.from ?? toMs - 3_600_000;
    if (fromMs > toMs) {
      throw new InputError(
        `Invalid request: query parameter "from" (${new Date(fromMs).toISOString()}) is after "to" (${new Date(toMs).toISOString()}); swap them`,
      );
    }
    const fleet = await fleetFromParams(req);
    const { items, totalCount } = await fleetStore.samples({
      fleetRef: fleet.ref,
      fromMs,
      toMs,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    res.json({
      fleetRef: fleet.ref,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      items,
      totalCount,
      page: query.page,
      pageSize: query.pageSize,
    });
  });

  router.get('/fleets/:namespace/:name/runners', async (req, res) => {
    await authorize(req, runnerFleetReadPermission);
    const query = parseQuery(z.strictObject(pageParams(100, 1000)), req.query);
    const fleet = await fleetFromParams(req);
    const runners = await fleetService.listRunners(fleet.ref);
    const offset = (query.page - 1) * query.pageSize;
    res.json({
      fleetRef: fleet.ref,
      items: runners.slice(offset, offset + query.pageSize),
      totalCount: runners.length,
      page: query.page,
      pageSize: query.pageSize,
    });
  });

  router.get('/fleets/:namespace/:name/failures', async (req, res) => {
    await authorize(req, runnerFleetReadPermission);
    const query = parseQuery(z.strictObject({ window: z.string().default('24h').pipe(durationParam) }), req.query);
    if (query.window > options.sampling.retentionMs) {
      throw new InputError(
        `Invalid request: query parameter "window" is longer than the sample retention of ${Math.round(options.sampling.retentionMs / 3_600_000)} hours; use a shorter window or raise runnerFleet.sampling.retention`,
      );
    }
    const fleet = await fleetFromParams(req);
    const totals = await fleetStore.failuresSince(fleet.ref, Date.now() - query.window);
    const items = Object.entries(totals)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    const body: FleetFailures = {
      fleetRef: fleet.ref,
      windowSeconds: query.window / 1000,
      total: items.reduce((sum, item) => sum + item.count, 0),
      items,
    };
    res.json(body);
  });

  router.get('/overview/migration', async (req, res) => {
    await authorize(req, runnerFleetReadPermission);
    const query = parseQuery(
      z.strictObject({ days: z.coerce.number().int('use a whole number').min(1).max(366).default(30) }),
      req.query,
    );
    const fleets = await fleetService.getFleets();
    const kubernetes = new Set(fleets.filter(f => f.executor === 'kubernetes').map(f => f.ref));
    const legacyFleetRef = options.migration.legacyFleetRef;
    const sinceMs = Math.floor(Date.now() / DAY_MS - query.days + 1) * DAY_MS;
    const rows = await fleetStore.jobsPerDay(sinceMs);
    const days = new Map<number, MigrationOverview['items'][number]>();
    for (const row of rows) {
      const day = days.get(row.day) ?? { day: isoDay(row.day * DAY_MS), legacyJobs: 0, kubernetesJobs: 0, byFleet: {} };
      if (row.fleetRef === legacyFleetRef) {
        day.legacyJobs += row.jobs;
      } else if (kubernetes.has(row.fleetRef)) {
        day.kubernetesJobs += row.jobs;
        day.byFleet[row.fleetRef] = (day.byFleet[row.fleetRef] ?? 0) + row.jobs;
      }
      days.set(row.day, day);
    }
    const body: MigrationOverview = {
      legacyFleetRef,
      decommissionDate: options.migration.decommissionDate,
      items: [...days.entries()].sort((a, b) => a[0] - b[0]).map(([, value]) => value),
    };
    res.json(body);
  });

  router.get('/scorecards.csv', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    parseQuery(z.strictObject({}), req.query);
    await writeScorecardsCsv(res, scorecardStore);
  });

  router.get('/scorecards', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const query = parseQuery(
      z.strictObject({ entityRef: z.string().min(1).optional(), projectPath: z.string().min(1).optional() }),
      req.query,
    );
    if (!query.entityRef === !query.projectPath) {
      throw new InputError(
        'Invalid request: pass exactly one of the query parameters "entityRef" (for example component:default/detector-sim) or "projectPath" (for example physics/detector-sim)',
      );
    }
    const rows = query.entityRef
      ? await scorecardStore.findByEntityRef(query.entityRef)
      : [await scorecardStore.findProject(query.projectPath!)].filter(r => r !== undefined);
    res.json({ items: rows.map(toProjectScorecard).filter(s => s !== undefined) });
  });

  router.get('/scorecards/:projectRef', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const { scorecard } = await scorecardService.getScorecard(req.params.projectRef);
    res.json(scorecard);
  });

  router.get('/scorecards/:projectRef/history', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const query = parseQuery(
      z.strictObject({ limit: z.coerce.number().int('use a whole number').min(1).max(5000).default(500) }),
      req.query,
    );
    const { project } = await scorecardService.getScorecard(req.params.projectRef);
    res.json({
      projectPath: project.project_path,
      items: await scorecardStore.history(project.id, query.limit),
    });
  });

  router.post('/scorecards/:projectRef/refresh', async (req, res) => {
    await authorize(req, scorecardRefreshPermission);
    const query = parseQuery(z.strictObject({ force: z.enum(['true', 'false']).optional() }), req.query);
    const { outcome, project } = await scorecardService.refresh(req.params.projectRef, query.force === 'true');
    const body: ScorecardRefreshResult = {
      scorecard: toProjectScorecard(project) ?? outcome.scorecard,
      reanalyzed: outcome.reanalyzed,
    };
    res.json(body);
  });

  router.get('/rollups', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const query = parseQuery(z.strictObject({ by: z.enum(['owner', 'group', 'rule', 'phase']) }), req.query);
    const body: ScorecardRollups = { by: query.by, items: await scorecardStore.rollups(query.by) };
    res.json(body);
  });

  router.get('/progress', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const query = parseQuery(
      z.strictObject({ days: z.coerce.number().int('use a whole number').min(1).max(3660).default(180) }),
      req.query,
    );
    const nowMs = Date.now();
    const decommissionMs = Date.parse(`${options.migration.decommissionDate}T00:00:00Z`);
    const todayMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
    const body: MigrationProgress = {
      decommissionDate: options.migration.decommissionDate,
      daysToDecommission: Math.round((decommissionMs - todayMs) / DAY_MS),
      current: await scorecardStore.countByPhase(),
      items: await scorecardStore.progress(isoDay(todayMs - (query.days - 1) * DAY_MS)),
    };
    res.json(body);
  });

  router.get('/projects', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const query = parseQuery(projectsQuery, req.query);
    const descending = query.sort.startsWith('-');
    const result = await scorecardStore.listProjects({
      filter: parseProjectFilter(query.filter, query.q),
      sort: query.sort.replace(/^-/, '') as ProjectSortKey,
      descending,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    const body: ProjectsPage = { ...result, page: query.page, pageSize: query.pageSize };
    res.json(body);
  });

  const middleware = MiddlewareFactory.create({ config: deps.config, logger: deps.logger });
  router.use(middleware.error());
  return router;
}
