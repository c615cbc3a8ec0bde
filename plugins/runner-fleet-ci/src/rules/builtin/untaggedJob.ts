import type { Rule } from '../types';
import { jobTags } from '../job';

/**
 * `untagged-job`
 *
 * Why it matters: since the second migration phase, untagged jobs run on
 * the Kubernetes default fleet instead of the Docker Machine VMs. Nothing is
 * wrong with the tag itself, but every other finding of the job now applies
 * to its next run.
 *
 * Detection: the job has no `tags`, or an empty list.
 *
 * Fix: nothing, when the job has no other findings. Otherwise fix them, or
 * add the legacy tag until the decommission date to keep the old runners.
 */
export const untaggedJob: Rule = {
  id: 'untagged-job',
  severity: 'info',
  title: 'Untagged job runs on the Kubernetes default fleet',
  rationale:
    'Untagged jobs moved from the Docker Machine fleet to the Kubernetes default fleet, so every difference between the two executors now affects this job.',
  detection: 'The job has no `tags` keyword, or an empty list.',
  fix: 'Fix the other findings of this job. Until the decommission date, adding the legacy tag keeps the job on the old runners.',
  check(job) {
    if (jobTags(job).length > 0) {
      return [];
    }
    return [
      {
        message: `Job "${job.name}" has no tags, so it runs on the Kubernetes default fleet.`,
        location: job.location,
      },
    ];
  },
};
