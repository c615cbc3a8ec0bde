import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { NextFunction, Request, Response } from 'express';
import * as winston from 'winston';
import { createSeedData, SimulatorInstance } from './instance';
import {
  GitLabSimulatorOptions,
  LogLevel,
  resolveBurstOptions,
  resolveOptions,
  ResolvedOptions,
} from './options';
import { Presenter } from './http/present';
import {
  createTrafficMiddleware,
  requestToken,
  TrafficStats,
} from './http/traffic';
import { invalidParam } from './http/params';
import { GitLabApiError } from './repository/repositories';
import { SeededRandom } from './random';
import { RouteContext } from './routes/context';
import { usersRouter } from './routes/users';
import { runnersRouter } from './routes/runners';
import { projectsRouter } from './routes/projects';
import { jobsRouter } from './routes/jobs';
import { repositoryRouter } from './routes/repository';
import { mergeRequestsRouter } from './routes/mergeRequests';
import { ciLintRouter } from './routes/ciLint';
import { isoTime, SECOND } from './time';

export interface RunningGitLabSimulator {
  /** Base URL, for example `http://127.0.0.1:8929`; the API is under `/api/v4`. */
  url: string;
  /** Token of the `admin` user. */
  token: string;
  instance: SimulatorInstance;
  stats: TrafficStats;
  close(): Promise<void>;
}

function createLogger(
  level: LogLevel,
  stream?: NodeJS.WritableStream,
): winston.Logger {
  return winston.createLogger({
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.printf(
        info =>
          `${info.timestamp} ${info.level} gitlab-simulator: ${info.message}`,
      ),
    ),
    transports: [
      stream
        ? new winston.transports.Stream({ stream })
        : new winston.transports.Console({
            stderrLevels: ['error', 'warn', 'info', 'debug'],
          }),
    ],
  });
}

/** Route pattern for stats, such as `GET /api/v4/runners/:runner_id`. */
function routeKey(req: Request): string {
  const route = (req as Request & { route?: { path?: string } }).route;
  if (route?.path) {
    return `${req.method} /api/v4${route.path}`;
  }
  const normalized = req.originalUrl
    .split('?')[0]
    .replace(/\/\d+(?=\/|$)/g, '/:id');
  return `${req.method} ${normalized}`;
}

function burstFromBody(body: unknown) {
  const input = (body && typeof body === 'object' ? body : {}) as Record<
    string,
    unknown
  >;
  const seconds = (name: string) => {
    const value = input[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number')
      throw invalidParam(`${name} must be a number of seconds`);
    return value * SECOND;
  };
  try {
    return resolveBurstOptions({
      count: input.count as number | undefined,
      rampMs: seconds('ramp_seconds'),
      minDurationMs: seconds('min_duration_seconds'),
      maxDurationMs: seconds('max_duration_seconds'),
    });
  } catch (error) {
    throw invalidParam(
      (error as Error).message.replace('rampMs', 'ramp_seconds (in ms)'),
    );
  }
}

function createApp(
  options: ResolvedOptions,
  instance: SimulatorInstance,
  stats: TrafficStats,
  logger: winston.Logger,
  baseUrl: () => string,
) {
  const app = express();
  app.disable('x-powered-by');
  const present = new Presenter(instance, baseUrl);
  const context: RouteContext = { instance, present, logger };

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const path = req.originalUrl.split('?')[0];
      if (path.startsWith('/-/')) return;
      const key = routeKey(req);
      stats.total += 1;
      stats.countRoute(key);
      stats.byStatus.set(
        res.statusCode,
        (stats.byStatus.get(res.statusCode) ?? 0) + 1,
      );
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The query string is left out: clients may put tokens in it.
      logger.debug(
        `${req.method} ${path} ${res.statusCode} ${ms.toFixed(1)}ms`,
      );
    });
    next();
  });

  const control = express.Router();
  control.use(express.json());
  control.get('/stats', (_req, res) => {
    res.json(stats);
  });
  control.post('/reset-stats', (_req, res) => {
    stats.reset();
    res.json({ reset: true });
  });
  control.post('/burst', (req, res) => {
    const burst = burstFromBody(req.body);
    const pipeline = instance.startBurst(burst);
    if (!pipeline) {
      res.status(409).json({
        message:
          'No active runner of fleet-k8s-default can take the burst at the simulated time',
      });
      return;
    }
    logger.info(
      `Started a burst of ${burst.count} jobs in pipeline ${pipeline.id}`,
    );
    res.status(201).json({
      pipeline_id: pipeline.id,
      project_id: pipeline.project.id,
      count: burst.count,
      created_at: isoTime(pipeline.createdAt),
      ramp_seconds: burst.rampMs / SECOND,
      runner_ids: [...new Set(pipeline.jobs.map(job => job.runner?.id))],
    });
  });
  control.get('/info', (_req, res) => {
    res.json({
      seed: options.seed,
      projects: instance.projects.length,
      runners: instance.runners.length,
      jobs: instance.store.jobs.length,
      seeded_now: isoTime(options.now),
      now: isoTime(instance.now()),
      users: instance.users.map(user => user.username),
    });
  });
  app.use('/-/simulator', control);
  app.get(['/-/health', '/-/readiness', '/-/liveness'], (_req, res) => {
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  api.use(
    createTrafficMiddleware(
      options,
      stats,
      new SeededRandom(options.seed).derive('faults'),
    ),
  );
  api.use(express.json({ limit: '20mb' }));
  api.use(express.urlencoded({ extended: true, limit: '20mb' }));
  api.use((req, res, next) => {
    const token = requestToken(req);
    const user = token === undefined ? undefined : instance.userByToken(token);
    if (!user) {
      res.status(401).json({ message: '401 Unauthorized' });
      return;
    }
    res.locals.user = user;
    next();
  });
  api.use(usersRouter(context, options.gitlabVersion));
  api.use(runnersRouter(context));
  api.use(projectsRouter(context));
  api.use(jobsRouter(context));
  api.use(repositoryRouter(context));
  api.use(mergeRequestsRouter(context));
  api.use(ciLintRouter(context));
  api.use((_req, res) => {
    res.status(404).json({ error: '404 Not Found' });
  });
  app.use('/api/v4', api);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: '404 Not Found' });
  });

  // Express needs all four parameters to treat this as the error handler.
  app.use(
    (error: unknown, req: Request, res: Response, _next: NextFunction) => {
      if (error instanceof GitLabApiError) {
        res.status(error.status).json(error.body);
        return;
      }
      const bodyError = error as {
        type?: string;
        status?: number;
        message?: string;
      };
      if (bodyError.type === 'entity.parse.failed') {
        res.status(400).json({
          error: `The request body is not valid JSON: ${bodyError.message}`,
        });
        return;
      }
      if (bodyError.type === 'entity.too.large') {
        res
          .status(413)
          .json({ error: 'The request body is larger than 20 MB' });
        return;
      }
      if (error instanceof URIError) {
        // Express raises this for a path segment such as %ZZ.
        res.status(400).json({
          error: `The path is not valid URL encoding: ${error.message}. Encode each parameter with encodeURIComponent.`,
        });
        return;
      }
      logger.error(
        `${req.method} ${req.originalUrl.split('?')[0]} failed: ${
          (error as Error)?.stack ?? String(error)
        }`,
      );
      res.status(500).json({ message: '500 Internal Server Error' });
    },
  );
  return app;
}

