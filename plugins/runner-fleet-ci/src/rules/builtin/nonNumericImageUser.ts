import type { Rule, RuleHit } from '../types';
import { isRecord, jobImage, jobServices, locateOrJob, type ImageReference } from '../job';

const NUMERIC_USER = /^\d+(:\d+)?$/;

/**
 * `non-numeric-image-user`
 *
 * Why it matters: Kubernetes sets a container's user as a numeric UID in
 * the pod's security context. `image:docker:user` is read only by the
 * Docker executor, so the job runs as the image's default user instead;
 * `image:kubernetes:user` with a name such as `root` fails to parse and the
 * runner falls back to the fleet's security context. Images whose
 * Dockerfile sets USER to a name cannot be checked against runAsNonRoot.
 *
 * Detection: `image:docker:user` without `image:kubernetes:user`, a
 * non-numeric `image:kubernetes:user` (for the job image and services), or
 * a job image listed in `namedUserImages` of the engine configuration.
 *
 * Fix: set `image:kubernetes:user` to a numeric UID (and GID), for example
 * `"1000:1000"`.
 */
export const nonNumericImageUser: Rule = {
  id: 'non-numeric-image-user',
  severity: 'warning',
  title: 'Container user is not a numeric UID',
  rationale:
    'Kubernetes takes the container user as a numeric UID: `image:docker:user` is ignored there, a user name in `image:kubernetes:user` is rejected, and named USERs in an image cannot be checked against runAsNonRoot.',
  detection:
    '`image:docker:user` without `image:kubernetes:user`, a non-numeric `image:kubernetes:user` on the image or a service, or an image listed in `namedUserImages`.',
  fix: 'Set `image:kubernetes:user` to a numeric UID and GID, for example `"1000:1000"`.',
  check(job, { config }) {
    const hits: RuleHit[] = [];
    const images: ImageReference[] = [];
    const image = jobImage(job);
    if (image) {
      images.push(image);
    }
    images.push(...jobServices(job));
    for (const reference of images) {
      const docker = reference.executorOptions.docker;
      const kubernetes = reference.executorOptions.kubernetes;
      const kubernetesUser = isRecord(kubernetes) ? kubernetes.user : undefined;
      const dockerUser = isRecord(docker) ? docker.user : undefined;
      if (kubernetesUser !== undefined && !NUMERIC_USER.test(String(kubernetesUser))) {
        hits.push({
          message: `\`kubernetes:user\` of \`${reference.name}\` in job "${job.name}" is ${JSON.stringify(kubernetesUser)}, not a numeric UID.`,
          location: locateOrJob(job, [...reference.basePath, 'kubernetes', 'user']),
        });
      } else if (kubernetesUser === undefined && dockerUser !== undefined) {
        hits.push({
          message: `\`docker:user\` of \`${reference.name}\` in job "${job.name}" is ignored by the Kubernetes executor; set \`kubernetes:user\` to a numeric UID.`,
          location: locateOrJob(job, [...reference.basePath, 'docker', 'user']),
        });
      }
    }
    if (image && !isRecord(image.executorOptions.kubernetes) && config.namedUserImages.some(pattern => pattern.test(image.name))) {
      hits.push({
        message: `Image \`${image.name}\` of job "${job.name}" sets USER to a name, which Kubernetes cannot check against runAsNonRoot.`,
        location: locateOrJob(job, image.path),
      });
    }
    return hits;
  },
};
