import type { Rule } from '../types';
import { jobImage, locateOrJob } from '../job';
import { honorsEntrypoint, isNeutralEntrypoint } from './entrypoint';

/**
 * `image-entrypoint-override`
 *
 * Why it matters: the Docker executor runs the `image:entrypoint` that the
 * job sets and then the script. The Kubernetes executor replaces the
 * entrypoint with its own shell unless FF_KUBERNETES_HONOR_ENTRYPOINT is
 * enabled, so whatever the override prepared is missing.
 *
 * Detection: `image:entrypoint` set to something other than `[""]` or a
 * plain shell such as `["/bin/sh", "-c"]`, while
 * FF_KUBERNETES_HONOR_ENTRYPOINT is not set to true.
 *
 * Fix: move the entrypoint's commands into `before_script` and set
 * `entrypoint: [""]`, or set FF_KUBERNETES_HONOR_ENTRYPOINT to "true" in
 * the job's variables when the entrypoint needs no CI variables.
 */
export const imageEntrypointOverride: Rule = {
  id: 'image-entrypoint-override',
  severity: 'warning',
  title: 'Job overrides the image entrypoint',
  rationale:
    'The Kubernetes executor replaces the entrypoint with its own shell unless FF_KUBERNETES_HONOR_ENTRYPOINT is enabled, so setup done by an `image:entrypoint` override does not happen.',
  detection:
    '`image:entrypoint` is set to something other than `[""]` or a plain shell, and FF_KUBERNETES_HONOR_ENTRYPOINT is not true for the job.',
  fix: 'Move the entrypoint commands into `before_script` and set `entrypoint: [""]`, or set FF_KUBERNETES_HONOR_ENTRYPOINT to "true" when the entrypoint reads no CI variables.',
  check(job, { pipeline }) {
    const image = jobImage(job);
    if (!image?.entrypoint || isNeutralEntrypoint(image.entrypoint.value)) {
      return [];
    }
    if (honorsEntrypoint(job, pipeline)) {
      return [];
    }
    return [
      {
        message: `Job "${job.name}" sets the entrypoint of \`${image.name}\` to ${JSON.stringify(
          image.entrypoint.value,
        )}, which the Kubernetes executor does not run.`,
        location: locateOrJob(job, image.entrypoint.path),
      },
    ];
  },
};
