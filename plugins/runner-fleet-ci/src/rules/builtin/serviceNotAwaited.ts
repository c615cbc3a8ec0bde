import type { Rule } from '../types';
import { jobCommands, jobServices, jobVariables, locateOrJob } from '../job';
import { isDockerInDocker } from './dockerInDockerService';

/** Commands that wait for a server or retry until it accepts connections. */
const WAIT_COMMANDS = new Set([
  'wait-for-it',
  'wait-for-it.sh',
  'wait-for',
  'wait-on',
  'dockerize',
  'pg_isready',
  'mysqladmin',
  'redis-cli',
  'until',
  'wait4x',
  'sleep',
]);

/**
 * `service-not-awaited`
 *
 * Why it matters: the Docker executor waits until a service accepts
 * connections on its exposed ports before the script starts. The
 * Kubernetes executor starts the script as soon as the pod runs and waits
 * only for services that set HEALTHCHECK_TCP_PORT, so the first test often
 * fails with "connection refused".
 *
 * Detection: a job with services other than Docker-in-Docker, where no service sets
 * HEALTHCHECK_TCP_PORT (as a service or job variable) and no script line
 * waits: no `until`/`while` loop, `sleep`, `wait-for-it`, `wait-on`,
 * `dockerize -wait`, `pg_isready`, `mysqladmin ping`, `redis-cli ping`,
 * `curl --retry` or `nc -z` before the job's work.
 *
 * Fix: set `HEALTHCHECK_TCP_PORT` in the service's `variables`, or wait in
 * `before_script`, for example `until pg_isready -h db; do sleep 1; done`.
 */
export const serviceNotAwaited: Rule = {
  id: 'service-not-awaited',
  severity: 'warning',
  title: 'Job does not wait for its services',
  rationale:
    'The Kubernetes executor starts the script without waiting for services unless they set HEALTHCHECK_TCP_PORT, while the Docker executor waited for their ports. Tests then fail with "connection refused".',
  detection:
    'A job with services, none of which sets HEALTHCHECK_TCP_PORT, and no waiting command in its script (a retry loop, sleep, wait-for-it, wait-on, dockerize -wait, pg_isready, mysqladmin ping, redis-cli ping, curl --retry or nc -z).',
  fix: 'Set `HEALTHCHECK_TCP_PORT` in the service\'s `variables` so the runner waits for the port, or wait in `before_script`, for example `until pg_isready -h db; do sleep 1; done`.',
  check(job, { pipeline }) {
    // A Docker-in-Docker service cannot start at all on these fleets, which
    // docker-in-docker-service reports; waiting for it is beside the point.
    const services = jobServices(job).filter(service => !isDockerInDocker(service.name));
    if (services.length === 0) {
      return [];
    }
    const jobLevelPort = jobVariables(job, pipeline).some(
      variable => variable.name === 'HEALTHCHECK_TCP_PORT',
    );
    if (jobLevelPort || services.some(service => service.variables.HEALTHCHECK_TCP_PORT !== undefined)) {
      return [];
    }
    const waits = jobCommands(job).some(({ command }) => {
      if (WAIT_COMMANDS.has(command.name)) {
        return true;
      }
      if (command.name === 'while' || command.line.trimStart().startsWith('while ')) {
        return true;
      }
      if (command.name === 'curl' || command.name === 'wget') {
        return command.args.some(arg => arg.startsWith('--retry') || arg === '--tries' || arg.startsWith('--tries='));
      }
      if (command.name === 'nc' || command.name === 'ncat') {
        return command.args.some(arg => arg.startsWith('-z') || arg === '-w');
      }
      return /\b(until|while)\b/.test(command.line);
    });
    if (waits) {
      return [];
    }
    const names = services.map(service => `\`${service.alias ?? service.name}\``).join(', ');
    return [
      {
        message: `Job "${job.name}" starts ${names} but neither sets HEALTHCHECK_TCP_PORT nor waits for ${
          services.length === 1 ? 'it' : 'them'
        }, so on Kubernetes the script may start before ${services.length === 1 ? 'the service is' : 'they are'} ready.`,
        location: locateOrJob(job, services[0].path),
      },
    ];
  },
};
