import type { Rule, RuleHit } from '../types';
import { jobCommands, locateCommand } from '../job';

/** Options that only print client information and need no daemon. */
const CLIENT_ONLY = new Set(['--version', '-v', '--help', 'help']);

const COMPOSE_COMMANDS = new Set(['docker-compose']);

/**
 * `docker-cli-in-script`
 *
 * Why it matters: Kubernetes nodes run containerd, not Docker, and the pods
 * have no Docker socket. Without a privileged Docker-in-Docker service
 * there is no daemon for `docker build`, `docker run` or `docker compose`
 * to talk to.
 *
 * Detection: a script command `docker <subcommand>` or `docker-compose`,
 * found by splitting script lines into shell commands, so `echo "docker
 * build"` and paths such as `/kaniko/executor` do not count. `docker
 * --version` needs no daemon and is skipped.
 *
 * Fix: build images with Kaniko, Buildah or rootless BuildKit; run tools
 * that were started with `docker run` as the job image, or as a `services`
 * entry.
 */
export const dockerCliInScript: Rule = {
  id: 'docker-cli-in-script',
  severity: 'blocker',
  title: 'Script calls the Docker CLI',
  rationale:
    'Kubernetes pods have no Docker daemon and no Docker socket, and the fleets run no privileged Docker-in-Docker services, so Docker commands cannot reach a daemon.',
  detection:
    'A script command `docker <subcommand>` or `docker-compose`, recognised at a command position in the shell line; client-only calls such as `docker --version` are skipped.',
  fix: 'Build images with Kaniko, Buildah or rootless BuildKit. Run a tool that `docker run` started as the job image instead, and a server as a `services` entry.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const located of jobCommands(job)) {
      const { command } = located;
      const isDocker = command.name === 'docker' && command.args.length > 0;
      const isCompose = COMPOSE_COMMANDS.has(command.name);
      if (!isDocker && !isCompose) {
        continue;
      }
      if (isDocker && CLIENT_ONLY.has(command.args[0])) {
        continue;
      }
      const location = locateCommand(job, pipeline, located);
      const key = `${location.file}:${location.line}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      const shown = isDocker
        ? `docker ${command.args[0]}`
        : command.name;
      hits.push({
        message: `Job "${job.name}" runs \`${shown}\`, which needs a Docker daemon that Kubernetes pods do not have.`,
        location,
      });
    }
    return hits;
  },
};
