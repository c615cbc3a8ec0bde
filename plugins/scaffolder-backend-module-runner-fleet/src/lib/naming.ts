import { createHash } from 'node:crypto';

/** Kubernetes object names are at most 63 characters (RFC 1123 label). */
const MAX_NAME_LENGTH = 63;

/**
 * Derives a stable, DNS-label-safe slug for a runner request from the GitLab
 * path and the pool name, for example `physics-atlas-analysis-pool-gpu`.
 * Long slugs are cut and get a short hash so two paths never collide.
 */
export function runnerSlug(targetPath: string, poolName: string, prefixLength = 0): string {
  const raw = `${targetPath}-${poolName}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const room = MAX_NAME_LENGTH - prefixLength;
  if (raw.length <= room) {
    return raw;
  }
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${raw.slice(0, room - 9).replace(/-+$/, '')}-${hash}`;
}

/** Name of the Kubernetes Secret that holds the runner token for a request. */
export function runnerSecretName(targetPath: string, poolName: string): string {
  const prefix = 'gitlab-runner-';
  return `${prefix}${runnerSlug(targetPath, poolName, prefix.length)}`;
}

/** CI/CD variable key that stores the runner token for a request. */
export function runnerTokenVariableKey(targetPath: string, poolName: string): string {
  return `RUNNER_TOKEN_${runnerSlug(targetPath, poolName)
    .toUpperCase()
    .replace(/-/g, '_')}`;
}
