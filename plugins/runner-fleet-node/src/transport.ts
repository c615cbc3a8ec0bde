import type { LoggerService } from '@backstage/backend-plugin-api';
import { formatQuery } from '@gitbeaker/requester-utils';
import pLimit from 'p-limit';
import { GitLabRequestError, GitLabRequestFailure } from './errors';
import {
  RETRYABLE_SERVER_STATUSES,
  computeBackoffDelay,
  isIdempotent,
  parseRetryAfter,
  sleepWithSignal,
} from './retry';

/** Limits and timings of GitLab requests. All durations are in milliseconds. @public */
export interface GitLabRequestPolicy {
  /** Maximum requests in flight at once, per client. Default 8. */
  concurrency: number;
  /** Timeout of one attempt, from sending the request to the end of its body. Default 30,000. */
  requestTimeoutMs: number;
  /** Retries after the first attempt; 0 disables retries. Default 4. */
  maxRetries: number;
  /** First backoff delay for 5xx, timeouts and network errors; doubles at each retry. Default 500. */
  retryBaseDelayMs: number;
  /** Cap of one backoff delay. Default 30,000. */
  retryMaxDelayMs: number;
  /**
   * Longest `Retry-After` that the client waits for. A 429 or 503 that requests
   * a longer wait fails at once instead of blocking the caller. Default 300,000.
   */
  maxRetryAfterMs: number;
}

