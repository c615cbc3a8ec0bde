/*
 * Benchmarks scorecard evaluation against the GitLab simulator: a cold run
 * over N projects, then a second run with nothing changed, which must make
 * no content fetch and no re-analysis. Prints a Markdown section; with
 * --write it replaces the "## Scorecards" section of docs/benchmarks.md
 * and leaves the other sections as they are.
 *
 * Usage: yarn bench:scorecards [--projects 20000] [--concurrency 16]
 *        [--query-rows 20000] [--postgres postgresql://user@127.0.0.1:5432]
 *        [--write]
 */
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { defaultEngineConfig } from '@runner-fleet/ci';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRunnerFleetOptions } from '../src/config';
import { FleetStore } from '../src/database/FleetStore';
import { applyDatabaseMigrations } from '../src/database/migrate';
import { ScorecardStore } from '../src/database/ScorecardStore';
import { FleetService } from '../src/fleet/FleetService';
import { ScorecardEvaluator } from '../src/scorecards/ScorecardEvaluator';
import { ScorecardService, WorkerRunStats } from '../src/scorecards/ScorecardService';
import {
  componentEntities,
  fleetEntities,
  requestsTo,
  simulatorGitLabApi,
  startSimulator,
} from '../src/__testUtils__/simulator';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function positiveIntegerArgument(name: string, fallback: number): number {
  const text = argument(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} is ${JSON.stringify(text)}; pass a whole number of 1 or more`);
  }
  return value;
}

async function databaseSize(knex: Knex, file: string | undefined): Promise<number> {
  if (file) {
    return fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
  }
  const result = await knex.raw('select pg_database_size(current_database()) as size');
  return Number(result.rows[0].size);
}

/** Logs warnings and errors to stderr; the jest-based mocks do not work outside jest. */
function benchLogger(): LoggerService {
  const logger: LoggerService = {
    error: message => process.stderr.write(`error: ${message}\n`),
    warn: message => process.stderr.write(`warn: ${message}\n`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

async function main() {
  const projects = positiveIntegerArgument('projects', 20_000);
  const concurrency = positiveIntegerArgument('concurrency', 16);
  const postgres = argument('postgres');
  const write = process.argv.includes('--write');

  const started = Date.now();
  const sim = await startSimulator({ projects, seed: 11 });
  const seedSeconds = (Date.now() - started) / 1000;

  let sqliteFile: string | undefined;
  let knex: Knex;
  if (postgres) {
    const database = `rf_bench_${Date.now()}`;
    const admin = knexFactory({ client: 'pg', connection: postgres });
    await admin.raw(`create database ${database}`);
    await admin.destroy();
    knex = knexFactory({ client: 'pg', connection: `${postgres.replace(/\/$/, '')}/${database}` });
  } else {
    sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rf-bench-')), 'runner-fleet.sqlite');
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: sqliteFile }, useNullAsDefault: true });
  }
  await applyDatabaseMigrations(knex);

  const options = readRunnerFleetOptions(
    new ConfigReader({ runnerFleet: { scorecards: { batchSize: 200, concurrency } } }),
  );
  const logger = benchLogger();
  // The services only ask for their own credentials, to pass to the catalog mock.
  const auth = {
    getOwnServiceCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: 'plugin:runner-fleet' },
    }),
  } as unknown as AuthService;
  const catalog = catalogServiceMock({
    entities: [...fleetEntities(sim), ...componentEntities(sim, projects)],
  });
  const gitlab = simulatorGitLabApi(sim, logger);
  const store = new ScorecardStore(knex);
  const fleets = new FleetService({ gitlab, catalog, auth, store: new FleetStore(knex), options, logger });
  const evaluator = new ScorecardEvaluator({ gitlab, store, options, engineConfig: defaultEngineConfig(), logger });
  const service = new ScorecardService({ gitlab, catalog, auth, store, evaluator, fleets, options, logger });

  const discoverStart = Date.now();
  await service.discoverProjects();
  const discoverSeconds = (Date.now() - discoverStart) / 1000;

  async function run(): Promise<{ seconds: number; stats: WorkerRunStats; requests: Record<string, number> }> {
    sim.stats.reset();
    const start = Date.now();
    const stats = await service.runWorker({ budgetMs: Number.MAX_SAFE_INTEGER });
    const seconds = (Date.now() - start) / 1000;
    return {
      seconds,
      stats,
      requests: {
        total: sim.stats.total,
        head: requestsTo(sim, 'HEAD /api/v4/projects/:id/repository/files'),
        content: requestsTo(sim, '/raw') + requestsTo(sim, 'GET /api/v4/projects/:id/repository/files'),
        jobs: requestsTo(sim, '/jobs'),
        project: requestsTo(sim, 'GET /api/v4/projects/:id') - requestsTo(sim, 'GET /api/v4/projects/:id/'),
      },
    };
  }

  const cold = await run();
  const sizeAfterCold = await databaseSize(knex, sqliteFile);
  await knex('projects').update({ due_at_ms: 0 });
  const warm = await run();
  const sizeAfterWarm = await databaseSize(knex, sqliteFile);

  // The queries are timed over at least 20,000 stored projects: when fewer
  // were evaluated, copies of the evaluated rows under new paths fill up.
  const queryRows = positiveIntegerArgument('query-rows', 20_000);
  const evaluatedRows = await knex('projects').select();
  let copies = 0;
  for (let copy = 1; evaluatedRows.length * copy < queryRows; copy++) {
    const batch = evaluatedRows
      .slice(0, queryRows - evaluatedRows.length * copy)
      .map(({ id, ...row }) => ({
        ...row,
        project_path: `copy-${copy}/${row.project_path}`,
        group_path: `copy-${copy}`,
      }));
    await knex.batchInsert('projects', batch, 200);
    copies += batch.length;
  }
  const storedRows = evaluatedRows.length + copies;

  const queryTimes: Array<[string, number]> = [];
  async function timeQuery(label: string, fn: () => Promise<unknown>) {
    const start = process.hrtime.bigint();
    await fn();
    queryTimes.push([label, Number(process.hrtime.bigint() - start) / 1e6]);
  }
  await timeQuery('GET /projects?sort=-score (page 1 of 50, with aggregates)', () =>
    store.listProjects({ filter: {}, sort: 'score', descending: true, offset: 0, limit: 50 }));
  await timeQuery('GET /projects?filter=phase:legacy&sort=projectPath&page=100', () =>
    store.listProjects({ filter: { phase: 'legacy' }, sort: 'projectPath', descending: false, offset: 4950, limit: 50 }));
  await timeQuery('GET /projects?q=physics', () =>
    store.listProjects({ filter: { text: 'physics' }, sort: 'projectPath', descending: false, offset: 0, limit: 50 }));
  for (const by of ['owner', 'group', 'phase', 'rule'] as const) {
    await timeQuery(`GET /rollups?by=${by}`, () => store.rollups(by));
  }

  const lines = [
    '## Scorecards',
    '',
    `Script: \`plugins/runner-fleet-backend/scripts/bench-scorecards.ts --projects ${projects} --concurrency ${concurrency}\``,
    `run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `database ${postgres ? 'PostgreSQL' : 'SQLite file'}. The GitLab simulator runs in the same process on 127.0.0.1, ` +
      'so its CPU time is included in every number.',
    '',
    `Seeding ${projects} simulator projects took ${seedSeconds.toFixed(1)} s; reading them from the catalog took ${discoverSeconds.toFixed(1)} s.`,
    '',
    '| run | time (s) | projects/s | evaluated | re-analysed | failed | GitLab requests | HEAD file | file contents | job lists |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[['cold', cold], ['nothing changed', warm]].map(([label, r]) => {
      const result = r as typeof cold;
      return `| ${label} | ${result.seconds.toFixed(1)} | ${(result.stats.evaluated / result.seconds).toFixed(0)} | ${result.stats.evaluated} | ${result.stats.reanalyzed} | ${result.stats.failed} | ${result.requests.total} | ${result.requests.head} | ${result.requests.content} | ${result.requests.jobs} |`;
    }),
    '',
    `Second run against the cold run (baseline, same process): ${(warm.seconds / cold.seconds).toFixed(3)} × the time and ` +
      `${(warm.requests.total / cold.requests.total).toFixed(3)} × the requests; it fetched ${warm.stats.contentFetches} file contents ` +
      `and re-analysed ${warm.stats.reanalyzed} projects.`,
    `Database size after the cold run: ${mib(sizeAfterCold)} MiB; after the second run: ${mib(sizeAfterWarm)} MiB.`,
    '',
    copies > 0
      ? `Queries over ${storedRows} stored scorecards (${copies} of them copies of evaluated rows), one call each after the runs:`
      : `Queries over ${storedRows} stored scorecards, one call each after the runs:`,
    '',
    '| query | ms |',
    '| --- | ---: |',
    ...queryTimes.map(([label, ms]) => `| ${label} | ${ms.toFixed(1)} |`),
    '',
    ...(copies > 0
      ? ['The copies carry no per-rule rows, so `by=rule` covers only the evaluated projects.', '']
      : []),
  ];
  const section = lines.join('\n');
  process.stdout.write(`${section}\n`);

  if (write) {
    const file = path.resolve(__dirname, '../../../docs/benchmarks.md');
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
    const start = existing.indexOf('\n## Scorecards\n');
    let updated: string;
    if (start < 0) {
      updated = `${existing.replace(/\n*$/, '\n\n')}${section}`;
    } else {
      const next = existing.indexOf('\n## ', start + 1);
      updated = `${existing.slice(0, start + 1)}${section}${next < 0 ? '' : `\n${existing.slice(next + 1)}`}`;
    }
    fs.writeFileSync(file, updated);
  }

  await knex.destroy();
  await sim.close();
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
