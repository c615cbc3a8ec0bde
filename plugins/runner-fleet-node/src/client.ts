import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  createRequesterFn,
  type FormattedResponse,
  type RequestOptions,
} from '@gitbeaker/requester-utils';
import { Gitlab } from '@gitbeaker/rest';
import { assertValidPolicy, readGitLabConnection } from './config';
import { isGitLabNotFound } from './errors';
import { listAll, paginate, type GitLabPaginationOptions } from './pagination';
import {
  DEFAULT_REQUEST_POLICY,
  GitLabTransport,
  type GitLabQuery,
  type GitLabRequest,
  type GitLabRequestPolicy,
  type GitLabRequestStats,
  type GitLabResponse,
  type GitLabTransportHooks,
} from './transport';
import type {
  GitLabFile,
  GitLabJob,
  GitLabPage,
  GitLabProject,
  GitLabRunner,
  GitLabRunnerDetails,
  GitLabRunnerManager,
  GitLabRunnerStatus,
  GitLabRunnerType,
} from './types';

/** The gitbeaker API bundle, wired to this client's transport. @public */
export type GitbeakerApi = InstanceType<typeof Gitlab<false>>;

/** Filters of `GET /runners/all`. @public */
export interface ListRunnersFilter {
  type?: GitLabRunnerType;
  status?: GitLabRunnerStatus;
  paused?: boolean;
  /** Runners that carry all of these tags. */
  tagList?: string[];
}

/**
 * GitLab access shared by the Runner Fleet backend packages. Every method
 * goes through one transport: the token from `integrations.gitlab`, a
 * per-attempt timeout, bounded concurrency and retries that honour
 * `Retry-After`. Errors are {@link GitLabRequestError}s that name host, path
 * and page but never the token.
 * @public
 */
export interface GitLabClient {
  readonly host: string;
  readonly apiBaseUrl: string;
  /** Web URL of the instance, for links in the catalog. */
  readonly baseUrl: string;
  /** Counters since the client was created. */
  readonly stats: Readonly<GitLabRequestStats>;
  /**
   * gitbeaker's resources (`api.Runners`, `api.Projects`, ...) for calls
   * this interface does not wrap. They share the transport, so they also
   * throw {@link GitLabRequestError} rather than gitbeaker's error types.
   */
  readonly api: GitbeakerApi;

  /** Sends one request below the API base URL, with retries. */
  request<T>(request: GitLabRequest): Promise<GitLabResponse<T>>;
  /** Walks a list page by page (`per_page=100`), following `X-Next-Page` or `Link`. */
  paginate<T>(
    path: string,
    query?: GitLabQuery,
    options?: GitLabPaginationOptions,
  ): AsyncGenerator<GitLabPage<T>, void, undefined>;
  /** Reads every page of a list into one array. */
  listAll<T>(
    path: string,
    query?: GitLabQuery,
    options?: GitLabPaginationOptions,
  ): Promise<T[]>;

  /** Lists every runner the token can see (`GET /runners/all`, administrator only). */
  listAllRunners(
    filter?: ListRunnersFilter,
    options?: GitLabPaginationOptions,
  ): Promise<GitLabRunner[]>;
  /** Reads one runner's details (`GET /runners/:id`): tags, run-untagged, contact time. */
  getRunner(
    runnerId: number,
    options?: { signal?: AbortSignal },
  ): Promise<GitLabRunnerDetails>;
  /** Lists a runner's managers (`GET /runners/:id/managers`), which gitbeaker 43 does not wrap. */
  listRunnerManagers(
    runnerId: number,
    options?: GitLabPaginationOptions,
  ): Promise<GitLabRunnerManager[]>;
  /** Lists jobs a runner ran or runs (`GET /runners/:id/jobs`), newest first. */
  listRunnerJobs(
    runnerId: number,
    query?: { status?: string; orderBy?: 'id'; sort?: 'asc' | 'desc' },
    options?: GitLabPaginationOptions,
  ): Promise<GitLabJob[]>;
  /** Lists projects (`GET /projects`). */
  listProjects(
    query?: {
      archived?: boolean;
      membership?: boolean;
      lastActivityAfter?: string;
      orderBy?: string;
      sort?: 'asc' | 'desc';
    },
    options?: GitLabPaginationOptions,
  ): Promise<GitLabProject[]>;
  /** Lists a project's jobs (`GET /projects/:id/jobs`), optionally by scope such as `pending` or `running`. */
  listProjectJobs(
    projectId: number | string,
    query?: { scope?: string[] },
    options?: GitLabPaginationOptions,
  ): Promise<GitLabJob[]>;
  /**
   * Reads a repository file's raw content and blob id, or returns undefined
   * when the file or ref does not exist.
   */
  getFile(
    projectId: number | string,
    filePath: string,
    ref: string,
    options?: { signal?: AbortSignal },
  ): Promise<GitLabFile | undefined>;
}

/** Options of {@link createGitLabClient}. @public */
export interface CreateGitLabClientOptions {
  /** Root config; the client reads `integrations.gitlab`. */
  config: Config;
  /** Host of the `integrations.gitlab` entry; may be omitted when only one is configured. */
  host?: string;
  logger: LoggerService;
  /** Overrides of {@link DEFAULT_REQUEST_POLICY}. */
  policy?: Partial<GitLabRequestPolicy>;
  /** Replacements for fetch, sleep, clock and jitter, for tests and benchmarks. */
  hooks?: GitLabTransportHooks;
}

