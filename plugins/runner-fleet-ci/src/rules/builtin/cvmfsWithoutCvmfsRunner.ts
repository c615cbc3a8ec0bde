import type { Rule, RuleHit } from '../types';
import { jobImage, jobTags, referencedVariables, locateOrJob, matchScriptText } from '../job';

const CVMFS_PATH = /(^|[^\w.-])\/cvmfs\//;

/**
 * `cvmfs-without-cvmfs-runner`
 *
 * Why it matters: the Docker Machine VMs mounted CVMFS for every job. On
 * Kubernetes only the CVMFS fleet (tag `cvmfs` by default) mounts
 * /cvmfs. On the default fleet the path does not exist, so the first
 * `source /cvmfs/...` fails.
 *
 * Detection: a path under /cvmfs/ in a script line (including those
 * inherited from `default`), a job variable (or a top-level one the
 * job's scripts refer to) or the image entrypoint, in a job without a CVMFS tag.
 *
 * Fix: add the CVMFS tag (`tags: [cvmfs]`).
 */
export const cvmfsWithoutCvmfsRunner: Rule = {
  id: 'cvmfs-without-cvmfs-runner',
  severity: 'blocker',
  title: 'Job reads CVMFS but does not ask for the CVMFS fleet',
  rationale:
    'Only the CVMFS fleet mounts /cvmfs on Kubernetes, while every Docker Machine VM had it, so the path is missing on the default fleet.',
  detection:
    'A path under /cvmfs/ in a script line, a job variable (or a top-level variable the scripts refer to), or the image entrypoint, in a job without a CVMFS tag from the engine configuration.',
  fix: 'Add the CVMFS tag to the job, for example `tags: [cvmfs]`.',
  check(job, { pipeline, config }) {
    const cvmfsTags = new Set(config.tags.cvmfs);
    if (jobTags(job).some(({ tag }) => cvmfsTags.has(tag))) {
      return [];
    }
    const tagHint = config.tags.cvmfs[0] ?? 'cvmfs';
    const hits: RuleHit[] = [];
    for (const { location } of matchScriptText(job, pipeline, CVMFS_PATH)) {
      hits.push({
        message: `Job "${job.name}" reads /cvmfs but has no \`${tagHint}\` tag, so it runs where CVMFS is not mounted.`,
        location,
      });
    }
    for (const variable of referencedVariables(job, pipeline)) {
      if (CVMFS_PATH.test(variable.value)) {
        hits.push({
          message: `Variable ${variable.name} of job "${job.name}" points into /cvmfs, but the job has no \`${tagHint}\` tag.`,
          location: variable.location ?? job.location,
        });
      }
    }
    const image = jobImage(job);
    if (image?.entrypoint?.value.some(part => CVMFS_PATH.test(part))) {
      hits.push({
        message: `The entrypoint of job "${job.name}" reads /cvmfs, but the job has no \`${tagHint}\` tag.`,
        location: locateOrJob(job, image.entrypoint.path),
      });
    }
    return hits;
  },
};
