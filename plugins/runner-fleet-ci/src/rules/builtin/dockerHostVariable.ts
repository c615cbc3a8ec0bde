import type { Rule, RuleHit } from '../types';
import { jobCommands, jobVariables, locateCommand, locateOrJob } from '../job';

/**
 * `docker-host-variable`
 *
 * Why it matters: `DOCKER_HOST` points the Docker CLI at a daemon, usually
 * `tcp://docker:2375` of a Docker-in-Docker service or a host socket. On
 * Kubernetes neither exists, and service hostnames resolve differently,
 * so the setting marks a job that depends on a daemon.
 *
 * Detection: a job or top-level variable named `DOCKER_HOST`, or an
 * `export DOCKER_HOST=` in a script line.
 *
 * Fix: remove the variable together with the Docker commands; build images
 * with Kaniko, Buildah or rootless BuildKit.
 */
export const dockerHostVariable: Rule = {
  id: 'docker-host-variable',
  severity: 'warning',
  title: 'Job points DOCKER_HOST at a Docker daemon',
  rationale:
    'DOCKER_HOST names a Docker daemon, usually the Docker-in-Docker service or a host socket. Neither exists in a Kubernetes pod of these fleets.',
  detection:
    'A job or top-level variable named `DOCKER_HOST`, or `export DOCKER_HOST=...` in a script line.',
  fix: 'Remove DOCKER_HOST together with the Docker commands that need it, and build images with Kaniko, Buildah or rootless BuildKit.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    for (const variable of jobVariables(job, pipeline)) {
      if (variable.name !== 'DOCKER_HOST') {
        continue;
      }
      hits.push({
        message: `Job "${job.name}" sets DOCKER_HOST to \`${variable.value}\`${
          variable.scope === 'global' ? ' through a top-level variable' : ''
        }, which needs a Docker daemon.`,
        location: variable.location ?? locateOrJob(job, ['variables']),
      });
    }
    for (const located of jobCommands(job)) {
      const { command } = located;
      if (
        (command.name === 'export' || command.name === 'declare') &&
        command.args.some(arg => arg.startsWith('DOCKER_HOST='))
      ) {
        hits.push({
          message: `Job "${job.name}" exports DOCKER_HOST in its script, which needs a Docker daemon.`,
          location: locateCommand(job, pipeline, located),
        });
      }
    }
    return hits;
  },
};
