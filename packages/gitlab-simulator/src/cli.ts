import { parseArgs } from 'node:util';
import {
  GitLabSimulatorOptions,
  LogLevel,
  SimulatorOptionsError,
} from './options';
import { startGitLabSimulator } from './server';

export const USAGE = `Usage: gitlab-simulator [options]

Serves the GitLab REST API v4 subset that Runner Fleet uses, seeded with the
example instance. The token is a fake token for a fake server.

Options:
  --port N              TCP port to listen on (default 8929; 0 picks a free port)
  --host ADDRESS        Address to listen on (default 127.0.0.1)
  --projects N          Number of projects (default 300)
  --runners N           Total runners, at least 37 (default 37)
  --seed N              Seed of the pseudo-random data (default 1)
  --token T             Token of the admin user (default: see README; or set GITLAB_SIMULATOR_TOKEN)
  --now TIME            Simulated start time, ISO 8601 (default: now)
  --jobs-per-day N      Jobs created per day (default 20 per project, at most 20000)
  --history-days N      Days of job history (default 14)
  --rate-limit N        Requests per second per token; 0 turns it off (default 0)
  --fault-429 R         Share of API requests answered 429, from 0 to 1 (default 0)
  --fault-500 R         Share of API requests answered 500, from 0 to 1 (default 0)
  --latency-ms N        Milliseconds added to every API response (default 0)
  --fail-path P[=S]     Path that always fails with status S (default 500); repeatable,
                        * matches within a path segment, ** across segments
  --burst-on-start      Start a burst of 100 jobs within a minute at start
  --log-level L         silent, error, warn, info or debug (default info)
  --gitlab-version V    Version reported by /api/v4/version (default 18.6.1)
  --external-url URL    Base URL for web_url fields (default: the listening URL)
  -h, --help            Print this help
`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) {
    throw new SimulatorOptionsError(
      `--${name} is ${JSON.stringify(value)}; use a whole number.`,
    );
  }
  return Number(value);
}

function ratio(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    throw new SimulatorOptionsError(
      `--${name} is ${JSON.stringify(
        value,
      )}; use a number from 0 to 1, such as 0.05.`,
    );
  }
  return parsed;
}

/** Turns command-line arguments into simulator options; throws SimulatorOptionsError on bad input. */
export function parseCliArguments(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): GitLabSimulatorOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        projects: { type: 'string' },
        runners: { type: 'string' },
        seed: { type: 'string' },
        token: { type: 'string' },
        now: { type: 'string' },
        'jobs-per-day': { type: 'string' },
        'history-days': { type: 'string' },
        'rate-limit': { type: 'string' },
        'fault-429': { type: 'string' },
        'fault-500': { type: 'string' },
        'latency-ms': { type: 'string' },
        'fail-path': { type: 'string', multiple: true },
        'burst-on-start': { type: 'boolean' },
        'log-level': { type: 'string' },
        'gitlab-version': { type: 'string' },
        'external-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new SimulatorOptionsError(
      `${
        (error as Error).message
      }. Run gitlab-simulator --help for the options.`,
    );
  }
  const values = parsed.values;
  if (values.help) return 'help';
  return {
    port: integer('port', values.port) ?? 8929,
    host: values.host,
    projects: integer('projects', values.projects),
    runners: integer('runners', values.runners),
    seed: integer('seed', values.seed),
    token: values.token ?? env.GITLAB_SIMULATOR_TOKEN,
    now: values.now,
    jobsPerDay: integer('jobs-per-day', values['jobs-per-day']),
    historyDays: integer('history-days', values['history-days']),
    rateLimit: integer('rate-limit', values['rate-limit']),
    fault429: ratio('fault-429', values['fault-429']),
    fault500: ratio('fault-500', values['fault-500']),
    latencyMs: integer('latency-ms', values['latency-ms']),
    failPaths: (values['fail-path'] ?? []).map(entry => {
      const match = entry.match(/^(.*)=(\d{3})$/);
      return match ? { pattern: match[1], status: Number(match[2]) } : entry;
    }),
    burstOnStart: values['burst-on-start'] ?? false,
    logLevel: (values['log-level'] ?? 'info') as LogLevel,
    gitlabVersion: values['gitlab-version'],
    externalUrl: values['external-url'],
  };
}

/** Runs the command line: starts the server and stops it on SIGINT or SIGTERM. */
export async function runCli(args: string[]): Promise<number> {
  let options;
  try {
    options = parseCliArguments(args);
  } catch (error) {
    process.stderr.write(`gitlab-simulator: ${(error as Error).message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let simulator;
  try {
    simulator = await startGitLabSimulator(options);
  } catch (error) {
    const message =
      error instanceof SimulatorOptionsError
        ? error.message
        : (error as Error).stack ?? String(error);
    process.stderr.write(`gitlab-simulator: failed to start: ${message}\n`);
    return error instanceof SimulatorOptionsError ? 2 : 1;
  }
  process.stdout.write(`GitLab simulator ready at ${simulator.url}/api/v4\n`);
  await new Promise<void>(resolve => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await simulator.close();
  return 0;
}
