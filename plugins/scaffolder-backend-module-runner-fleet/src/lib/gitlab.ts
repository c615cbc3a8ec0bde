import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { Gitlab } from '@gitbeaker/rest';

/** The gitbeaker client type used by the actions. */
export type GitlabApi = InstanceType<typeof Gitlab>;

/** A GitLab client for one host from `integrations.gitlab`. */
export interface GitlabConnection {
  api: GitlabApi;
  /** Web URL of the instance, for example `https://gitlab.example.org`. */
  baseUrl: string;
  host: string;
}

/**
 * Creates a gitbeaker client with the integration token of `host`.
 * Throws an `InputError` when `integrations.gitlab` has no entry for it.
 */
export function connectGitlab(
  integrations: ScmIntegrationRegistry,
  host: string,
): GitlabConnection {
  const integration = integrations.gitlab.byHost(host);
  if (!integration) {
    throw new InputError(
      `host ${host} has no entry in integrations.gitlab; add one with a token, or pick a configured host`,
    );
  }
  const { baseUrl, token } = integration.config;
  if (!token) {
    throw new InputError(
      `integrations.gitlab entry for ${host} has no token; the actions need one with the api scope`,
    );
  }
  return {
    api: new Gitlab({ host: baseUrl, token }),
    baseUrl,
    host,
  };
}

/** HTTP status of a gitbeaker request error, or undefined for other errors. */
export function gitlabStatus(error: unknown): number | undefined {
  const cause = (error as { cause?: { response?: { status?: unknown } } })
    ?.cause;
  const status = cause?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Returns a new error that keeps only the operation, the HTTP status and
 * GitLab's message, so request bodies (which may hold a runner token) and
 * headers (which hold the integration token) never reach logs or task output.
 * Any string in `secrets` is also masked in the message.
 */
export function sanitizeGitlabError(
  operation: string,
  error: unknown,
  secrets: string[] = [],
): Error {
  const status = gitlabStatus(error);
  const description = (error as { cause?: { description?: unknown } })?.cause
    ?.description;
  let detail =
    typeof description === 'string'
      ? description
      : (error as Error)?.message ?? 'unknown error';
  for (const secret of secrets) {
    if (secret) {
      detail = detail.split(secret).join('[redacted]');
    }
  }
  const sanitized = new Error(
    `GitLab ${operation} failed${status ? ` with HTTP ${status}` : ''}: ${detail}`,
  );
  sanitized.name = 'GitLabRequestError';
  return sanitized;
}