/** Defaults of {@link GitLabRequestPolicy}. @public */
export const DEFAULT_REQUEST_POLICY: Readonly<GitLabRequestPolicy> = {
  concurrency: 8,
  requestTimeoutMs: 30_000,
  maxRetries: 4,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/** Counters of one client since it was created. @public */
export interface GitLabRequestStats {
  /** Logical requests, each counted once however often it was retried. */
  requests: number;
  /** HTTP attempts sent, retries included. */
  attempts: number;
  retries: number;
  /** Responses with HTTP 429. */
  rateLimited: number;
  timeouts: number;
  /** Sum of all waits before retries. */
  waitedMs: number;
}

/** Hooks that tests and benchmarks replace. @public */
export interface GitLabTransportHooks {
  fetch?: typeof fetch;
  /** Waits before a retry; the default uses setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  /** Clock in ms since the epoch, used to resolve HTTP-date `Retry-After` values. */
  now?: () => number;
}

/** Query parameters; arrays become `key[]=a&key[]=b` as GitLab expects, camelCase keys become snake_case. @public */
export type GitLabQuery = Record<
  string,
  string | number | boolean | undefined | ReadonlyArray<string | number>
>;

/** One request for {@link GitLabTransport.request}. @public */
export interface GitLabRequest {
  method?: string;
  /** Path below the API base URL, for example `runners/12/managers`. Callers encode path segments. */
  path: string;
  /** Query as an object, or a query string without the leading `?`. */
  query?: GitLabQuery | string;
  headers?: Record<string, string>;
  body?: string | FormData;
  signal?: AbortSignal;
  /** Return the body as a stream instead of reading it. */
  asStream?: boolean;
  /**
   * How to read a successful body: `auto` (default) parses JSON by content
   * type, `text` always returns the text, for raw files.
   */
  responseType?: 'auto' | 'text';
}

/** A successful response. Header names are lower case. @public */
export interface GitLabResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface GitLabTransportOptions {
  /** API base URL without a trailing slash, for example `https://gitlab.example.org/api/v4`. */
  apiBaseUrl: string;
  token?: string;
  logger: LoggerService;
  policy: GitLabRequestPolicy;
  hooks?: GitLabTransportHooks;
}

/** Outcome of one attempt that may be retried. */
type AttemptFailure = {
  failure: GitLabRequestFailure;
  /** True for 429, 5xx, timeouts and network errors. */
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  detail: string;
};

const MAX_ERROR_DETAIL_LENGTH = 300;

/**
 * Sends GitLab REST requests with the token, a per-attempt timeout, bounded
 * concurrency and retries. Both gitbeaker (through its `requesterFn`) and the
 * pagination walker go through this one class, so every request shares the
 * same limits and the same pause after a 429.
 */
export class GitLabTransport {
  readonly host: string;
  readonly apiBaseUrl: string;
  readonly stats: GitLabRequestStats = {
    requests: 0,
    attempts: 0,
    retries: 0,
    rateLimited: 0,
    timeouts: 0,
    waitedMs: 0,
  };

  private readonly token?: string;
  private readonly logger: LoggerService;
  private readonly policy: GitLabRequestPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly limit: ReturnType<typeof pLimit>;
  /** No request starts before this time (ms since epoch); set by 429 responses. */
  private pausedUntil = 0;

  constructor(options: GitLabTransportOptions) {
    const base = new URL(options.apiBaseUrl);
    this.host = base.host;
    this.apiBaseUrl = options.apiBaseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.logger = options.logger;
    this.policy = options.policy;
    this.fetchImpl = options.hooks?.fetch ?? ((...args) => fetch(...args));
    this.sleep = options.hooks?.sleep ?? sleepWithSignal;
    this.random = options.hooks?.random ?? Math.random;
    this.now = options.hooks?.now ?? Date.now;
    this.limit = pLimit(options.policy.concurrency);
  }

  /** Builds the absolute URL of `path` and `query`. */
  url(path: string, query?: GitLabQuery | string): URL {
    const url = new URL(`${this.apiBaseUrl}/${path.replace(/^\/+/, '')}`);
    const search = typeof query === 'string' ? query : formatQuery(query);
    url.search = search ?? '';
    return url;
  }

  /** Replaces the token wherever it appears in `text`. */
  redact(text: string): string {
    if (!this.token || this.token.length < 4) {
      return text;
    }
    return text.split(this.token).join('[redacted]');
  }

  /**
   * Sends one request and retries it: 429 after `Retry-After`, 5xx, timeouts
   * and network errors with exponential backoff and jitter. Only idempotent
   * methods are retried after 5xx, timeouts and network errors, because a
   * POST that timed out may have been applied. Throws
   * {@link GitLabRequestError} when the request fails for good.
   */
  async request<T>(request: GitLabRequest): Promise<GitLabResponse<T>> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = this.url(request.path, request.query);
    const target = `${this.host}${url.pathname}`;
    const maxAttempts = this.policy.maxRetries + 1;
    this.stats.requests += 1;

    let waitedForOwnRetry = false;
    for (let attempt = 1; ; attempt += 1) {
      if (!waitedForOwnRetry) {
        await this.waitForRateLimitPause(request.signal, method, url, attempt);
      }
      waitedForOwnRetry = false;

      const outcome = await this.limit(() =>
        this.attempt<T>(method, url, request),
      );
      if ('response' in outcome) {
        this.logger.debug(
          `GitLab ${method} ${target} returned HTTP ${outcome.response.status}`,
          { attempt },
        );
        return outcome.response;
      }

      const failure = outcome;
      const retryable =
        failure.retryable && (failure.status === 429 || isIdempotent(method));
      if (!retryable || attempt >= maxAttempts) {
        throw this.finalError(method, url, attempt, failure);
      }

      const retry = attempt - 1;
      let delayMs: number;
      if (failure.retryAfterMs !== undefined) {
        if (failure.retryAfterMs > this.policy.maxRetryAfterMs) {
          throw new GitLabRequestError(
            `GitLab ${method} ${target} returned HTTP ${
              failure.status
            } with Retry-After ${Math.ceil(
              failure.retryAfterMs / 1000,
            )} s, longer than the maximum wait of ${Math.ceil(
              this.policy.maxRetryAfterMs / 1000,
            )} s; try again later or raise maxRetryAfterMs`,
            this.details(method, url, attempt, failure),
          );
        }
        delayMs = failure.retryAfterMs;
      } else {
        delayMs = computeBackoffDelay(
          retry,
          this.policy.retryBaseDelayMs,
          this.policy.retryMaxDelayMs,
          this.random,
        );
      }
      if (failure.status === 429) {
        this.pausedUntil = Math.max(this.pausedUntil, this.now() + delayMs);
      }

      this.stats.retries += 1;
      this.stats.waitedMs += delayMs;
      this.logger.warn(
        `GitLab ${method} ${target} failed (${
          failure.detail
        }); retrying in ${delayMs} ms, retry ${retry + 1} of ${
          this.policy.maxRetries
        }`,
      );
      await this.sleepOrAbort(delayMs, request.signal, method, url, attempt);
      waitedForOwnRetry = true;
    }
  }

  private async waitForRateLimitPause(
    signal: AbortSignal | undefined,
    method: string,
    url: URL,
    attempt: number,
  ): Promise<void> {
    const waitMs = this.pausedUntil - this.now();
    if (waitMs > 0) {
      this.stats.waitedMs += waitMs;
      await this.sleepOrAbort(waitMs, signal, method, url, attempt);
    }
  }

  private async sleepOrAbort(
    ms: number,
    signal: AbortSignal | undefined,
    method: string,
    url: URL,
    attempt: number,
  ): Promise<void> {
    try {
      await this.sleep(ms, signal);
    } catch (error) {
      if (signal?.aborted) {
        throw new GitLabRequestError(
          `GitLab ${method} ${this.host}${url.pathname} was aborted while waiting to retry`,
          this.details(method, url, attempt, { failure: 'aborted' }),
        );
      }
      throw error;
    }
  }

  private async attempt<T>(
    method: string,
    url: URL,
    request: GitLabRequest,
  ): Promise<{ response: GitLabResponse<T> } | AttemptFailure> {
    this.stats.attempts += 1;
    const timeoutSignal = AbortSignal.timeout(this.policy.requestTimeoutMs);
    const signal = request.signal
      ? AbortSignal.any([request.signal, timeoutSignal])
      : timeoutSignal;

    const headers: Record<string, string> = { ...request.headers };
    if (this.token) {
      headers['private-token'] = this.token;
    }

    try {
      const response = await this.fetchImpl(url, {
        method,
        headers,
        body: request.body,
        signal,
      });
      const responseHeaders = Object.fromEntries(response.headers.entries());

      if (response.ok) {
        let body: unknown;
        if (request.asStream) {
          body = response.body;
        } else if (request.responseType === 'text') {
          body = await response.text();
        } else {
          body = await readBody(response);
        }
        return {
          response: {
            status: response.status,
            headers: responseHeaders,
            body: body as T,
          },
        };
      }

      const text = await response.text();
      const retryAfterMs =
        response.status === 429 || response.status === 503
          ? parseRetryAfter(response.headers.get('retry-after'), this.now())
          : undefined;
      if (response.status === 429) {
        this.stats.rateLimited += 1;
      }
      return {
        failure: 'http',
        retryable:
          response.status === 429 ||
          RETRYABLE_SERVER_STATUSES.has(response.status),
        status: response.status,
        retryAfterMs,
        detail: `HTTP ${response.status}${this.describeBody(text)}`,
      };
    } catch (error) {
      if (request.signal?.aborted) {
        return {
          failure: 'aborted',
          retryable: false,
          detail: 'aborted by the caller',
        };
      }
      if (timeoutSignal.aborted) {
        this.stats.timeouts += 1;
        return {
          failure: 'timeout',
          retryable: true,
          detail: `timed out after ${this.policy.requestTimeoutMs} ms`,
        };
      }
      if (error instanceof SyntaxError) {
        return {
          failure: 'invalid-response',
          retryable: false,
          detail: `response body is not valid JSON: ${this.redact(
            error.message,
          )}`,
        };
      }
      return {
        failure: 'network',
        retryable: true,
        detail: this.describeNetworkError(error),
      };
    }
  }

  private describeBody(text: string): string {
    if (!text) {
      return '';
    }
    let description = text;
    try {
      const parsed = JSON.parse(text);
      const message = parsed?.message ?? parsed?.error ?? parsed;
      description =
        typeof message === 'string' ? message : JSON.stringify(message);
    } catch {
      // Not JSON: keep the text as it is.
    }
    const redacted = this.redact(description.replace(/\s+/g, ' ').trim());
    const clipped =
      redacted.length > MAX_ERROR_DETAIL_LENGTH
        ? `${redacted.slice(0, MAX_ERROR_DETAIL_LENGTH)}…`
        : redacted;
    return clipped ? `: ${clipped}` : '';
  }

  private describeNetworkError(error: unknown): string {
    const cause = (error as { cause?: { code?: string; message?: string } })
      ?.cause;
    const parts = [
      error instanceof Error ? error.message : String(error),
      cause?.code ?? cause?.message,
    ].filter(Boolean);
    return this.redact(parts.join(': '));
  }

  private details(
    method: string,
    url: URL,
    attempts: number,
    failure: Pick<AttemptFailure, 'failure' | 'status'>,
  ) {
    return {
      failure: failure.failure,
      method,
      host: this.host,
      path: url.pathname,
      status: failure.status,
      attempts,
    };
  }

  private finalError(
    method: string,
    url: URL,
    attempts: number,
    failure: AttemptFailure,
  ): GitLabRequestError {
    const target = `${this.host}${url.pathname}`;
    const retried = attempts > 1 ? ` after ${attempts} attempts` : '';
    return new GitLabRequestError(
      `GitLab ${method} ${target} failed${retried}: ${failure.detail}`,
      this.details(method, url, attempts, failure),
    );
  }
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) {
    return null;
  }
  const contentType = (response.headers.get('content-type') ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (contentType === 'application/json' || contentType.endsWith('+json')) {
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }
  if (contentType.startsWith('text/') || contentType === '') {
    return response.text();
  }
  return response.blob();
}
