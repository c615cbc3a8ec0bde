import { formatQuery } from '@gitbeaker/requester-utils';
import { GitLabRequestError } from './errors';
import type { GitLabQuery, GitLabTransport } from './transport';
import type { GitLabPage } from './types';

/** Page size that GitLab allows at most. */
export const MAX_PER_PAGE = 100;

/** Options of a paginated read. @public */
export interface GitLabPaginationOptions {
  /** Rows per page, 1 to 100. Default 100. */
  perPage?: number;
  /** Stop after this many pages without an error. Default: no limit. */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Extracts the `rel="next"` target from a `Link` header (RFC 8288). */
export function parseNextLink(link: string | undefined): string | undefined {
  if (!link) {
    return undefined;
  }
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel="?next"?/.test(match[2])) {
      return match[1];
    }
  }
  return undefined;
}

/**
 * Computes the query of the next page from the response headers, or
 * undefined on the last page.
 *
 * `X-Next-Page` comes first (offset pagination). The `Link` header's next
 * URL covers keyset pagination, which has no page numbers; only its query is
 * used, so a Link that names another host never receives the token.
 * `X-Total` and `X-Total-Pages` are never read, because GitLab omits them
 * for lists of more than 10,000 rows.
 */
export function nextPageQuery(
  headers: Record<string, string>,
  currentQuery: URLSearchParams,
): URLSearchParams | undefined {
  const nextPage = headers['x-next-page']?.trim();
  if (nextPage && /^\d+$/.test(nextPage)) {
    const next = new URLSearchParams(currentQuery);
    next.set('page', nextPage);
    return next;
  }

  const nextLink = parseNextLink(headers.link);
  if (nextLink) {
    try {
      return new URL(nextLink, 'http://placeholder.invalid').searchParams;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Walks every page of a GitLab list with `per_page` rows, yielding each page
 * as it arrives. A failed page throws {@link GitLabRequestError} naming the
 * page number; pages already yielded stay with the caller.
 */
export async function* paginate<T>(
  transport: GitLabTransport,
  path: string,
  query: GitLabQuery = {},
  options: GitLabPaginationOptions = {},
): AsyncGenerator<GitLabPage<T>, void, undefined> {
  const perPage = options.perPage ?? MAX_PER_PAGE;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new RangeError(
      `perPage must be an integer from 1 to ${MAX_PER_PAGE}, got ${perPage}`,
    );
  }

  let current: URLSearchParams | undefined = new URLSearchParams(
    formatQuery({ page: 1, ...query, per_page: perPage }),
  );
  const seen = new Set<string>();

  for (let ordinal = 1; current; ordinal += 1) {
    const search = current.toString();
    const pageLabel = Number(current.get('page') ?? ordinal) || ordinal;
    if (seen.has(search)) {
      throw new GitLabRequestError(
        `GitLab ${transport.host} returned the same next page twice while listing ${path}; stopping to avoid a loop`,
        {
          failure: 'invalid-response',
          method: 'GET',
          host: transport.host,
          path: transport.url(path).pathname,
          attempts: 1,
          page: pageLabel,
        },
      );
    }
    seen.add(search);

    let response;
    try {
      response = await transport.request<unknown>({
        path,
        query: search,
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof GitLabRequestError) {
        throw error.withPage(pageLabel);
      }
      throw error;
    }

    if (!Array.isArray(response.body)) {
      throw new GitLabRequestError(
        `GitLab GET ${transport.host}${
          transport.url(path).pathname
        } returned ${typeof response.body} instead of a JSON array (page ${pageLabel})`,
        {
          failure: 'invalid-response',
          method: 'GET',
          host: transport.host,
          path: transport.url(path).pathname,
          status: response.status,
          attempts: 1,
          page: pageLabel,
        },
      );
    }

    yield { items: response.body as T[], page: ordinal };

    if (options.maxPages !== undefined && ordinal >= options.maxPages) {
      return;
    }
    current = nextPageQuery(response.headers, current);
  }
}

/** Reads every page of a list into one array. */
export async function listAll<T>(
  transport: GitLabTransport,
  path: string,
  query?: GitLabQuery,
  options?: GitLabPaginationOptions,
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginate<T>(transport, path, query, options)) {
    for (const item of page.items) {
      items.push(item);
    }
  }
  return items;
}
