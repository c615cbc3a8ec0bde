import type { Rule } from '../types';
import { jobTags, locateOrJob } from '../job';

/**
 * `temporary-opt-in-tag`
 *
 * Why it matters: the opt-in tag (`k8s-default` by default) was how a job
 * chose Kubernetes during the first migration phase. Untagged jobs now run
 * on the Kubernetes default fleet, so the tag only pins the job to a tag
 * that the platform team will retire.
 *
 * Detection: a `tags` entry equal to one of the configured opt-in tags.
 *
 * Fix: remove the tag. `--fix` removes the entry.
 */
export const temporaryOptInTag: Rule = {
  id: 'temporary-opt-in-tag',
  severity: 'info',
  title: 'Job keeps the temporary Kubernetes opt-in tag',
  rationale:
    'The opt-in tag selected the Kubernetes default fleet while untagged jobs still ran on Docker Machine. Untagged jobs now run on Kubernetes, and the tag will be retired with the old fleet.',
  detection:
    'A `tags` entry equals an opt-in tag from the engine configuration (`k8s-default` by default).',
  fix: 'Remove the opt-in tag; the job keeps running on the Kubernetes default fleet.',
  check(job, { config }) {
    const optIn = new Set(config.tags.optIn);
    return jobTags(job)
      .filter(({ tag }) => optIn.has(tag))
      .map(({ tag, path }) => {
        const location = locateOrJob(job, path);
        return {
          message: `Job "${job.name}" is tagged \`${tag}\`, the temporary opt-in to Kubernetes; untagged jobs run there now.`,
          location,
          autoFix: {
            kind: 'remove-sequence-item',
            location,
            expected: tag,
            description: `Remove the \`${tag}\` tag from job "${job.name}".`,
          },
        };
      });
  },
};
