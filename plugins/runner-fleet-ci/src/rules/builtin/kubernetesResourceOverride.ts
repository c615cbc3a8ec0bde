import type { Rule, RuleHit } from '../types';
import { jobVariables } from '../job';

/** Variables that the Kubernetes executor reads to override pod settings. */
const RESOURCE_VARIABLE =
  /^KUBERNETES_(HELPER_|SERVICE_)?(CPU|MEMORY|EPHEMERAL_STORAGE)_(REQUEST|LIMIT)$/;
const ACCESS_VARIABLES = new Set([
  'KUBERNETES_NAMESPACE_OVERWRITE',
  'KUBERNETES_SERVICE_ACCOUNT_OVERWRITE',
  'KUBERNETES_BEARER_TOKEN',
]);
const OTHER_OVERWRITE = /^KUBERNETES_(POD_ANNOTATIONS_|POD_LABELS_|NODE_SELECTOR_|NODE_TOLERATIONS_)/;

/** A Kubernetes resource quantity such as `500m`, `2`, `4Gi` or `1.5G`. */
const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/**
 * `kubernetes-resource-override`
 *
 * Why it matters: on Kubernetes, KUBERNETES_CPU_LIMIT, KUBERNETES_MEMORY_REQUEST
 * and similar variables change the job pod, but only up to the
 * `*_overwrite_max_allowed` values of the fleet; the Docker Machine runners
 * ignored them, so values copied from elsewhere were never tested. An
 * invalid quantity such as `8GB` fails pod creation, and namespace or
 * service account overrides are not allowed on the shared fleets.
 *
 * Detection: job or top-level variables named KUBERNETES_*_REQUEST or
 * KUBERNETES_*_LIMIT (info, or a warning when the value is not a valid
 * Kubernetes quantity), KUBERNETES_NAMESPACE_OVERWRITE,
 * KUBERNETES_SERVICE_ACCOUNT_OVERWRITE or KUBERNETES_BEARER_TOKEN
 * (warning), and pod annotation, label or node selector overrides (info).
 *
 * Fix: write quantities as Kubernetes expects (`500m`, `4Gi`), stay within
 * the fleet's maximums, and remove access overrides.
 */
export const kubernetesResourceOverride: Rule = {
  id: 'kubernetes-resource-override',
  severity: 'info',
  title: 'Job overrides Kubernetes pod settings',
  rationale:
    'Resource variables take effect only on Kubernetes and only up to the fleet maximums; invalid quantities fail pod creation, and namespace or service account overrides are not allowed on shared fleets.',
  detection:
    'Variables named KUBERNETES_*_REQUEST or KUBERNETES_*_LIMIT (a warning when the value is not a Kubernetes quantity), KUBERNETES_NAMESPACE_OVERWRITE, KUBERNETES_SERVICE_ACCOUNT_OVERWRITE or KUBERNETES_BEARER_TOKEN (warnings), and pod annotation, label or node selector overrides.',
  fix: 'Write quantities as Kubernetes expects (`500m`, `4Gi`), stay within the fleet maximums, and remove namespace, service account and token overrides.',
  check(job, { pipeline }) {
    const hits: RuleHit[] = [];
    for (const variable of jobVariables(job, pipeline)) {
      const location = variable.location ?? job.location;
      if (RESOURCE_VARIABLE.test(variable.name)) {
        const value = variable.value.trim();
        if (value.includes('$')) {
          continue;
        }
        if (!QUANTITY.test(value)) {
          hits.push({
            message: `${variable.name} is ${JSON.stringify(variable.value)} in job "${job.name}", which is not a Kubernetes quantity (for example 500m, 2, 4Gi), so pod creation fails.`,
            location,
            severity: 'warning',
          });
        } else {
          hits.push({
            message: `Job "${job.name}" sets ${variable.name} to ${value}; it applies only up to the fleet's maximum for this override.`,
            location,
          });
        }
      } else if (ACCESS_VARIABLES.has(variable.name)) {
        hits.push({
          // The value is never shown: KUBERNETES_BEARER_TOKEN contains a secret.
          message: `Job "${job.name}" sets ${variable.name}, which the shared Kubernetes fleets do not allow.`,
          location,
          severity: 'warning',
        });
      } else if (OTHER_OVERWRITE.test(variable.name)) {
        hits.push({
          message: `Job "${job.name}" sets ${variable.name}, which applies only where the fleet allows this override.`,
          location,
        });
      }
    }
    return hits;
  },
};
