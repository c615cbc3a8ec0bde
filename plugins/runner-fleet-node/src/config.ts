import type { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { DEFAULT_REQUEST_POLICY, type GitLabRequestPolicy } from './transport';

/** Connection settings of one `integrations.gitlab` entry. @public */
export interface GitLabConnection {
  /** Host as configured, for example `gitlab.example.org` or `127.0.0.1:8929`. */
  host: string;
  /** API base URL without a trailing slash, for example `https://gitlab.example.org/api/v4`. */
  apiBaseUrl: string;
  /** Web URL of the instance, for example `https://gitlab.example.org`. */
  baseUrl: string;
  token?: string;
}

/**
 * Reads the `integrations.gitlab` entry for `host`. Without `host`, the only
 * configured GitLab integration is used; gitlab.com, which Backstage adds by
 * default, counts only when nothing else is configured.
 *
 * Throws an error that names the host and the config to add when no entry
 * matches or the choice is ambiguous.
 * @public
 */
export function readGitLabConnection(
  config: Config,
  host?: string,
): GitLabConnection {
  const integrations = ScmIntegrations.fromConfig(config).gitlab;
  const configured = integrations.list().map(i => i.config);

  let chosen;
  if (host) {
    chosen = integrations.byHost(host)?.config;
    if (!chosen) {
      const known = configured.map(c => c.host).join(', ') || 'none';
      throw new Error(
        `No integrations.gitlab entry for host '${host}' (configured: ${known}); add one with host, apiBaseUrl and token`,
      );
    }
  } else {
    const explicit = configured.filter(c => c.host !== 'gitlab.com');
    const candidates = explicit.length > 0 ? explicit : configured;
    if (candidates.length !== 1) {
      throw new Error(
        `Several integrations.gitlab entries (${candidates
          .map(c => c.host)
          .join(', ')}); set the host to use`,
      );
    }
    chosen = candidates[0];
  }

  let apiUrl: URL;
  try {
    apiUrl = new URL(chosen.apiBaseUrl);
  } catch {
    throw new Error(
      `integrations.gitlab entry for host '${chosen.host}' has an invalid apiBaseUrl '${chosen.apiBaseUrl}'; use an absolute URL such as https://${chosen.host}/api/v4`,
    );
  }
  if (apiUrl.protocol !== 'http:' && apiUrl.protocol !== 'https:') {
    throw new Error(
      `integrations.gitlab entry for host '${chosen.host}' has apiBaseUrl '${chosen.apiBaseUrl}' with protocol ${apiUrl.protocol}; use http or https`,
    );
  }

  return {
    host: chosen.host,
    apiBaseUrl: chosen.apiBaseUrl.replace(/\/+$/, ''),
    baseUrl: chosen.baseUrl.replace(/\/+$/, ''),
    token: chosen.token,
  };
}

/**
 * Reads a request policy from a config block with the optional keys
 * `concurrency`, `requestTimeoutMs`, `maxRetries`, `retryBaseDelayMs`,
 * `retryMaxDelayMs` and `maxRetryAfterMs` (milliseconds). Missing keys take
 * {@link DEFAULT_REQUEST_POLICY}. Throws an error naming the key and the
 * allowed range for an out-of-range value.
 * @public
 */
export function readGitLabRequestPolicy(
  config: Config | undefined,
  configPath = 'gitlab',
): GitLabRequestPolicy {
  const policy: GitLabRequestPolicy = { ...DEFAULT_REQUEST_POLICY };
  if (!config) {
    return policy;
  }
  const limits: Record<keyof GitLabRequestPolicy, [number, number]> = {
    concurrency: [1, 64],
    requestTimeoutMs: [100, 600_000],
    maxRetries: [0, 20],
    retryBaseDelayMs: [0, 60_000],
    retryMaxDelayMs: [0, 600_000],
    maxRetryAfterMs: [0, 3_600_000],
  };
  for (const [key, [min, max]] of Object.entries(limits) as Array<
    [keyof GitLabRequestPolicy, [number, number]]
  >) {
    const value = config.getOptionalNumber(key);
    if (value === undefined) {
      continue;
    }
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(
        `${configPath}.${key} must be an integer from ${min} to ${max}, got ${value}`,
      );
    }
    policy[key] = value;
  }
  return policy;
}

/** Validates a full policy, for callers that build one in code. */
export function assertValidPolicy(policy: GitLabRequestPolicy): void {
  if (!Number.isInteger(policy.concurrency) || policy.concurrency < 1) {
    throw new Error(
      `concurrency must be a positive integer, got ${policy.concurrency}`,
    );
  }
  if (!Number.isInteger(policy.maxRetries) || policy.maxRetries < 0) {
    throw new Error(
      `maxRetries must be an integer of 0 or more, got ${policy.maxRetries}`,
    );
  }
  if (!(policy.requestTimeoutMs > 0)) {
    throw new Error(
      `requestTimeoutMs must be positive, got ${policy.requestTimeoutMs}`,
    );
  }
}