/** Seeds the instance and warns when the CI corpus is missing or incomplete. */
function seedInstance(resolved: ResolvedOptions, logger: winston.Logger) {
  const seed = createSeedData({
    seed: resolved.seed,
    projects: resolved.projects,
    runners: resolved.runners,
    now: resolved.now,
    jobsPerDay: resolved.jobsPerDay,
    historyDays: resolved.historyDays,
    futureHours: resolved.futureHours,
    adminToken: resolved.token,
    corpusDir: resolved.corpusDir,
  });
  if (seed.corpus.length === 0) {
    logger.warn(
      'No CI corpus found (fixtures/corpus/gitlab-ci/SOURCES.tsv), so all projects get synthetic CI files. Set corpusDir to the corpus folder to use it.',
    );
  }
  if (seed.missingCorpusFiles.length > 0) {
    logger.warn(
      `${seed.missingCorpusFiles.length} corpus files listed in SOURCES.tsv are missing, for example ${seed.missingCorpusFiles[0]}`,
    );
  }
  return seed;
}

function listen(
  server: http.Server,
  port: number,
  host: string,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost =
        address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

function closeServer(
  server: http.Server,
  logger: winston.Logger,
  url: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close(error => {
      if (error) {
        reject(error);
        return;
      }
      logger.info(`Stopped listening on ${url}`);
      resolve();
    });
    server.closeAllConnections();
  });
}

/**
 * Starts the GitLab simulator: seeds the example instance and serves the
 * GitLab REST API v4 subset on `host:port` (127.0.0.1 and a free port by default).
 */
export async function startGitLabSimulator(
  options: GitLabSimulatorOptions = {},
): Promise<RunningGitLabSimulator> {
  const resolved = resolveOptions(options);
  const logger = createLogger(resolved.logLevel, resolved.logStream);
  const seedStarted = Date.now();
  const seed = seedInstance(resolved, logger);

  const realStart = Date.now();
  const clock =
    resolved.clock ?? (() => resolved.now + (Date.now() - realStart));
  const instance = new SimulatorInstance(seed, clock);
  const stats = new TrafficStats();
  let url = '';
  const app = createApp(
    resolved,
    instance,
    stats,
    logger,
    () => resolved.externalUrl ?? url,
  );
  const server = http.createServer(app);
  url = await listen(server, resolved.port, resolved.host);
  logger.info(
    `Listening on ${url} with seed ${resolved.seed}: ${
      seed.projects.length
    } projects, ${seed.runners.length} runners, ${
      seed.store.jobs.length
    } jobs (seeded in ${realStart - seedStarted} ms)`,
  );

  if (resolved.burstOnStart) {
    const pipeline = instance.startBurst(resolved.burstOnStart);
    logger.info(
      pipeline
        ? `Started a burst of ${resolved.burstOnStart.count} jobs in pipeline ${pipeline.id}`
        : 'No active default-fleet runner can take the start burst at the simulated time',
    );
  }

  return {
    url,
    token: resolved.token,
    instance,
    stats,
    close: () => closeServer(server, logger, url),
  };
}
