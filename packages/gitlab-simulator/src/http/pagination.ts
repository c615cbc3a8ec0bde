import type { Request, Response } from 'express';
import { optionalInt } from './params';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;
/** Beyond this many rows GitLab omits x-total, x-total-pages and rel="last". */
export const COUNT_LIMIT = 10000;

export function requestUrl(req: Request): URL {
  return new URL(
    req.originalUrl,
    `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`,
  );
}

function linkTo(url: URL, changes: Record<string, string | undefined>): string {
  const next = new URL(url.toString());
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) next.searchParams.delete(key);
    else next.searchParams.set(key, value);
  }
  return next.toString();
}

/** Reads per_page as GitLab does: default 20, values above 100 become 100. */
export function perPageOf(req: Request): number {
  const perPage = optionalInt(req, 'per_page', 1) ?? DEFAULT_PER_PAGE;
  return Math.min(perPage, MAX_PER_PAGE);
}

/**
 * Sends one page of `items` with GitLab's offset pagination headers
 * (x-page, x-per-page, x-next-page, x-prev-page, x-total, x-total-pages and
 * Link), leaving out the totals past 10,000 rows as GitLab does.
 */
export function sendPage<T, R>(
  req: Request,
  res: Response,
  items: readonly T[],
  present: (item: T) => R,
) {
  const page = optionalInt(req, 'page', 1) ?? 1;
  const perPage = perPageOf(req);
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  const slice = items.slice(start, start + perPage);
  const hasNext = start + perPage < total;
  const hasPrev = page > 1;
  const counted = total <= COUNT_LIMIT;
  const url = requestUrl(req);

  res.setHeader('x-page', String(page));
  res.setHeader('x-per-page', String(perPage));
  res.setHeader('x-next-page', hasNext ? String(page + 1) : '');
  res.setHeader(
    'x-prev-page',
    hasPrev ? String(Math.min(page - 1, totalPages)) : '',
  );
  if (counted) {
    res.setHeader('x-total', String(total));
    res.setHeader('x-total-pages', String(totalPages));
  }
  const links: string[] = [];
  const perPageParam = String(perPage);
  if (hasPrev)
    links.push(
      `<${linkTo(url, {
        page: String(Math.min(page - 1, totalPages)),
        per_page: perPageParam,
      })}>; rel="prev"`,
    );
  if (hasNext)
    links.push(
      `<${linkTo(url, {
        page: String(page + 1),
        per_page: perPageParam,
      })}>; rel="next"`,
    );
  links.push(
    `<${linkTo(url, { page: '1', per_page: perPageParam })}>; rel="first"`,
  );
  if (counted)
    links.push(
      `<${linkTo(url, {
        page: String(totalPages),
        per_page: perPageParam,
      })}>; rel="last"`,
    );
  res.setHeader('Link', links.join(', '));
  res.json(slice.map(present));
}

/**
 * Sends one page of keyset pagination ordered by `id`: the Link header's
 * rel="next" carries `id_after` (ascending) or `id_before` (descending), and
 * no totals are sent.
 */
export function sendKeysetPage<T extends { id: number }, R>(
  req: Request,
  res: Response,
  sortedAscending: readonly T[],
  sort: 'asc' | 'desc',
  present: (item: T) => R,
) {
  const perPage = perPageOf(req);
  const idAfter = optionalInt(req, 'id_after');
  const idBefore = optionalInt(req, 'id_before');
  let candidates =
    sort === 'asc' ? sortedAscending : [...sortedAscending].reverse();
  if (idAfter !== undefined)
    candidates = candidates.filter(item => item.id > idAfter);
  if (idBefore !== undefined)
    candidates = candidates.filter(item => item.id < idBefore);
  const slice = candidates.slice(0, perPage);
  res.setHeader('x-per-page', String(perPage));
  if (candidates.length > perPage) {
    const last = slice[slice.length - 1];
    const url = requestUrl(req);
    const next =
      sort === 'asc'
        ? linkTo(url, {
            id_after: String(last.id),
            id_before: undefined,
            page: undefined,
            per_page: String(perPage),
          })
        : linkTo(url, {
            id_before: String(last.id),
            id_after: undefined,
            page: undefined,
            per_page: String(perPage),
          });
    res.setHeader('Link', `<${next}>; rel="next"`);
  }
  res.json(slice.map(present));
}
