import type { Rule } from '../types';
import { jobServices, locateOrJob } from '../job';

/** Matches `docker:dind`, `docker:24-dind-rootless` and mirrors such as `registry.example.org/docker:dind`. */
const DIND_IMAGE = /(^|\/)docker:[^/]*dind|(^|\/)[^/:]*dind[^/]*$|(^|\/)[^/:]*dind[^/:]*:/i;

/** True for Docker-in-Docker service images. */
export function isDockerInDocker(image: string): boolean {
  return DIND_IMAGE.test(image);
}

/**
 * `docker-in-docker-service`
 *
 * Why it matters: the Docker daemon in a `docker:dind` service needs a
 * privileged container. The Kubernetes fleets run no privileged pods, so
 * the service exits at start and every `docker` command of the job fails.
 *
 * Detection: a service whose image is `docker:*dind*` or another image with
 * `dind` in its name.
 *
 * Fix: build images without a daemon, with Kaniko
 * (`gcr.io/kaniko-project/executor:*-debug` and `entrypoint: [""]`),
 * Buildah or rootless BuildKit. Until the decommission date the job can keep
 * the legacy tag.
 */
export const dockerInDockerService: Rule = {
  id: 'docker-in-docker-service',
  severity: 'blocker',
  title: 'Job needs a Docker-in-Docker service',
  rationale:
    'A Docker-in-Docker daemon needs a privileged container, and the Kubernetes fleets do not run privileged pods, so the service fails to start and the Docker commands of the job fail with it.',
  detection: 'A `services` entry whose image is `docker:*dind*` or has `dind` in its name.',
  fix: 'Build images without a Docker daemon, for example with Kaniko (the `*-debug` image with `entrypoint: [""]`), Buildah or rootless BuildKit. Until the decommission date the job can keep the legacy tag.',
  check(job) {
    return jobServices(job)
      .filter(service => DIND_IMAGE.test(service.name))
      .map(service => ({
        message: `Job "${job.name}" starts the Docker-in-Docker service \`${service.name}\`, which needs a privileged container.`,
        location: locateOrJob(job, service.path),
      }));
  },
};
