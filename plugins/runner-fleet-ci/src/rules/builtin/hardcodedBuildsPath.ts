import type { Rule, RuleHit } from '../types';
import { referencedVariables, locateOrJob, matchScriptText } from '../job';

/** `/builds` at the start of a path, not inside a URL or another path. */
const BUILDS_PATH = /(?<![\w$}/.~-])\/builds(?=\/|\s|$|["'])/;

/**
 * `hardcoded-builds-path`
 *
 * Why it matters: where the checkout lives is runner configuration. The
 * Docker Machine runners cloned into /builds/<group>/<project>; the
 * Kubernetes fleets mount the build volume at a path the platform team
 * sets in `builds_dir`, which may differ per fleet and change with a
 * cluster upgrade.
 *
 * Detection: an absolute path starting with /builds in a script line or in
 * a job variable (or a top-level variable the job's scripts refer to).
 *
 * Fix: use `$CI_PROJECT_DIR` for the checkout and `$CI_BUILDS_DIR` for the
 * directory above it. `--fix` rewrites `/builds/` to `${CI_BUILDS_DIR}/`
 * in script lines.
 */
export const hardcodedBuildsPath: Rule = {
  id: 'hardcoded-builds-path',
  severity: 'warning',
  title: 'Script hard-codes the /builds directory',
  rationale:
    'The checkout path is runner configuration: the Kubernetes fleets mount the build volume where their `builds_dir` says, which need not be the /builds of the Docker Machine runners.',
  detection: 'An absolute path starting with /builds in a script line, a job variable, or a top-level variable the scripts refer to.',
  fix: 'Use `$CI_PROJECT_DIR` for the checkout and `$CI_BUILDS_DIR` for its parent directory.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    for (const { item, location } of matchScriptText(job, pipeline, BUILDS_PATH)) {
      const itemLocation = locateOrJob(job, item.path);
      hits.push({
        message: `Job "${job.name}" hard-codes /builds in its script; the build directory on Kubernetes is set by the runner.`,
        location,
        autoFix: /\/builds\//.test(item.text)
          ? {
              kind: 'replace-in-scalar',
              location: itemLocation,
              expected: item.text,
              search: '/builds/',
              replacement: '${CI_BUILDS_DIR}/',
              description: `Replace /builds/ with \${CI_BUILDS_DIR}/ in a script line of job "${job.name}".`,
            }
          : undefined,
      });
    }
    for (const variable of referencedVariables(job, pipeline)) {
      if (BUILDS_PATH.test(variable.value)) {
        hits.push({
          message: `Variable ${variable.name} of job "${job.name}" hard-codes ${variable.value}; use $CI_PROJECT_DIR or $CI_BUILDS_DIR.`,
          location: variable.location ?? job.location,
        });
      }
    }
    return hits;
  },
};
