import type { Rule } from '../types';
import { jobImage, jobServices, locateOrJob } from '../job';

const VARIABLE_REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g;

/**
 * `entrypoint-reads-ci-variables`
 *
 * Why it matters: on the Kubernetes executor the containers start before
 * the job's CI/CD variables are available to them: an entrypoint, even
 * with FF_KUBERNETES_HONOR_ENTRYPOINT, sees only some variables, and
 * project, group and file-type variables are missing. On Docker they were
 * all set when the entrypoint ran.
 *
 * Detection: `image:entrypoint` of the job refers to a variable such as
 * `$CI_JOB_TOKEN` or `${DEPLOY_KEY}`.
 *
 * Fix: move the commands that need variables into `before_script` and set
 * `entrypoint: [""]`.
 */
export const entrypointReadsCiVariables: Rule = {
  id: 'entrypoint-reads-ci-variables',
  severity: 'warning',
  title: 'Entrypoint reads CI/CD variables',
  rationale:
    'On the Kubernetes executor an entrypoint runs before all CI/CD variables reach the container, so project, group and file-type variables are missing where Docker had them.',
  detection: '`image:entrypoint` refers to a variable such as `$CI_JOB_TOKEN` or `${DEPLOY_KEY}`.',
  fix: 'Move the commands that need variables into `before_script` and set `entrypoint: [""]`.',
  check(job) {
    const hits = [];
    const images = [jobImage(job), ...jobServices(job)];
    for (const image of images) {
      if (!image?.entrypoint) {
        continue;
      }
      const names = new Set<string>();
      for (const part of image.entrypoint.value) {
        for (const match of part.matchAll(VARIABLE_REFERENCE)) {
          names.add(match[1]);
        }
      }
      if (names.size === 0) {
        continue;
      }
      hits.push({
        message: `The entrypoint of \`${image.name}\` in job "${job.name}" reads ${[...names]
          .map(name => `$${name}`)
          .join(', ')}, which the Kubernetes executor may not have set when the entrypoint runs.`,
        location: locateOrJob(job, image.entrypoint.path),
      });
    }
    return hits;
  },
};
