import type { Rule } from '../types';
import { jobTags, locateOrJob } from '../job';

/**
 * `legacy-docker-tag`
 *
 * Why it matters: a tag of the Docker Machine fleet (`docker` by default)
 * keeps the job on the VMs that the migration removes. After the
 * decommission date no runner picks up the tag, so the job stays pending
 * until it times out.
 *
 * Detection: a `tags` entry equal to one of the configured legacy tags.
 * Before the decommission date the finding is a warning, from that day on a
 * blocker.
 *
 * Fix: remove the tag so the job runs untagged on the Kubernetes default
 * fleet, after fixing the job's other findings. `--fix` removes the entry.
 */
export const legacyDockerTag: Rule = {
  id: 'legacy-docker-tag',
  severity: 'warning',
  title: 'Job is tagged for the Docker Machine fleet',
  rationale:
    'The Docker Machine fleet is being decommissioned. After the decommission date no runner accepts its tag, so the job stays pending until it times out.',
  detection:
    'A `tags` entry equals a legacy tag from the engine configuration (`docker` by default). It is a warning before the decommission date and a blocker from that day on.',
  fix: 'Remove the legacy tag so the job runs untagged on the Kubernetes default fleet, after fixing the other findings of the job.',
  check(job, { config, now }) {
    const legacy = new Set(config.tags.legacy);
    const decommissioned = now.toISOString().slice(0, 10) >= config.decommissionDate;
    return jobTags(job)
      .filter(({ tag }) => legacy.has(tag))
      .map(({ tag, path }) => {
        const location = locateOrJob(job, path);
        return {
          message: decommissioned
            ? `Job "${job.name}" is tagged \`${tag}\`, but the Docker Machine fleet was decommissioned on ${config.decommissionDate}, so no runner will pick the job up.`
            : `Job "${job.name}" is tagged \`${tag}\` and runs on the Docker Machine fleet, which is decommissioned on ${config.decommissionDate}.`,
          location,
          severity: decommissioned ? 'blocker' : 'warning',
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
