import type { Rule } from '../types';
import type { EngineConfig, TagMeanings } from '../../config';
import type { ResolvedJob, ValuePath } from '../../model';
import { jobTags, locateOrJob } from '../job';

/** Words in a tag that hint at the fleet the job probably wants, checked in this order. */
const HINTS: Array<[RegExp, keyof TagMeanings]> = [
  [/cuda|gpu|nvidia|rocm|hip\b/i, 'gpu'],
  [/fpga|xilinx|alveo|vivado/i, 'fpga'],
  [/spark/i, 'spark'],
  [/cvmfs/i, 'cvmfs'],
  [/arm|aarch64/i, 'arm'],
];

/** Lists the job's tags that no instance fleet has; tags written as variables are skipped. */
export function unknownTags(job: ResolvedJob, config: EngineConfig): Array<{ tag: string; path: ValuePath }> {
  const known = new Set<string>([...Object.values(config.tags).flat(), ...config.otherFleetTags]);
  return jobTags(job).filter(({ tag }) => !known.has(tag) && !tag.includes('$'));
}

/**
 * `unknown-runner-tag`
 *
 * Why it matters: a job runs only on a runner that has all of its tags.
 * When a tag belongs to none of the instance fleets, the job needs a
 * project or group runner with that tag. Without one it stays pending.
 * Tags copied from another GitLab instance (`k8s-arm`, `cuda`) are the
 * usual cause.
 *
 * Detection: a tag that is none of the tag meanings in the engine
 * configuration and not in its `otherFleetTags`. Tags written as
 * variables are skipped. The message names the fleet tag that the tag's
 * words suggest, such as `gpu` for `docker-gpu-nvidia`.
 *
 * Such a job cannot run on an instance fleet as written, so the engine
 * checks it only with the tag rules and custom rules.
 *
 * Fix: replace the tag with the instance's tag for the same hardware, or
 * make sure a project or group runner has it.
 */
export const unknownRunnerTag: Rule = {
  id: 'unknown-runner-tag',
  severity: 'info',
  title: 'Tag matches no instance fleet',
  rationale:
    'A job runs only where a runner has all of its tags. A tag that no instance fleet has needs a project or group runner, or the job stays pending.',
  detection:
    'A tag that is not one of the tag meanings or `otherFleetTags` in the engine configuration; tags written as variables are skipped.',
  fix: 'Use the instance tag for the same hardware (for example `gpu` or `arm64`), or check that a project or group runner has the tag.',
  check(job, { config }) {
    return unknownTags(job, config).map(({ tag, path }) => {
        const hint = HINTS.find(([pattern]) => pattern.test(tag));
        const suggestion = hint ? config.tags[hint[1]][0] : undefined;
        return {
          message: `Job "${job.name}" is tagged \`${tag}\`, which no instance fleet has${
            suggestion ? `; the instance tag for this hardware is probably \`${suggestion}\`` : ''
          }.`,
          location: locateOrJob(job, path),
        };
      });
  },
};
