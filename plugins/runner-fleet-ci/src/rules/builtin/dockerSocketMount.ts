import type { Rule, RuleHit } from '../types';
import { jobServices, referencedVariables, locateOrJob, matchScriptText } from '../job';

const SOCKET_PATH = /(?<![\w.-])(\/var)?\/run\/docker\.sock\b/;

/**
 * `docker-socket-mount`
 *
 * Why it matters: some Docker Machine runners mounted the VM's
 * `/var/run/docker.sock` into jobs. Kubernetes nodes run containerd and the
 * fleets mount no host sockets, so the path does not exist in the pod.
 *
 * Detection: `/var/run/docker.sock` or `/run/docker.sock` in a script
 * line, a job variable such as `DOCKER_HOST=unix://...` (or a top-level one
 * the job's scripts refer to) or a
 * service command.
 *
 * Fix: build images with Kaniko, Buildah or rootless BuildKit, and start
 * helper containers as `services`.
 */
export const dockerSocketMount: Rule = {
  id: 'docker-socket-mount',
  severity: 'blocker',
  title: 'Job uses the host Docker socket',
  rationale:
    'Kubernetes nodes run containerd, and the fleets mount no host sockets into job pods, so /var/run/docker.sock does not exist.',
  detection:
    '`/var/run/docker.sock` or `/run/docker.sock` in a script line, a job variable (or a top-level variable the scripts refer to), or a service command.',
  fix: 'Build images with Kaniko, Buildah or rootless BuildKit, and start helper containers as `services` instead of through the socket.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    for (const { location } of matchScriptText(job, pipeline, SOCKET_PATH)) {
      hits.push({
        message: `Job "${job.name}" uses the Docker socket in its script, which Kubernetes pods do not have.`,
        location,
      });
    }
    for (const variable of referencedVariables(job, pipeline)) {
      if (SOCKET_PATH.test(variable.value)) {
        hits.push({
          message: `Variable ${variable.name} of job "${job.name}" points at the Docker socket \`${variable.value}\`, which Kubernetes pods do not have.`,
          location: variable.location ?? job.location,
        });
      }
    }
    for (const service of jobServices(job)) {
      if (service.command?.some(part => SOCKET_PATH.test(part))) {
        hits.push({
          message: `Service \`${service.name}\` of job "${job.name}" uses the Docker socket, which Kubernetes pods do not have.`,
          location: locateOrJob(job, [...service.basePath, 'command']),
        });
      }
    }
    return hits;
  },
};
