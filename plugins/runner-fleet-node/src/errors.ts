/**
 * Why a request to GitLab failed:
 * - `http`: GitLab responded with a status that is not retried, or kept
 *   responding with a retryable one until the retries ran out.
 * - `timeout`: no complete response within the per-request timeout.
 * - `network`: the connection failed (refused, reset, DNS).
 * - `aborted`: the caller's AbortSignal fired.
 * - `invalid-response`: the response did not have the expected shape.
 * @public
 */
export type GitLabRequestFailure =
  | 'http'
  | 'timeout'
  | 'network'
  | 'aborted'
  | 'invalid-response';

/** Details of a failed GitLab request, without headers or tokens. @public */
export interface GitLabRequestErrorDetails {
  failure: GitLabRequestFailure;
  method: string;
  /** GitLab host, for example `gitlab.example.org` or `127.0.0.1:8929`. */
  host: string;
  /** URL path without the query string, for example `/api/v4/runners/12/managers`. */
  path: string;
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** Number of attempts made, retries included. */
  attempts: number;
  /** Page number, when the request read one page of a paginated list. */
  page?: number;
}

/**
 * A GitLab request that failed for good. The message names the method,
 * host, path and (for paginated lists) the page; it never contains the
 * token, request headers or the query string.
 *
 * gitbeaker's own `GitbeakerRequestError` keeps the `Request` object, whose
 * headers hold the token, in its `cause`. This client throws this error
 * instead, so logging an error object cannot leak the token.
 * @public
 */
export class GitLabRequestError extends Error {
  override readonly name = 'GitLabRequestError';
  readonly failure: GitLabRequestFailure;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly status?: number;
  readonly attempts: number;
  readonly page?: number;

  constructor(message: string, details: GitLabRequestErrorDetails) {
    super(message);
    this.failure = details.failure;
    this.method = details.method;
    this.host = details.host;
    this.path = details.path;
    this.status = details.status;
    this.attempts = details.attempts;
    this.page = details.page;
  }

  /** Returns a copy whose message and `page` name the page of a paginated list. */
  withPage(page: number): GitLabRequestError {
    const copy = new GitLabRequestError(
      `${this.message} (page ${page} of ${this.path})`,
      {
        failure: this.failure,
        method: this.method,
        host: this.host,
        path: this.path,
        status: this.status,
        attempts: this.attempts,
        page,
      },
    );
    copy.stack = this.stack;
    return copy;
  }
}

/** True when `error` is a GitLab request that failed with HTTP 404. @public */
export function isGitLabNotFound(error: unknown): boolean {
  return error instanceof GitLabRequestError && error.status === 404;
}