/**
 * Creates a {@link GitLabClient} for one `integrations.gitlab` entry.
 *
 * gitbeaker 43's default requester retries only 429 and 502, ten times,
 * after 0.25 ms doubling to 128 ms, and ignores `Retry-After`; its errors
 * carry the `Request` with the token header. This client therefore passes
 * gitbeaker a `requesterFn` whose handler is the client's own transport:
 * gitbeaker's retry loop never runs, and gitbeaker's client-side rate
 * limiter and whole-walk query timeout are switched off, replaced by the
 * transport's concurrency limit and per-attempt timeout.
 * @public
 */
export function createGitLabClient(
  options: CreateGitLabClientOptions,
): GitLabClient {
  const connection = readGitLabConnection(options.config, options.host);
  const policy = { ...DEFAULT_REQUEST_POLICY, ...options.policy };
  assertValidPolicy(policy);

  const transport = new GitLabTransport({
    apiBaseUrl: connection.apiBaseUrl,
    token: connection.token,
    logger: options.logger,
    policy,
    hooks: options.hooks,
  });

  const requesterFn = createRequesterFn(
    async (_resourceOptions, requestOptions) => requestOptions,
    async (endpoint: string, requestOptions?: Record<string, unknown>) => {
      const { method, headers, body, searchParams, signal, asStream } =
        (requestOptions ?? {}) as RequestOptions;
      const response = await transport.request({
        method,
        path: endpoint,
        query: searchParams ?? '',
        headers,
        body,
        signal,
        asStream,
      });
      return response as FormattedResponse;
    },
  );

  // gitbeaker joins `host` with `/api/v4`; the transport resolves endpoints
  // against apiBaseUrl itself, so this value only keeps gitbeaker's own URL
  // field truthful for the usual layout.
  const api = new Gitlab<false>({
    host: connection.apiBaseUrl.replace(/\/api\/v4$/, ''),
    requesterFn,
    queryTimeout: null,
    rateLimits: {},
  });

  const encode = encodeURIComponent;

  return {
    host: connection.host,
    apiBaseUrl: connection.apiBaseUrl,
    baseUrl: connection.baseUrl,
    get stats() {
      return transport.stats;
    },
    api,

    request: request => transport.request(request),
    paginate: (path, query, paginationOptions) =>
      paginate(transport, path, query, paginationOptions),
    listAll: (path, query, paginationOptions) =>
      listAll(transport, path, query, paginationOptions),

    listAllRunners: (filter = {}, paginationOptions) =>
      listAll<GitLabRunner>(
        transport,
        'runners/all',
        {
          type: filter.type,
          status: filter.status,
          paused: filter.paused,
          tag_list: filter.tagList?.join(','),
        },
        paginationOptions,
      ),

    getRunner: async (runnerId, requestOptions) => {
      const response = await transport.request<GitLabRunnerDetails>({
        path: `runners/${encode(String(runnerId))}`,
        signal: requestOptions?.signal,
      });
      return response.body;
    },

    listRunnerManagers: (runnerId, paginationOptions) =>
      listAll<GitLabRunnerManager>(
        transport,
        `runners/${encode(String(runnerId))}/managers`,
        {},
        paginationOptions,
      ),

    listRunnerJobs: (runnerId, query = {}, paginationOptions) =>
      listAll<GitLabJob>(
        transport,
        `runners/${encode(String(runnerId))}/jobs`,
        {
          order_by: query.orderBy ?? 'id',
          sort: query.sort ?? 'desc',
          status: query.status,
        },
        paginationOptions,
      ),

    listProjects: (query = {}, paginationOptions) =>
      listAll<GitLabProject>(
        transport,
        'projects',
        {
          archived: query.archived,
          membership: query.membership,
          last_activity_after: query.lastActivityAfter,
          order_by: query.orderBy ?? 'id',
          sort: query.sort ?? 'asc',
        },
        paginationOptions,
      ),

    listProjectJobs: (projectId, query = {}, paginationOptions) =>
      listAll<GitLabJob>(
        transport,
        `projects/${encode(String(projectId))}/jobs`,
        { scope: query.scope },
        paginationOptions,
      ),

    getFile: async (projectId, filePath, ref, requestOptions) => {
      const filesPath = `projects/${encode(
        String(projectId),
      )}/repository/files/${encode(filePath)}`;
      let response: GitLabResponse<unknown>;
      try {
        response = await transport.request<unknown>({
          path: `${filesPath}/raw`,
          query: { ref },
          responseType: 'text',
          signal: requestOptions?.signal,
        });
      } catch (error) {
        if (isGitLabNotFound(error)) {
          return undefined;
        }
        throw error;
      }

      let blobId = response.headers['x-gitlab-blob-id'];
      let lastCommitId = response.headers['x-gitlab-last-commit-id'];
      if (!blobId) {
        // GitLab documents the X-Gitlab-* file headers for HEAD on the
        // files endpoint; ask there when the raw response had none.
        try {
          const head = await transport.request<unknown>({
            method: 'HEAD',
            path: filesPath,
            query: { ref },
            signal: requestOptions?.signal,
          });
          blobId = head.headers['x-gitlab-blob-id'];
          lastCommitId ??= head.headers['x-gitlab-last-commit-id'];
        } catch (error) {
          if (!isGitLabNotFound(error)) {
            throw error;
          }
        }
      }

      return {
        projectId,
        filePath,
        ref,
        content: String(response.body ?? ''),
        blobId: blobId || undefined,
        lastCommitId: lastCommitId || undefined,
      };
    },
  };
}
