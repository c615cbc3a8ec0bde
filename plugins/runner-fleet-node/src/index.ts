/**
 * GitLab access shared by the Runner Fleet backend packages: a gitbeaker
 * client configured from `integrations.gitlab`, with bounded concurrency,
 * per-request timeouts, retries that honour `Retry-After`, a pagination
 * walker that does not need `X-Total`, and runner managers.
 *
 * @packageDocumentation
 */

export * from './client';
export * from './config';
export * from './errors';
export * from './types';
export { parseNextLink, nextPageQuery, MAX_PER_PAGE } from './pagination';
export type { GitLabPaginationOptions } from './pagination';
export { parseRetryAfter, computeBackoffDelay } from './retry';
export {
  DEFAULT_REQUEST_POLICY,
  type GitLabQuery,
  type GitLabRequest,
  type GitLabRequestPolicy,
  type GitLabRequestStats,
  type GitLabResponse,
  type GitLabTransportHooks,
} from './transport';
