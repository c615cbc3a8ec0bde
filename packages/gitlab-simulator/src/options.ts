import { BurstOptions, DEFAULT_BURST } from './jobs/history';
import { FailPathRule } from './http/traffic';
import { INSTANCE_RUNNER_COUNT } from './seed/runners';
import { DEFAULT_ADMIN_TOKEN } from './seed/users';
import { SECOND } from './time';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** Options of `startGitLabSimulator`; every field is optional. */
export interface GitLabSimulatorOptions {
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string;
  /** TCP port; 0 (the default) picks a free port. */
  port?: number;
  /** Seed of the pseudo-random generator; the same seed gives the same data. Default 1. */
  seed?: number;
  /** Number of projects, 1 to 50,000. Default 300. */
  projects?: number;
  /** Total runners, 37 (the example instance's instance runners) to 10,000. Default 37. */
  runners?: number;
  /** Token of the `admin` user. Default `glpat-simulator-admin-token`. */
  token?: string;
  /** The simulated "now" at start (Date, ISO string or ms since the epoch). Default: the real start time. */
  now?: Date | string | number;
  /**
   * Returns the simulated time in ms since the epoch. By default the clock
   * starts at `now` and advances in real time; tests pass a fixed clock.
   */
  clock?: () => number;
  /** Jobs created per day. Default: 20 per project, at most 20,000. */
  jobsPerDay?: number;
  /** Days of job history before "now". Default 14. */
  historyDays?: number;
  /** Hours of jobs planned after "now", which appear as the clock advances. Default 24. */
  futureHours?: number;
  /** Requests per second allowed per token; 0 (default) turns rate limiting off. */
  rateLimit?: number;
  /** Share of API requests that get an injected 429, from 0 to 1. Default 0. */
  fault429?: number;
  /** Share of API requests that get an injected 500, from 0 to 1. Default 0. */
  fault500?: number;
  /** Milliseconds added before every API response. Default 0. */
  latencyMs?: number;
  /** Paths that always fail: `/api/v4/runners/7`, `/api/v4/projects/*` or `{ pattern, status }`. */
  failPaths?: Array<string | { pattern: string; status?: number }>;
  /** Starts a burst when the server starts: `true` for the default of 100 jobs within a minute. */
  burstOnStart?: boolean | Partial<BurstOptions>;
  /** Log level; `warn` by default (the CLI uses `info`). */
  logLevel?: LogLevel;
  /** Stream that receives the log lines; standard error by default. */
  logStream?: NodeJS.WritableStream;
  /** Version reported by GET /api/v4/version. Default `18.6.1`. */
  gitlabVersion?: string;
  /** Base URL for `web_url` fields; defaults to the listening URL. */
  externalUrl?: string;
  /** Folder that contains the CI corpus (SOURCES.tsv); found automatically by default. */
  corpusDir?: string;
}

export class SimulatorOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorOptionsError';
  }
}

export interface ResolvedOptions {
  host: string;
  port: number;
  seed: number;
  projects: number;
  runners: number;
  token: string;
  now: number;
  clock?: () => number;
  jobsPerDay: number;
  historyDays: number;
  futureHours: number;
  rateLimit: number;
  fault429: number;
  fault500: number;
  latencyMs: number;
  failPaths: FailPathRule[];
  burstOnStart?: BurstOptions;
  logLevel: LogLevel;
  logStream?: NodeJS.WritableStream;
  gitlabVersion: string;
  externalUrl?: string;
  corpusDir?: string;
}

/**
 * Returns `value`, or `fallback` when it is undefined, after checking that it
 * is a number of the given kind from `min` to `max`.
 */
function rangedOption(
  kind: 'integer' | 'number',
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const isKind =
    kind === 'integer' ? Number.isInteger(value) : Number.isFinite(value);
  if (typeof value !== 'number' || !isKind || value < min || value > max) {
    const article = kind === 'integer' ? 'an' : 'a';
    throw new SimulatorOptionsError(
      `Option ${name} is ${JSON.stringify(
        value,
      )}; use ${article} ${kind} from ${min} to ${max}.`,
    );
  }
  return value;
}

type RangedOptionArgs = [
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
];

const integerOption = (...args: RangedOptionArgs) =>
  rangedOption('integer', ...args);

const numberOption = (...args: RangedOptionArgs) =>
  rangedOption('number', ...args);

function timeOption(value: GitLabSimulatorOptions['now']): number {
  if (value === undefined) return Date.now();
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
  } else if (typeof value === 'number') {
    ms = value;
  } else {
    ms = Date.parse(value);
  }
  if (!Number.isFinite(ms)) {
    throw new SimulatorOptionsError(
      `Option now is ${JSON.stringify(
        value,
      )}; use a Date, an ISO 8601 time such as 2026-12-04T12:00:00Z, or ms since the epoch.`,
    );
  }
  return ms;
}

