import type { Rule } from '../types';
import { jobImage, locateOrJob } from '../job';
import { honorsEntrypoint } from './entrypoint';

/**
 * `image-entrypoint-reliance`
 *
 * Why it matters: some images prepare the environment in their ENTRYPOINT,
 * for example micromamba activating its environment or CVMFS images
 * mounting repositories. The Kubernetes executor does not run the image's
 * ENTRYPOINT unless FF_KUBERNETES_HONOR_ENTRYPOINT is enabled, so the
 * script starts without that environment.
 *
 * Detection: the job image matches a pattern in the engine configuration's
 * `entrypointImages`, the job does not override the entrypoint, and
 * FF_KUBERNETES_HONOR_ENTRYPOINT is not true.
 *
 * Fix: do the entrypoint's setup in `before_script` (for micromamba:
 * `eval "$(micromamba shell hook -s bash)" && micromamba activate`), or
 * set FF_KUBERNETES_HONOR_ENTRYPOINT to "true" for the job.
 */
export const imageEntrypointReliance: Rule = {
  id: 'image-entrypoint-reliance',
  severity: 'warning',
  title: 'Image relies on its ENTRYPOINT to prepare the job',
  rationale:
    'The Kubernetes executor skips the image ENTRYPOINT unless FF_KUBERNETES_HONOR_ENTRYPOINT is enabled, so images that activate environments or mount file systems there start the script unprepared.',
  detection:
    'The job image matches `entrypointImages` in the engine configuration, the job keeps the image entrypoint, and FF_KUBERNETES_HONOR_ENTRYPOINT is not true.',
  fix: 'Repeat the entrypoint\'s setup in `before_script`, or set FF_KUBERNETES_HONOR_ENTRYPOINT to "true" in the job variables.',
  check(job, { pipeline, config }) {
    const image = jobImage(job);
    if (!image || image.entrypoint) {
      return [];
    }
    const pattern = config.entrypointImages.find(candidate => candidate.test(image.name));
    if (!pattern || honorsEntrypoint(job, pipeline)) {
      return [];
    }
    return [
      {
        message: `Job "${job.name}" uses \`${image.name}\`, whose ENTRYPOINT prepares the environment, and the Kubernetes executor does not run it.`,
        location: locateOrJob(job, image.path),
      },
    ];
  },
};