function failPathsOption(
  value: GitLabSimulatorOptions['failPaths'],
): FailPathRule[] {
  return (value ?? []).map(entry => {
    const rule =
      typeof entry === 'string'
        ? { pattern: entry, status: 500 }
        : { pattern: entry.pattern, status: entry.status ?? 500 };
    if (typeof rule.pattern !== 'string' || !rule.pattern.startsWith('/')) {
      throw new SimulatorOptionsError(
        `Fail path ${JSON.stringify(
          rule.pattern,
        )} is invalid; give an absolute path such as /api/v4/runners/7.`,
      );
    }
    if (
      !Number.isInteger(rule.status) ||
      rule.status < 400 ||
      rule.status > 599
    ) {
      throw new SimulatorOptionsError(
        `Fail path ${rule.pattern} has status ${rule.status}; use an HTTP error status from 400 to 599.`,
      );
    }
    return rule;
  });
}

/** Checks the options of a burst and fills in defaults; used by the option and by POST /-/simulator/burst. */
export function resolveBurstOptions(
  value: Partial<BurstOptions> | true | undefined,
): BurstOptions {
  const partial = value === true || value === undefined ? {} : value;
  const burst: BurstOptions = {
    count: integerOption(
      'burst count',
      partial.count,
      DEFAULT_BURST.count,
      1,
      1000,
    ),
    rampMs: numberOption(
      'burst rampMs',
      partial.rampMs,
      DEFAULT_BURST.rampMs,
      0,
      3600 * SECOND,
    ),
    minDurationMs: numberOption(
      'burst minDurationMs',
      partial.minDurationMs,
      DEFAULT_BURST.minDurationMs,
      SECOND,
      24 * 3600 * SECOND,
    ),
    maxDurationMs: numberOption(
      'burst maxDurationMs',
      partial.maxDurationMs,
      DEFAULT_BURST.maxDurationMs,
      SECOND,
      24 * 3600 * SECOND,
    ),
  };
  if (burst.minDurationMs > burst.maxDurationMs) {
    throw new SimulatorOptionsError(
      `Burst minDurationMs (${burst.minDurationMs}) is greater than maxDurationMs (${burst.maxDurationMs}); make the minimum the smaller one.`,
    );
  }
  return burst;
}

export function resolveOptions(
  options: GitLabSimulatorOptions = {},
): ResolvedOptions {
  const projects = integerOption('projects', options.projects, 300, 1, 50000);
  const token = options.token ?? DEFAULT_ADMIN_TOKEN;
  if (typeof token !== 'string' || !/^[\x21-\x7e]{8,}$/.test(token)) {
    // The value is not repeated: it may be a real secret given by mistake.
    throw new SimulatorOptionsError(
      'Option token is invalid; use at least 8 printable ASCII characters without spaces.',
    );
  }
  const fault429 = numberOption('fault429', options.fault429, 0, 0, 1);
  const fault500 = numberOption('fault500', options.fault500, 0, 0, 1);
  if (fault429 + fault500 > 1) {
    throw new SimulatorOptionsError(
      `Options fault429 (${fault429}) and fault500 (${fault500}) add up to more than 1; lower one of them.`,
    );
  }
  const logLevel = options.logLevel ?? 'warn';
  if (!['silent', 'error', 'warn', 'info', 'debug'].includes(logLevel)) {
    throw new SimulatorOptionsError(
      `Option logLevel is ${JSON.stringify(
        logLevel,
      )}; use silent, error, warn, info or debug.`,
    );
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new SimulatorOptionsError(
      'Option clock must be a function that returns ms since the epoch.',
    );
  }
  return {
    host: options.host ?? '127.0.0.1',
    port: integerOption('port', options.port, 0, 0, 65535),
    seed: integerOption('seed', options.seed, 1, -0x80000000, 0x7fffffff),
    projects,
    runners: integerOption(
      'runners',
      options.runners,
      INSTANCE_RUNNER_COUNT,
      INSTANCE_RUNNER_COUNT,
      10000,
    ),
    token,
    now: timeOption(options.now),
    clock: options.clock,
    jobsPerDay: integerOption(
      'jobsPerDay',
      options.jobsPerDay,
      Math.min(projects * 20, 20000),
      0,
      1000000,
    ),
    historyDays: integerOption('historyDays', options.historyDays, 14, 1, 90),
    futureHours: integerOption(
      'futureHours',
      options.futureHours,
      24,
      0,
      24 * 14,
    ),
    rateLimit: integerOption('rateLimit', options.rateLimit, 0, 0, 1000000),
    fault429,
    fault500,
    latencyMs: integerOption('latencyMs', options.latencyMs, 0, 0, 60000),
    failPaths: failPathsOption(options.failPaths),
    burstOnStart: options.burstOnStart
      ? resolveBurstOptions(options.burstOnStart)
      : undefined,
    logLevel: logLevel as LogLevel,
    logStream: options.logStream,
    gitlabVersion: options.gitlabVersion ?? '18.6.1',
    externalUrl: options.externalUrl?.replace(/\/+$/, ''),
    corpusDir: options.corpusDir,
  };
}
